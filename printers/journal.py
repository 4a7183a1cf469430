"""The print journal: every job is written here before a byte goes to the printer, with its
state (queued, printing, printed, failed) and, when it failed, why. Jobs that failed can be
printed again from the admin screen. After a crash, a job left "printing" is marked failed: it
is never counted as printed unless the printer confirmed it.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from kiosk.database import Database
from printers.receipt import Receipt

QUEUED, PRINTING, PRINTED, FAILED = "queued", "printing", "printed", "failed"

JOURNAL_SCHEMA = """
CREATE TABLE IF NOT EXISTS print_jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    receipt TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'printing', 'printed', 'failed')),
    reason TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    bytes INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS print_jobs_state ON print_jobs (state, id);
"""
INTERRUPTED = "the kiosk stopped while this job was printing; check the paper before printing it again"
NOT_STARTED = "the kiosk stopped before this job was printed"


@dataclass(frozen=True)
class PrintJob:
    id: int
    kind: str
    title: str
    receipt: Receipt
    state: str
    reason: str
    attempts: int
    bytes: int
    created_at: dt.datetime
    updated_at: dt.datetime


class PrintJournal:
    def __init__(self, database: Database) -> None:
        self.db = database

    def add(self, receipt: Receipt, now: dt.datetime) -> int:
        with self.db.lock:
            cursor = self.db.connection.execute(
                "INSERT INTO print_jobs (kind, title, receipt, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                (receipt.kind, receipt.title, receipt.to_json(), QUEUED, now.isoformat(), now.isoformat()),
            )
            assert cursor.lastrowid is not None
            return cursor.lastrowid

    def start(self, job_id: int, now: dt.datetime) -> None:
        self._update(job_id, "state = ?, attempts = attempts + 1, reason = ''", (PRINTING,), now)

    def printed(self, job_id: int, size: int, now: dt.datetime) -> None:
        self._update(job_id, "state = ?, bytes = ?, reason = ''", (PRINTED, size), now)

    def failed(self, job_id: int, reason: str, now: dt.datetime) -> None:
        self._update(job_id, "state = ?, reason = ?", (FAILED, reason), now)

    def requeue(self, job_id: int, now: dt.datetime) -> None:
        self._update(job_id, "state = ?, reason = ''", (QUEUED,), now)

    def recover(self, now: dt.datetime) -> int:
        """After a restart: jobs left queued or printing become failed, with the reason. Returns how many."""
        with self.db.lock:
            stamp = now.isoformat()
            connection = self.db.connection
            printing = connection.execute(
                "UPDATE print_jobs SET state = ?, reason = ?, updated_at = ? WHERE state = ?", (FAILED, INTERRUPTED, stamp, PRINTING)
            ).rowcount
            queued = connection.execute(
                "UPDATE print_jobs SET state = ?, reason = ?, updated_at = ? WHERE state = ?", (FAILED, NOT_STARTED, stamp, QUEUED)
            ).rowcount
            return printing + queued

    def get(self, job_id: int) -> PrintJob:
        with self.db.lock:
            row = self.db.connection.execute("SELECT * FROM print_jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None:
            raise KeyError(job_id)
        return _job(row)

    def jobs(self, state: str | None = None, limit: int = 20) -> list[PrintJob]:
        """The newest jobs first, all or in one state."""
        with self.db.lock:
            if state is None:
                rows = self.db.connection.execute("SELECT * FROM print_jobs ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
            else:
                rows = self.db.connection.execute(
                    "SELECT * FROM print_jobs WHERE state = ? ORDER BY id DESC LIMIT ?", (state, limit)
                ).fetchall()
        return [_job(row) for row in rows]

    def counts(self) -> dict[str, int]:
        with self.db.lock:
            rows = self.db.connection.execute("SELECT state, COUNT(*) FROM print_jobs GROUP BY state").fetchall()
        return {state: 0 for state in (QUEUED, PRINTING, PRINTED, FAILED)} | {row[0]: row[1] for row in rows}

    def _update(self, job_id: int, assignments: str, values: tuple[object, ...], now: dt.datetime) -> None:
        with self.db.lock:
            self.db.connection.execute(
                f"UPDATE print_jobs SET {assignments}, updated_at = ? WHERE id = ?", (*values, now.isoformat(), job_id)
            )


def _job(row: sqlite3.Row) -> PrintJob:
    get = row.__getitem__
    return PrintJob(
        id=get("id"),
        kind=get("kind"),
        title=get("title"),
        receipt=Receipt.from_json(get("receipt")),
        state=get("state"),
        reason=get("reason"),
        attempts=get("attempts"),
        bytes=get("bytes"),
        created_at=dt.datetime.fromisoformat(get("created_at")),
        updated_at=dt.datetime.fromisoformat(get("updated_at")),
    )
