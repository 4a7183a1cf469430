"""The outbox: ratings and complaints waiting for the central server, kept in the kiosk's SQLite
database so that a record a citizen saw "submitted" survives a restart, a power cut or kill -9.

Each record has the UUID the kiosk gave it, a kind (rating or complaint) and its payload, exactly
the JSON the API wants. Its state follows persist-queue's acknowledgements:

    pending --claim--> in_flight --the server confirmed--> sent
                           |------ no answer, 401, 429, 5xx -> pending (attempts + 1, next_attempt_at)
                           '------ refused when sent alone (422) -> failed (kept with its error, not retried)

A claim holds its records for a lease (60 s). At start-up every in_flight record goes back to
pending, and so does one whose lease ran out, so ``kiosk sync`` in another process is safe while
the kiosk runs; the server stores each id once anyway. A failed try waits an exponential backoff
with full jitter (2 s doubling, at most 5 minutes), or the server's Retry-After. Every state
change of a batch is one UPDATE. Time is a parameter (``now``), so tests never sleep.

The clock may jump (NTP correcting a wrong clock). Forward, leases and waits simply end sooner.
Back, a lease further ahead than a lease lasts ends at once, and a record whose last try is
"later" than now (``tried_at``) is due at once: nothing waits longer than its own backoff.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from kiosk.database import Database
from kiosk.problems import one_line

log = logging.getLogger(__name__)
PENDING, IN_FLIGHT, SENT, FAILED = "pending", "in_flight", "sent", "failed"
RATING, COMPLAINT = "rating", "complaint"
KINDS = (RATING, COMPLAINT)
BATCH_SIZE = 500  # the API's largest batch
LEASE_SECONDS = 60.0
BACKOFF_BASE_SECONDS, BACKOFF_CAP_SECONDS = 2.0, 300.0
RETRY_AFTER_CAP_SECONDS = 3600.0  # a longer Retry-After is taken as this
SENT_KEPT_DAYS = 90

OUTBOX_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('rating', 'complaint')),
    payload TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'in_flight', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL DEFAULT 0,
    tried_at REAL NOT NULL DEFAULT 0,
    lease_until REAL NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    sent_at REAL,
    error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (kind, seq) WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS outbox_in_flight ON outbox (lease_until) WHERE state = 'in_flight';
CREATE INDEX IF NOT EXISTS outbox_states ON outbox (state);
CREATE TABLE IF NOT EXISTS outbox_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""
# Outboxes made before tried_at existed get the column; records they put back are due at once.
ADD_TRIED_AT = """
BEGIN IMMEDIATE;
ALTER TABLE outbox ADD COLUMN tried_at REAL NOT NULL DEFAULT 0;
UPDATE outbox SET tried_at = next_attempt_at WHERE state = 'pending';
COMMIT;
"""
# The ids of a batch travel as one JSON array: one statement per batch, whatever its size.
IN_BATCH = "id IN (SELECT value FROM json_each(?))"


def prepare_outbox_tables(connection: sqlite3.Connection) -> None:
    """Make the outbox's tables (for :func:`kiosk.database.open_database`), adding what an older one lacks."""
    columns = {row[1] for row in connection.execute("PRAGMA table_info(outbox)")}
    if columns and "tried_at" not in columns:
        connection.executescript(ADD_TRIED_AT)
    connection.executescript(OUTBOX_SCHEMA)


@dataclass(frozen=True)
class Record:
    id: str
    kind: str
    payload: dict[str, Any]
    state: str
    attempts: int
    error: str


@dataclass(frozen=True)
class Counts:
    pending: int
    in_flight: int
    sent: int
    failed: int
    last_error: str  # the last problem of a sync, one line ("" since a sync went through)
    last_sync: float | None  # when the server last confirmed something (seconds since the epoch)


def backoff_seconds(attempts: int, chance: random.Random) -> float:
    """How long to wait after the ``attempts``-th failed try: full jitter, a random time up to
    2 s, 4 s, 8 s ... and never more than 5 minutes."""
    ceiling = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** min(max(attempts, 1) - 1, 30))
    return chance.uniform(0, ceiling)


