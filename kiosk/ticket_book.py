"""The kiosk's ticket ledger: every ticket this kiosk issued or was given, in its SQLite database
before anyone sees it, and the numbers it gives when it numbers on its own.

A kiosk numbers on its own from the shared sequence when no central server is configured
(source ``local``), or from its offline block while the server is silent (``offline``). The day
and the number are chosen and the ticket stored in one ``BEGIN IMMEDIATE`` transaction, and a
unique index makes two of the kiosk's own tickets with one number on one day impossible, even
when the process is killed half-way. Tickets the central server issued are kept as copies for
the work ledger (unique on their id). The ledger also keeps each ticket's print state, so a
number lost to a failed print is recorded, never silently skipped, and the server requests in
flight, so a request the kiosk gave up on (or was killed during) is reported to the server.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from kiosk.database import Database
from kiosk.numbering import next_number, numbering_day, shared_numbers
from kiosk.problems import one_line
from kiosk.queue_rules import APPOINTMENT, CATEGORIES, NORMAL, PRIORITY, PRIORITY_KINDS, QueueRules
from kiosk.ticket import APPOINTMENT_USED, FULL, LOCAL, OFFLINE, USED_UP, Ticket, TicketRefused

# Print states: pending until the printer thread says how it went; not_printed when the kiosk
# stopped before it knew.
PENDING, PRINTED, FAILED, NOT_PRINTED = "pending", "printed", "failed", "not_printed"
# Server requests: asking while the kiosk waits; abandoned when it gave up (or was killed).
ASKING, ANSWERED, ABANDONED = "asking", "answered", "abandoned"
OLD_TICKETS_NOTE = "issued before the ledger kept print states"

TICKETS_SCHEMA = """
CREATE TABLE IF NOT EXISTS tickets (
    id TEXT PRIMARY KEY,
    day TEXT NOT NULL,
    prefix TEXT NOT NULL,
    number INTEGER NOT NULL,
    label TEXT NOT NULL,
    service_id TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('normal', 'priority', 'appointment')),
    priority_kind TEXT,
    appointment_code TEXT,
    issued_at TEXT NOT NULL,
    kiosk_id TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('server', 'local', 'offline')),
    print_state TEXT NOT NULL DEFAULT 'pending' CHECK (print_state IN ('pending', 'printed', 'failed', 'not_printed')),
    print_note TEXT NOT NULL DEFAULT '',
    reported INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX IF NOT EXISTS tickets_own_number ON tickets (day, prefix, number) WHERE source IN ('local', 'offline');
CREATE INDEX IF NOT EXISTS tickets_number ON tickets (day, prefix, number);
CREATE INDEX IF NOT EXISTS tickets_service ON tickets (day, service_id);
CREATE INDEX IF NOT EXISTS tickets_appointment ON tickets (day, appointment_code) WHERE appointment_code IS NOT NULL;
CREATE INDEX IF NOT EXISTS tickets_pending ON tickets (print_state) WHERE print_state = 'pending';
CREATE INDEX IF NOT EXISTS tickets_unreported ON tickets (source, reported) WHERE reported = 0;
CREATE TABLE IF NOT EXISTS ticket_numbering (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    latest_day TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS kiosk_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ticket_requests (
    id TEXT PRIMARY KEY,
    asked_at TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('asking', 'answered', 'abandoned')),
    reported INTEGER NOT NULL DEFAULT 0
);
"""

# The first printing issue kept tickets in a smaller "tickets" table: carry them over (their
# numbers stay taken for their day) in the same transaction that makes the ledger.
UPGRADE_OLD_TICKETS = f"""
BEGIN IMMEDIATE;
ALTER TABLE tickets RENAME TO tickets_before_ledger;
{TICKETS_SCHEMA}
INSERT INTO tickets (id, day, prefix, number, label, service_id, category, issued_at, kiosk_id, source, print_state, print_note)
    SELECT id, day, prefix, number, prefix || printf('%03d', number), service_id, 'normal', issued_at, kiosk_id,
           'local', 'not_printed', '{OLD_TICKETS_NOTE}'
    FROM tickets_before_ledger;
INSERT INTO ticket_numbering (id, latest_day) SELECT 1, day FROM tickets_before_ledger ORDER BY day DESC LIMIT 1;
DROP TABLE tickets_before_ledger;
COMMIT;
"""


def prepare_ticket_tables(connection: sqlite3.Connection) -> None:
    """Make the ledger's tables (for :func:`kiosk.database.open_database`), upgrading an old one."""
    columns = {row[1] for row in connection.execute("PRAGMA table_info(tickets)")}
    script = UPGRADE_OLD_TICKETS if columns and "label" not in columns else TICKETS_SCHEMA
    connection.executescript(script)


