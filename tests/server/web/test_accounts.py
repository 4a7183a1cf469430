"""Managers' accounts and sessions on the real database (SQLite and PostgreSQL): passwords kept as
argon2 hashes, checked, replaced; sessions that last their hours and end at logout."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from server.accounts import close_session, create_user, open_session, session_user, token_hash, verify_user
from server.db import Database
from server.models import sessions, users
from tests.server.center import Clock


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    yield database
    database.close()


def stored_hash(database: Database, name: str) -> str:
    with database.read() as connection:
        found: str = connection.execute(select(users.c.password_hash).where(users.c.name == name)).scalar_one()
        return found


def test_a_password_is_kept_as_an_argon2_hash_and_checked(database: Database) -> None:
    create_user(database, "zhang.wei", "s3cret-password")
    kept = stored_hash(database, "zhang.wei")
    assert kept.startswith("$argon2id$")
    assert "s3cret-password" not in kept
    assert verify_user(database, "zhang.wei", "s3cret-password")
    assert not verify_user(database, "zhang.wei", "s3cret-passwore")
    assert not verify_user(database, "zhang.wei", "")
    assert not verify_user(database, "li.na", "s3cret-password")  # nobody of that name


def test_setting_a_password_again_replaces_it_and_ends_the_sessions(database: Database) -> None:
    clock = Clock()
    create_user(database, "zhang.wei", "first password", clock)
    token = open_session(database, "zhang.wei", 12, clock)
    create_user(database, "zhang.wei", "second password", clock)
    assert not verify_user(database, "zhang.wei", "first password")
    assert verify_user(database, "zhang.wei", "second password")
    assert session_user(database, token, clock) is None
    with database.read() as connection:
        assert connection.execute(select(users.c.name)).scalars().all() == ["zhang.wei"]


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        ("", "long enough", "name: expected 1 to 64 letters, digits, '.', '_' or '-', got ''"),
        ("zhang wei", "long enough", "name: expected 1 to 64 letters, digits, '.', '_' or '-', got 'zhang wei'"),
        ("x" * 65, "long enough", "name: expected 1 to 64 letters"),
        ("张伟", "long enough", "name: expected 1 to 64 letters"),
        ("zhang.wei", "short", "password: expected at least 8 characters, got 5"),
    ],
)
def test_a_bad_name_or_password_is_refused_in_one_line(database: Database, name: str, password: str, message: str) -> None:
    with pytest.raises(ValueError) as refused:
        create_user(database, name, password)
    assert str(refused.value).startswith(message)
    assert "\n" not in str(refused.value)
    with database.read() as connection:
        assert connection.execute(select(users)).first() is None


def test_a_session_lasts_its_hours_and_keeps_only_the_tokens_hash(database: Database) -> None:
    clock = Clock()
    create_user(database, "zhang.wei", "s3cret-password", clock)
    token = open_session(database, "zhang.wei", 12, clock)
    with database.read() as connection:
        kept = connection.execute(select(sessions)).one()
    assert kept.token_hash == token_hash(token) != token
    assert session_user(database, token, clock) == "zhang.wei"
    clock.advance(minutes=12 * 60 - 1)
    assert session_user(database, token, clock) == "zhang.wei"
    clock.advance(minutes=1)
    assert session_user(database, token, clock) is None
    assert session_user(database, token + "x", clock) is None
    assert session_user(database, None, clock) is None


def test_logout_ends_the_session_and_old_sessions_are_cleared(database: Database) -> None:
    clock = Clock()
    create_user(database, "zhang.wei", "s3cret-password", clock)
    first = open_session(database, "zhang.wei", 1, clock)
    second = open_session(database, "zhang.wei", 1, clock)
    close_session(database, first)
    assert session_user(database, first, clock) is None
    assert session_user(database, second, clock) == "zhang.wei"
    close_session(database, "not a token")  # no error
    clock.now += dt.timedelta(hours=2)
    third = open_session(database, "zhang.wei", 1, clock)  # clears the expired second
    with database.read() as connection:
        assert connection.execute(select(sessions.c.token_hash)).scalars().all() == [token_hash(third)]