class Outbox:
    def __init__(self, database: Database, now: Callable[[], dt.datetime] = dt.datetime.now, chance: random.Random | None = None) -> None:
        self.db, self.now = database, now
        self.chance = chance or random.Random()

    def _clock(self) -> float:
        return self.now().timestamp()

    # ----- adding

    def add(self, kind: str, record_id: str, payload: dict[str, Any]) -> bool:
        """Store a record (committed to disk when this returns); False when the id was already there."""
        with self.db.transaction():
            return self.add_in_transaction(kind, record_id, payload)

    def add_in_transaction(self, kind: str, record_id: str, payload: dict[str, Any]) -> bool:
        """:meth:`add` inside the caller's open transaction (the caller holds ``db.lock`` and commits)."""
        if kind not in KINDS:
            raise ValueError(f"kind: expected one of {', '.join(KINDS)}, got {kind!r}")
        connection = self.db.connection
        if not connection.in_transaction:
            raise RuntimeError("Outbox.add_in_transaction: expected an open transaction, got none")
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        cursor = connection.execute(
            "INSERT OR IGNORE INTO outbox (id, kind, payload, created_at) VALUES (?, ?, ?, ?)", (record_id, kind, text, self._clock())
        )
        return cursor.rowcount == 1

    def get(self, record_id: str) -> Record | None:
        with self.db.lock:
            row = self.db.connection.execute("SELECT * FROM outbox WHERE id = ?", (record_id,)).fetchone()
        return _record(row) if row else None

    # ----- sending

    def recover(self) -> int:
        """At start-up: records left in flight by a stop go back to pending. Returns how many."""
        with self.db.lock:
            cursor = self.db.connection.execute("UPDATE outbox SET state = ?, lease_until = 0 WHERE state = ?", (PENDING, IN_FLIGHT))
            return cursor.rowcount

    def claim(self, kind: str, limit: int = BATCH_SIZE, due_only: bool = True) -> list[Record]:
        """Up to ``limit`` pending records of ``kind``, oldest first, now in flight under a lease.
        ``due_only`` False also takes records still waiting out their backoff (``kiosk sync``)."""
        now = self._clock()
        with self.db.transaction() as connection:
            # An expired lease, or one further ahead than a lease lasts (the clock was set back).
            connection.execute(
                "UPDATE outbox SET state = ?, lease_until = 0 WHERE state = ? AND (lease_until <= ? OR lease_until > ?)",
                (PENDING, IN_FLIGHT, now, now + LEASE_SECONDS),
            )
            # Due: its wait is over, or its last try was "after" now (the clock was set back since).
            rows = connection.execute(
                "UPDATE outbox SET state = ?, lease_until = ? WHERE seq IN ("
                "  SELECT seq FROM outbox WHERE state = ? AND kind = ?"
                "  AND (? OR next_attempt_at <= ? OR tried_at > ?) ORDER BY seq LIMIT ?"
                ") RETURNING *",
                (IN_FLIGHT, now + LEASE_SECONDS, PENDING, kind, not due_only, now, now, limit),
            ).fetchall()
        return [_record(row) for row in sorted(rows, key=lambda row: row["seq"])]

    def mark_sent(self, ids: Sequence[str]) -> None:
        """The server confirmed these (stored now or before): sent, for good. A call-back phone is
        kept for the follow-up on the server only: the kiosk's copy of it goes now."""
        if not ids:
            return
        now = self._clock()
        with self.db.transaction() as connection:
            connection.execute(
                f"UPDATE outbox SET state = ?, sent_at = ?, error = '', payload = json_set(payload, '$.phone', json('null')) "
                f"WHERE {IN_BATCH}",
                (SENT, now, json.dumps(ids)),
            )
            _set_state(connection, "last_sync", repr(now))

    def retry_later(self, ids: Sequence[str], error: str, retry_after: float | None = None) -> float:
        """Back to pending after a failed try, due again after the backoff of the batch's attempts
        (or ``retry_after`` seconds, the server's word). Returns the delay. Records no longer in
        flight (another process sent them meanwhile) are left as they are."""
        if not ids:
            return 0.0
        now = self._clock()
        batch = json.dumps(ids)
        with self.db.transaction() as connection:
            attempts = connection.execute(f"SELECT MAX(attempts) FROM outbox WHERE {IN_BATCH}", (batch,)).fetchone()[0] or 0
            if retry_after is not None:
                delay = min(max(retry_after, 0.0), RETRY_AFTER_CAP_SECONDS)
            else:
                delay = backoff_seconds(attempts + 1, self.chance)
            connection.execute(
                "UPDATE outbox SET state = ?, attempts = attempts + 1, next_attempt_at = ?, tried_at = ?, lease_until = 0, error = ? "
                f"WHERE {IN_BATCH} AND state = ?",
                (PENDING, now + delay, now, one_line(error), batch, IN_FLIGHT),
            )
        return delay

    def mark_failed(self, ids: Sequence[str], error: str) -> None:
        """The server refused these when sent alone: kept with the server's words, never sent again."""
        with self.db.lock:
            self.db.connection.execute(
                f"UPDATE outbox SET state = ?, attempts = attempts + 1, lease_until = 0, error = ? WHERE {IN_BATCH} AND state = ?",
                (FAILED, one_line(error), json.dumps(list(ids)), IN_FLIGHT),
            )

    # ----- what staff see

    def waiting(self, kind: str | None = None) -> int:
        """Records not yet sent nor failed (pending or in flight), of one kind or all."""
        with self.db.lock:
            if kind is None:
                query = "SELECT COUNT(*) FROM outbox WHERE state IN (?, ?)"
                return int(self.db.connection.execute(query, (PENDING, IN_FLIGHT)).fetchone()[0])
            query = "SELECT COUNT(*) FROM outbox WHERE state IN (?, ?) AND kind = ?"
            return int(self.db.connection.execute(query, (PENDING, IN_FLIGHT, kind)).fetchone()[0])

    def counts(self) -> Counts:
        with self.db.lock:
            connection = self.db.connection
            by_state = dict(connection.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall())
            values = dict(connection.execute("SELECT key, value FROM outbox_state").fetchall())
        last_sync = values.get("last_sync")
        return Counts(
            pending=by_state.get(PENDING, 0),
            in_flight=by_state.get(IN_FLIGHT, 0),
            sent=by_state.get(SENT, 0),
            failed=by_state.get(FAILED, 0),
            last_error=values.get("last_error", ""),
            last_sync=float(last_sync) if last_sync else None,
        )

    def set_error(self, text: str) -> None:
        """Remember the last problem of a sync ("" once a sync went through). It is a note for the
        admin screen: a disk that cannot take it (full, failing) costs the note, which is logged
        instead, never the sync thread that calls this after a failure."""
        line = one_line(text)
        try:
            with self.db.lock:
                _set_state(self.db.connection, "last_error", line)
        except sqlite3.OperationalError as error:
            log.warning("outbox: cannot keep the last sync problem (%s): %s", error, line)

    def note_sync(self) -> None:
        """The server answered (a heartbeat): the time of the last sync."""
        with self.db.lock:
            _set_state(self.db.connection, "last_sync", repr(self._clock()))

    def prune(self, days: int = SENT_KEPT_DAYS) -> int:
        """Forget records sent more than ``days`` ago. Returns how many."""
        with self.db.lock:
            cursor = self.db.connection.execute(
                "DELETE FROM outbox WHERE state = ? AND sent_at < ?", (SENT, self._clock() - days * 24 * 3600.0)
            )
            return cursor.rowcount


def _set_state(connection: sqlite3.Connection, key: str, value: str) -> None:
    """Keep ``value`` under ``key``; an unchanged value writes nothing to the disk."""
    connection.execute(
        "INSERT INTO outbox_state (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE outbox_state.value != excluded.value",
        (key, value),
    )


def _record(row: sqlite3.Row) -> Record:
    return Record(
        id=row["id"],
        kind=row["kind"],
        payload=json.loads(row["payload"]),
        state=row["state"],
        attempts=row["attempts"],
        error=row["error"],
    )
