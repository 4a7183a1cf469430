"""An older database brought up to date at start (server/migrate.py): an issue-5 server's kiosks
table gains the heartbeat's issue-6 columns and keeps its kiosks, on SQLite and on PostgreSQL; a
missing column that cannot be null stops the start with one line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert, inspect, text

from server.db import Database
from server.migrate import MigrationImpossible
from tests.server.feedback_bodies import rows

ISSUE_5_ROW = {"id": "kiosk-01", "token_hash": "a" * 64, "created_at": "2026-10-01T01:00:00.000000+00:00", "outbox_depth": 4}
NEW_COLUMNS = {"content_version", "uptime_s", "free_disk_bytes", "disk_low"}


def issue_5_kiosks(metadata: MetaData, token_hash: bool = True) -> Table:
    """The kiosks table as issue 5's server made it."""
    columns: list[Column[Any]] = [Column("id", String(64), primary_key=True)]
    if token_hash:
        columns.append(Column("token_hash", String(64), nullable=False, unique=True))
    columns += [
        Column("created_at", String(32), nullable=False),
        Column("heartbeat_at", String(32)),
        Column("app_version", String(32)),
        Column("printer_state", String(16)),
        Column("outbox_depth", Integer),
        Column("last_sync", String(32)),
    ]
    return Table("kiosks", metadata, *columns)


def make_older_database(url: str, token_hash: bool = True) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS kiosks"))
            metadata = MetaData()
            kiosks = issue_5_kiosks(metadata, token_hash)
            metadata.create_all(connection)
            row = ISSUE_5_ROW if token_hash else {k: v for k, v in ISSUE_5_ROW.items() if k != "token_hash"}
            connection.execute(insert(kiosks), row)
    finally:
        engine.dispose()


def column_names(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return {column["name"] for column in inspect(engine).get_columns("kiosks")}
    finally:
        engine.dispose()


def test_an_issue_5_database_gains_the_new_columns_and_keeps_its_kiosks(db_url: str) -> None:
    make_older_database(db_url)
    assert not NEW_COLUMNS & column_names(db_url)
    Database(db_url).close()
    assert column_names(db_url) >= NEW_COLUMNS
    assert rows(db_url, "SELECT id, outbox_depth, content_version, uptime_s, free_disk_bytes, disk_low FROM kiosks") == [
        ("kiosk-01", 4, None, None, None, None)
    ]
    Database(db_url).close()  # the next start finds nothing to add
    assert rows(db_url, "SELECT count(*) FROM kiosks") == [(1,)]


def test_a_missing_column_that_cannot_be_null_stops_the_start_in_one_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    make_older_database(url, token_hash=False)
    with pytest.raises(MigrationImpossible) as raised:
        Database(url)
    assert str(raised.value) == ("kiosks.token_hash: expected a nullable column to add to the existing table, got one that cannot be null")
    assert "uptime_s" not in column_names(url)  # nothing was half done
