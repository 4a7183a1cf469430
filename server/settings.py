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
    # Issue 5: what a kiosk may send, and the managers' dashboard.
    rate_per_second: float = 50.0  # each kiosk's sustained request rate (token bucket)
    rate_burst: int = 100  # ... and the burst it may send at once
    body_limit: int = 1024 * 1024  # bytes; a larger request body is refused with 413
    content_upload_limit: int = 21 * 1024 * 1024  # bytes: the dashboard's upload of a content set (a zip of at most 20 MiB, and its form)
    session_hours: int = 12  # a manager's login lasts this long
    follow_up_working_days: int = 5  # a bad rating or a complaint is due this many working days after it arrived
