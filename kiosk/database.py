"""The kiosk's one local SQLite database (``<data_dir>/kiosk.sqlite3``).

WAL journal and ``synchronous = FULL``: once a commit returns, the record survives a power cut.
Each part of the kiosk that keeps records (print jobs, tickets, the outbox of ratings and
complaints) brings its own schema: ``CREATE TABLE IF NOT EXISTS`` statements, or a function of
the connection when older tables need upgrading first; :func:`open_database` runs them all. One
connection is shared between the screen thread, the printer thread and the sync thread, so every
use holds :attr:`Database.lock`.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

DATABASE_NAME = "kiosk.sqlite3"
Schema = str | Callable[[sqlite3.Connection], None]


class Database:
    def __init__(self, path: Path, schemas: Iterable[Schema]) -> None:
        self.path = path
        self.lock = threading.RLock()
        path.parent.mkdir(parents=True, exist_ok=True)
        self.connection = sqlite3.connect(path, timeout=5, check_same_thread=False, isolation_level=None)
        self.connection.row_factory = sqlite3.Row
        self.connection.execute("PRAGMA journal_mode = WAL")
        self.connection.execute("PRAGMA synchronous = FULL")
        for schema in schemas:
            try:
                if isinstance(schema, str):
                    self.connection.executescript(schema)
                else:
                    schema(self.connection)
            except BaseException:  # a schema script left half-run (a full disk) must not hold its transaction open
                if self.connection.in_transaction:
                    self.connection.execute("ROLLBACK")
                raise

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction under the lock: ``BEGIN IMMEDIATE``, then ``COMMIT``, or ``ROLLBACK``
        when anything fails. On a full disk or an I/O error SQLite may have rolled back already;
        then the original error is raised, not "cannot rollback"."""
        with self.lock:
            connection = self.connection
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise

    def close(self) -> None:
        with self.lock:
            self.connection.close()


def open_database(data_dir: Path) -> Database:
    """The kiosk's database in ``data_dir``, with every table the kiosk uses."""
    from kiosk.feedback_desk import FEEDBACK_SCHEMA
    from kiosk.outbox import prepare_outbox_tables
    from kiosk.ticket_book import prepare_ticket_tables
    from printers.journal import JOURNAL_SCHEMA

    return Database(data_dir / DATABASE_NAME, (JOURNAL_SCHEMA, prepare_ticket_tables, prepare_outbox_tables, FEEDBACK_SCHEMA))
