"""Queue tickets: a number per service per day, on disk before anyone sees it.

The number is the service's letter (A for the first service in the content's order, B for the
next...) and three digits, counted from 1 each day. It is taken and stored in one immediate
transaction, and a unique index on (day, prefix, number) makes a repeated number impossible.
"""

from __future__ import annotations

import datetime as dt
import string
import uuid
from dataclasses import dataclass

from kiosk.content import Content
from kiosk.database import Database

TICKETS_SCHEMA = """
CREATE TABLE IF NOT EXISTS tickets (
    id TEXT PRIMARY KEY,
    day TEXT NOT NULL,
    service_id TEXT NOT NULL,
    prefix TEXT NOT NULL,
    number INTEGER NOT NULL,
    issued_at TEXT NOT NULL,
    kiosk_id TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'waiting',
    UNIQUE (day, prefix, number)
);
"""
NUMBER_DIGITS = 3


@dataclass(frozen=True)
class Ticket:
    id: str
    service_id: str
    number: str
    issued_at: dt.datetime
    waiting_ahead: int


def service_prefix(content: Content, service_id: str) -> str:
    """The letter of a service's tickets: its place in the content's order."""
    ids = [service.id for service in content.services]
    return string.ascii_uppercase[ids.index(service_id) % 26]


class TicketBook:
    def __init__(self, database: Database, kiosk_id: str) -> None:
        self.db, self.kiosk_id = database, kiosk_id

    def peek(self, content: Content, service_id: str, now: dt.datetime) -> Ticket:
        """The ticket the next visitor would get, without issuing it (for previews)."""
        content.service(service_id)
        prefix, day = service_prefix(content, service_id), now.date().isoformat()
        with self.db.lock:
            last, ahead = self._last_and_ahead(day, prefix, service_id)
        return Ticket("preview", service_id, f"{prefix}{(last or 0) + 1:0{NUMBER_DIGITS}d}", now, ahead)

    def _last_and_ahead(self, day: str, prefix: str, service_id: str) -> tuple[int | None, int]:
        connection = self.db.connection
        last = connection.execute("SELECT MAX(number) FROM tickets WHERE day = ? AND prefix = ?", (day, prefix)).fetchone()[0]
        ahead = connection.execute(
            "SELECT COUNT(*) FROM tickets WHERE day = ? AND service_id = ? AND state = 'waiting'", (day, service_id)
        ).fetchone()[0]
        return last, ahead

    def issue(self, content: Content, service_id: str, now: dt.datetime) -> Ticket:
        content.service(service_id)  # raises KeyError for an unknown service
        prefix, day = service_prefix(content, service_id), now.date().isoformat()
        ticket_id = str(uuid.uuid4())
        with self.db.lock:
            connection = self.db.connection
            connection.execute("BEGIN IMMEDIATE")
            try:
                last, ahead = self._last_and_ahead(day, prefix, service_id)
                number = (last or 0) + 1
                connection.execute(
                    "INSERT INTO tickets (id, day, service_id, prefix, number, issued_at, kiosk_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (ticket_id, day, service_id, prefix, number, now.isoformat(), self.kiosk_id),
                )
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        return Ticket(ticket_id, service_id, f"{prefix}{number:0{NUMBER_DIGITS}d}", now, ahead)
