"""The server's settings in one place: where its database is, where it listens, where the center's
content and appointments are. Built by :mod:`server.cli` from the command line, or by tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DB_URL = "sqlite:///data/server.sqlite3"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8470
DEFAULT_CONTENT = Path("assets/content")


@dataclass(frozen=True)
class Settings:
    db_url: str = DEFAULT_DB_URL  # a SQLAlchemy URL; relative SQLite paths are from the working directory
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    content_dir: Path = DEFAULT_CONTENT  # the center's content folder (queues.ini among its files)
    appointments_file: Path | None = None  # today's appointments; None: appointment check-in refuses every code
    fixed_time: dt.datetime | None = None  # tests and demos: the clock stands still at this instant
    access_log: bool = False  # one log line per request costs more than the request on the hot path
