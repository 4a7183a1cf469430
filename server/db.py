"""The server's database engine, made once per process from a SQLAlchemy URL.

SQLite (the default) is set up so that a committed ticket survives a power cut and writers never
trip over each other: WAL journal, ``synchronous = FULL``, foreign keys on, a busy timeout, and
``BEGIN IMMEDIATE`` for write transactions, so a writer holds the lock from its first statement.
Writers of one process also queue on a lock before asking SQLite, which spares them SQLite's
sleeping busy handler.

PostgreSQL (``postgresql+psycopg://user:password@host/database``) runs write transactions side by
side at READ COMMITTED: the SQL the server runs is portable, the sequence steps are single
``INSERT ... ON CONFLICT DO UPDATE`` statements, and what must happen one at a time (the steps of one
window; issuing and storing tickets) takes :meth:`Database.hold` first, a transaction-scoped
advisory lock.

At start the tables are made when missing and an older database's tables gain the nullable columns
added since (:mod:`server.migrate`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url

from server.migrate import add_missing_columns
from server.models import metadata

WRITE = "kiosk_server_write"
BUSY_TIMEOUT_MS = 10_000
HOLD = text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")


class Database:
    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        options: dict[str, Any] = {}
        if self.is_sqlite:
            database = parsed.database or ""
            if database and database != ":memory:" and not database.startswith("file:"):
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            options = {"pool_size": 8, "max_overflow": 32, "connect_args": {"check_same_thread": False}}
        else:
            options = {"pool_pre_ping": True}  # pooled connections to a restarted database server are replaced
        self.engine: Engine = create_engine(url, **options)
        if self.is_sqlite:
            _set_up_sqlite(self.engine)
        self._writer = self.engine.execution_options(**{WRITE: True})
        self._write_lock: threading.Lock | nullcontext[None] = threading.Lock() if self.is_sqlite else nullcontext()
        metadata.create_all(self.engine)
        with self.write() as connection:
            add_missing_columns(connection)  # an older database's tables gain the columns added since

    @contextmanager
    def write(self, connection: Connection | None = None) -> Iterator[Connection]:
        """A write transaction: committed when the block ends, rolled back when it raises. A thread
        that writes all the time (the ticket writer) passes its own :meth:`writer_connection`."""
        with self._write_lock:
            if connection is None:
                with self._writer.begin() as pooled:
                    yield pooled
            else:
                with connection.begin():
                    yield connection

    def hold(self, connection: Connection, key: str) -> None:
        """Within a write transaction: wait until no other transaction holds ``key``, then hold it
        until this one ends. SQLite needs nothing: its writers already take turns."""
        if not self.is_sqlite:
            connection.execute(HOLD, {"key": key})

    def writer_connection(self) -> Connection:
        """A connection kept by one thread for its writes (BEGIN IMMEDIATE on SQLite)."""
        return self._writer.connect()

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as connection:
            yield connection

    def close(self) -> None:
        self.engine.dispose()


def _set_up_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event below says BEGIN, not the driver
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
