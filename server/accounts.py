"""The managers' accounts and logins: names with argon2 password hashes, and sessions.

A session is a random token the manager's browser keeps in a cookie; the database keeps only its
SHA-256, so a copy of the database opens no session. Setting a user's password again replaces it
and ends that user's sessions. The cookie itself is set by :mod:`server.web.login`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, insert, select, update

from server.db import Database
from server.models import sessions, users
from server.times import Clock, instant, stamp, system_clock

NAME = re.compile(r"[A-Za-z0-9._-]{1,64}")
PASSWORD_MIN, PASSWORD_MAX = 8, 1024
HASHER = PasswordHasher()
_unknown_user_hash: list[str] = []  # a hash checked for unknown names, so they take as long as known ones


def create_user(database: Database, name: str, password: str, clock: Clock = system_clock) -> None:
    """Store ``name`` with an argon2 hash of ``password``; an existing name gets the new password
    and loses its sessions. Raises ValueError with one line when the name or password will not do."""
    check_name(name)
    if len(password) < PASSWORD_MIN:
        raise ValueError(f"password: expected at least {PASSWORD_MIN} characters, got {len(password)}")
    if len(password) > PASSWORD_MAX:
        raise ValueError(f"password: expected at most {PASSWORD_MAX} characters, got {len(password)}")
    password_hash = HASHER.hash(password)
    with database.write() as connection:
        known = connection.execute(select(users.c.name).where(users.c.name == name)).first()
        if known is None:
            connection.execute(insert(users), {"name": name, "password_hash": password_hash, "created_at": stamp(clock())})
        else:
            connection.execute(update(users).where(users.c.name == name).values(password_hash=password_hash))
            connection.execute(delete(sessions).where(sessions.c.user_name == name))


def user_exists(database: Database, name: str) -> bool:
    with database.read() as connection:
        return connection.execute(select(users.c.name).where(users.c.name == name)).first() is not None


def check_name(name: str) -> None:
    if not NAME.fullmatch(name):
        raise ValueError(f"name: expected 1 to 64 letters, digits, '.', '_' or '-', got {name[:70]!r}")


def verify_user(database: Database, name: str, password: str) -> bool:
    """Whether ``password`` is ``name``'s. An unknown name costs one argon2 check too."""
    with database.read() as connection:
        stored = connection.execute(select(users.c.password_hash).where(users.c.name == name)).scalar()
    if stored is None:
        _verify(_unknown_hash(), password)
        return False
    if not _verify(stored, password):
        return False
    if HASHER.check_needs_rehash(stored):
        with database.write() as connection:
            connection.execute(update(users).where(users.c.name == name).values(password_hash=HASHER.hash(password)))
    return True


def _verify(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _unknown_hash() -> str:
    if not _unknown_user_hash:
        _unknown_user_hash.append(HASHER.hash(secrets.token_urlsafe(16)))
    return _unknown_user_hash[0]


# ----- sessions


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(database: Database, name: str, hours: float, clock: Clock = system_clock) -> str:
    """A new session of ``name`` lasting ``hours``; returns the token for the cookie. Expired
    sessions of every user are removed on the way."""
    now = clock()
    token = secrets.token_urlsafe(32)
    expires = now + dt.timedelta(hours=hours)
    row = {"token_hash": token_hash(token), "user_name": name, "created_at": stamp(now), "expires_at": stamp(expires)}
    with database.write() as connection:
        connection.execute(delete(sessions).where(sessions.c.expires_at <= stamp(now)))
        connection.execute(insert(sessions), row)
    return token


def session_user(database: Database, token: str | None, clock: Clock = system_clock) -> str | None:
    """The name whose unexpired session ``token`` is, else None."""
    if not token or len(token) > 200:
        return None
    query = select(sessions.c.user_name, sessions.c.expires_at).where(sessions.c.token_hash == token_hash(token))
    with database.read() as connection:
        row = connection.execute(query).first()
    if row is None or instant(row.expires_at) <= clock():
        return None
    name: str = row.user_name
    return name


def close_session(database: Database, token: str | None) -> None:
    """End the session of ``token`` (logout); an unknown token is no error."""
    if token:
        with database.write() as connection:
            connection.execute(delete(sessions).where(sessions.c.token_hash == token_hash(token)))
