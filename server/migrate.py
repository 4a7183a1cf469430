"""Brings an older database up to the server's tables at start (called by :class:`server.db.Database`
after ``create_all``, which makes the tables that do not exist yet).

Every nullable column the models (:mod:`server.models`) have and an existing table lacks is added
with ``ALTER TABLE ... ADD COLUMN``, on SQLite and PostgreSQL alike: the rows stay as they were and
the new columns are null in them (an issue-5 server's ``kiosks`` gains the heartbeat's issue-6
facts). A missing column that cannot be null cannot be added so; the start stops with one line
naming it.
"""

from __future__ import annotations

import logging

from sqlalchemy import Column, Connection, inspect
from sqlalchemy.schema import CreateColumn

from server.models import metadata

log = logging.getLogger(__name__)


class MigrationImpossible(Exception):
    """A column the server needs cannot be added to the existing table (one line)."""


def add_missing_columns(connection: Connection) -> list[str]:
    """Add what the existing tables lack, within the caller's write transaction; returns the
    columns added as ``table.column``."""
    inspector = inspect(connection)
    existing = set(inspector.get_table_names())
    postgres = connection.dialect.name == "postgresql"
    added = []
    for table in metadata.sorted_tables:
        if table.name not in existing:
            continue
        present = {column["name"] for column in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name in present:
                continue
            if not column.nullable:
                raise MigrationImpossible(
                    f"{table.name}.{column.name}: expected a nullable column to add to the existing table, got one that cannot be null"
                )
            connection.exec_driver_sql(_add_column(connection, table.name, column, postgres))
            added.append(f"{table.name}.{column.name}")
    if added:
        log.warning("database: added the columns %s", ", ".join(added))
    return added


def _add_column(connection: Connection, table: str, column: Column[object], postgres: bool) -> str:
    """The ALTER TABLE statement; on PostgreSQL IF NOT EXISTS, as another server process may add it first."""
    quoted = connection.dialect.identifier_preparer.quote(table)
    definition = CreateColumn(column).compile(dialect=connection.dialect)
    return f"ALTER TABLE {quoted} ADD COLUMN {'IF NOT EXISTS ' if postgres else ''}{definition}"