@dataclass(frozen=True)
class LedgerRow:
    """One ticket as the work ledger (工作台账) lists it."""

    id: str
    day: dt.date
    label: str
    service_id: str
    category: str
    priority_kind: str | None
    issued_at: dt.datetime  # as stored: the center's local time with its offset
    kiosk_id: str
    source: str
    print_state: str
    print_note: str


class Recovered(NamedTuple):
    """What :meth:`TicketBook.recover` found left over from a kiosk that stopped."""

    abandoned_requests: int
    not_printed: int


class TicketBook:
    def __init__(self, database: Database, kiosk_id: str) -> None:
        self.db, self.kiosk_id = database, kiosk_id

    # ----- numbering on its own

    def issue(
        self,
        rules: QueueRules,
        service_id: str,
        category: str,
        priority_kind: str | None,
        appointment_code: str | None,
        now: dt.datetime,
        block: int | None = None,
    ) -> Ticket:
        """Number and store a ticket: from the shared sequence (``block`` None, a kiosk on its own)
        or from offline block ``block``. Returns only once the ticket is committed to disk.

        Raises TicketRefused (FULL, USED_UP, APPOINTMENT_USED), KeyError for a service that issues
        no tickets, ValueError for a category that does not fit its priority kind or code, and
        sqlite3.OperationalError when the database cannot take it (the disk full): nothing is stored."""
        queue = rules.queues[service_id]
        _check_request(category, priority_kind, appointment_code, now)
        prefix = rules.prefix_for(service_id, category)
        numbers = shared_numbers(rules, prefix) if block is None else rules.offline_block(block, prefix)
        issued_at = rules.local(now)
        with self.db.transaction():
            day = numbering_day(rules, now, self._latest_day())
            if queue.daily_cap is not None and self._count(day, service_id) >= queue.daily_cap:
                raise TicketRefused(FULL, detail=f"{service_id}: the daily cap of {queue.daily_cap} is reached on {day}")
            if appointment_code is not None and self._appointment_used(day, appointment_code):
                raise TicketRefused(APPOINTMENT_USED, detail=f"appointment {appointment_code} already has a ticket on {day}")
            number = next_number(self._last_number(day, prefix, numbers), numbers)
            if number is None:
                raise TicketRefused(USED_UP, detail=f"{prefix}: numbers {numbers.start}-{numbers.stop - 1} are used up on {day}")
            ticket = Ticket(
                id=str(uuid.uuid4()),
                label=rules.format_number(prefix, number),
                prefix=prefix,
                number=number,
                day=day,
                service_id=service_id,
                category=category,
                priority_kind=priority_kind,
                appointment_code=appointment_code,
                issued_at=issued_at,
                kiosk_id=self.kiosk_id,
                source=LOCAL if block is None else OFFLINE,
                ahead=None,  # numbering on its own, the kiosk does not know who was called
                wait_minutes=None,
            )
            self._insert(ticket)
            self._keep_latest_day(day)
        return ticket

    def peek(self, rules: QueueRules, service_id: str, now: dt.datetime, category: str = NORMAL, block: int | None = None) -> str:
        """The label the next visitor would get, without issuing it (the daily cap is not checked).
        Raises TicketRefused(USED_UP) when no number is left."""
        rules.queues[service_id]  # KeyError for a service that issues no tickets
        prefix = rules.prefix_for(service_id, category)
        numbers = shared_numbers(rules, prefix) if block is None else rules.offline_block(block, prefix)
        with self.db.lock:
            day = numbering_day(rules, now, self._latest_day())
            number = next_number(self._last_number(day, prefix, numbers), numbers)
        if number is None:
            raise TicketRefused(USED_UP, detail=f"{prefix}: numbers {numbers.start}-{numbers.stop - 1} are used up on {day}")
        return rules.format_number(prefix, number)

    def issued_today(self, rules: QueueRules, now: dt.datetime) -> dict[str, int]:
        """Tickets per service on the numbering day of ``now``, as far as this kiosk knows them."""
        with self.db.lock:
            day = numbering_day(rules, now, self._latest_day())
            rows = self.db.connection.execute("SELECT service_id, COUNT(*) FROM tickets WHERE day = ? GROUP BY service_id", (str(day),))
            return {service_id: count for service_id, count in rows}

    def find(self, day: dt.date, label: str) -> Ticket | None:
        """The ticket this kiosk issued or was given with ``label`` on numbering day ``day`` (the
        latest one, should the server and the kiosk both have used the label), or None."""
        with self.db.lock:
            row = self.db.connection.execute(
                "SELECT * FROM tickets WHERE day = ? AND label = ? ORDER BY rowid DESC LIMIT 1", (day.isoformat(), label)
            ).fetchone()
        return _ticket(row) if row else None

    def latest_day(self) -> dt.date | None:
        """The latest day this kiosk numbered a ticket on (the numbering day never goes back before it)."""
        with self.db.lock:
            return self._latest_day()

    # ----- the server's tickets and requests

    def record(self, ticket: Ticket) -> None:
        """Keep a copy of a ticket the central server issued (again with the same id: no change).
        Its day counts as used: a kiosk that reboots later with a stale clock, the server out of
        reach, goes on numbering on that day, where the windows call."""
        with self.db.transaction():
            self._insert(ticket, on_conflict_id="ON CONFLICT (id) DO NOTHING")
            self._keep_latest_day(ticket.day)

    def _keep_latest_day(self, day: dt.date) -> None:
        self.db.connection.execute(
            "INSERT INTO ticket_numbering (id, latest_day) VALUES (1, ?) ON CONFLICT (id) "
            "DO UPDATE SET latest_day = excluded.latest_day WHERE excluded.latest_day > ticket_numbering.latest_day",
            (day.isoformat(),),
        )

    # ----- facts about this kiosk that outlive a restart

    def instance_id(self) -> str:
        """This kiosk machine's own UUID, made once: the server tells two machines with one kiosk id apart by it."""
        with self.db.lock:
            connection = self.db.connection
            made = str(uuid.uuid4())
            connection.execute("INSERT INTO kiosk_state (key, value) VALUES ('instance', ?) ON CONFLICT (key) DO NOTHING", (made,))
            value: str = connection.execute("SELECT value FROM kiosk_state WHERE key = 'instance'").fetchone()[0]
            return value

    def block_conflict(self) -> str:
        """The server's last word that another kiosk holds this kiosk's offline block ("" when none)."""
        with self.db.lock:
            row = self.db.connection.execute("SELECT value FROM kiosk_state WHERE key = 'block_conflict'").fetchone()
            return str(row[0]) if row else ""

    def set_block_conflict(self, text: str) -> None:
        with self.db.lock:
            self.db.connection.execute(
                "INSERT INTO kiosk_state (key, value) VALUES ('block_conflict', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (text,),
            )

    def begin_request(self, request_id: str, now: dt.datetime) -> None:
        """Note that the kiosk is asking the server for ticket ``request_id``, before it asks."""
        with self.db.lock:
            self.db.connection.execute(
                "INSERT INTO ticket_requests (id, asked_at, state) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING",
                (request_id, now.isoformat(), ASKING),
            )

    def request_answered(self, request_id: str) -> None:
        self._request_state(request_id, ANSWERED)

    def request_abandoned(self, request_id: str) -> None:
        """The kiosk stopped waiting: if the server did number it, the server must void that ticket."""
        self._request_state(request_id, ABANDONED)

    def unreported(self) -> tuple[list[Ticket], list[str]]:
        """Offline tickets and abandoned requests the server has not yet confirmed, oldest first."""
        with self.db.lock:
            connection = self.db.connection
            rows = connection.execute("SELECT * FROM tickets WHERE reported = 0 AND source = ? ORDER BY rowid", (OFFLINE,)).fetchall()
            requests = connection.execute("SELECT id FROM ticket_requests WHERE reported = 0 AND state = ? ORDER BY rowid", (ABANDONED,))
            return [_ticket(row) for row in rows], [row[0] for row in requests]

    def mark_reported(self, ticket_ids: Iterable[str], request_ids: Iterable[str]) -> None:
        with self.db.transaction() as connection:
            connection.executemany("UPDATE tickets SET reported = 1 WHERE id = ?", ((i,) for i in ticket_ids))
            connection.executemany("UPDATE ticket_requests SET reported = 1 WHERE id = ?", ((i,) for i in request_ids))

    # ----- printing and start-up

    def mark_printed(self, ticket_id: str) -> None:
        self._print_state(ticket_id, PRINTED, "")

    def mark_print_failed(self, ticket_id: str, note: str) -> None:
        self._print_state(ticket_id, FAILED, one_line(note))

    def recover(self) -> Recovered:
        """At start-up: requests still asking were cut off by a stop (abandoned), tickets still
        waiting for their print never got a result (not printed)."""
        with self.db.transaction() as connection:
            abandoned = connection.execute("UPDATE ticket_requests SET state = ? WHERE state = ?", (ABANDONED, ASKING)).rowcount
            not_printed = connection.execute("UPDATE tickets SET print_state = ? WHERE print_state = ?", (NOT_PRINTED, PENDING)).rowcount
        return Recovered(abandoned, not_printed)

    # ----- the work ledger

    def ledger(self, first_day: dt.date, last_day: dt.date) -> list[LedgerRow]:
        """Every ticket of the numbering days ``first_day`` .. ``last_day``, in order of issue."""
        with self.db.lock:
            rows = self.db.connection.execute(
                "SELECT * FROM tickets WHERE day BETWEEN ? AND ? ORDER BY day, rowid", (first_day.isoformat(), last_day.isoformat())
            ).fetchall()
        ledger = [
            LedgerRow(
                id=row["id"],
                day=dt.date.fromisoformat(row["day"]),
                label=row["label"],
                service_id=row["service_id"],
                category=row["category"],
                priority_kind=row["priority_kind"],
                issued_at=dt.datetime.fromisoformat(row["issued_at"]),
                kiosk_id=row["kiosk_id"],
                source=row["source"],
                print_state=row["print_state"],
                print_note=row["print_note"],
            )
            for row in rows
        ]
        return sorted(ledger, key=lambda row: (row.day, _instant(row.issued_at)))

    # ----- inside a held lock

    def _latest_day(self) -> dt.date | None:
        row = self.db.connection.execute("SELECT latest_day FROM ticket_numbering WHERE id = 1").fetchone()
        return dt.date.fromisoformat(row[0]) if row else None

    def _count(self, day: dt.date, service_id: str) -> int:
        row = self.db.connection.execute("SELECT COUNT(*) FROM tickets WHERE day = ? AND service_id = ?", (day.isoformat(), service_id))
        return int(row.fetchone()[0])

    def _appointment_used(self, day: dt.date, code: str) -> bool:
        row = self.db.connection.execute("SELECT 1 FROM tickets WHERE day = ? AND appointment_code = ? LIMIT 1", (day.isoformat(), code))
        return row.fetchone() is not None

    def _last_number(self, day: dt.date, prefix: str, numbers: range) -> int | None:
        """The highest number of ``prefix`` in ``numbers`` that day, of any source: a number the
        kiosk once printed for the server is not given again when it later numbers alone."""
        row = self.db.connection.execute(
            "SELECT MAX(number) FROM tickets WHERE day = ? AND prefix = ? AND number BETWEEN ? AND ?",
            (day.isoformat(), prefix, numbers.start, numbers.stop - 1),
        ).fetchone()
        return None if row[0] is None else int(row[0])

    def _insert(self, ticket: Ticket, on_conflict_id: str = "") -> None:
        self.db.connection.execute(
            "INSERT INTO tickets (id, day, prefix, number, label, service_id, category, priority_kind, appointment_code, "
            f"issued_at, kiosk_id, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) {on_conflict_id}",
            (
                ticket.id,
                ticket.day.isoformat(),
                ticket.prefix,
                ticket.number,
                ticket.label,
                ticket.service_id,
                ticket.category,
                ticket.priority_kind,
                ticket.appointment_code,
                ticket.issued_at.isoformat(),
                ticket.kiosk_id,
                ticket.source,
            ),
        )

    def _request_state(self, request_id: str, state: str) -> None:
        with self.db.lock:
            self.db.connection.execute("UPDATE ticket_requests SET state = ? WHERE id = ?", (state, request_id))

    def _print_state(self, ticket_id: str, state: str, note: str) -> None:
        with self.db.lock:
            self.db.connection.execute("UPDATE tickets SET print_state = ?, print_note = ? WHERE id = ?", (state, note, ticket_id))


