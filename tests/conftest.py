"""Fixtures every test folder may use: ``db_url``, the central server's database, parametrized so
that each test taking it runs on a SQLite file and on a PostgreSQL database of a server the session
starts itself (:mod:`tests.server.postgres`). Without PostgreSQL on the machine those variants are
skipped, naming the Debian package to install."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server.postgres import PostgresMissing, PostgresServer, postgres_server


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole session, started when a test first needs it."""
    try:
        with postgres_server() as server:
            yield server
    except PostgresMissing as missing:
        pytest.skip(str(missing))


@pytest.fixture
def postgres_url(postgres: PostgresServer) -> Iterator[str]:
    """A fresh PostgreSQL database holding the server's empty tables, dropped after the test."""
    with postgres.database() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgresql":
        url: str = request.getfixturevalue("postgres_url")
        return url
    return f"sqlite:///{tmp_path / 'server.sqlite3'}"