def _check_request(category: str, priority_kind: str | None, appointment_code: str | None, now: dt.datetime) -> None:
    if category not in CATEGORIES:
        raise ValueError(f"category: expected one of {', '.join(CATEGORIES)}, got {category!r}")
    if (category == PRIORITY) != (priority_kind is not None) or (priority_kind is not None and priority_kind not in PRIORITY_KINDS):
        raise ValueError(f"priority_kind: expected one of {', '.join(PRIORITY_KINDS)} for {PRIORITY} tickets only, got {priority_kind!r}")
    if (category == APPOINTMENT) != bool(appointment_code):
        raise ValueError(f"appointment_code: expected a code for {APPOINTMENT} tickets only, got {appointment_code!r}")
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now: expected a time with its time zone, got {now.isoformat()}")


def _ticket(row: sqlite3.Row) -> Ticket:
    return Ticket(
        id=row["id"],
        label=row["label"],
        prefix=row["prefix"],
        number=row["number"],
        day=dt.date.fromisoformat(row["day"]),
        service_id=row["service_id"],
        category=row["category"],
        priority_kind=row["priority_kind"],
        appointment_code=row["appointment_code"],
        issued_at=dt.datetime.fromisoformat(row["issued_at"]),
        kiosk_id=row["kiosk_id"],
        source=row["source"],
        ahead=None,
        wait_minutes=None,
    )


def _instant(moment: dt.datetime) -> dt.datetime:
    """For sorting: tickets of the first printing issue carry no offset (this machine's local time)."""
    return moment if moment.tzinfo else moment.astimezone()
