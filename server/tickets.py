"""The center's one ticket sequence: issuing to kiosks, storing what kiosks issued offline, and the
state of queues and tickets.

Each ticket is taken in one write transaction: the numbering day (never going back, see
:func:`kiosk.numbering.numbering_day`), the kiosk's offline block claim, opening hours, the daily
cap, the appointment check-in, one step of the (day, prefix) sequence within
:func:`kiosk.numbering.shared_numbers`, the ticket and its ``issued`` event. A retry with the same
kiosk UUID returns the ticket already issued.
"""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, text, update

from kiosk.appointments import Appointments
from kiosk.numbering import next_number, numbering_day, shared_numbers
from kiosk.opening_hours import opening
from kiosk.queue_rules import APPOINTMENT, QueueRules
from kiosk.ticket import APPOINTMENT_USED, BLOCK_TAKEN, CLOSED, FULL, OFFLINE, SERVER, USED_UP, TicketRefused
from server.db import Database
from server.errors import NOT_FOUND, REQUEST_ABANDONED, UNKNOWN_SERVICE, ApiError
from server.models import ISSUED, STORED_OFFLINE, VOID, VOIDED, WAITING, offline_blocks, ticket_events, tickets
from server.schemas import IssueRequest, OfflineReport
from server.times import Clock, instant, stamp
from server.waiting import ServiceTimes, ahead_of, rank, waiting_counts

STEP_SEQUENCE = text(
    "INSERT INTO sequences (day, prefix, last) VALUES (:day, :prefix, 1) "
    "ON CONFLICT (day, prefix) DO UPDATE SET last = sequences.last + 1 RETURNING last"
)
KEEP_LATEST_DAY = text(
    "INSERT INTO numbering_days (id, day) VALUES (1, :day) "
    "ON CONFLICT (id) DO UPDATE SET day = excluded.day WHERE numbering_days.day < excluded.day"
)
SELECT_TICKET = text("SELECT * FROM tickets WHERE id = :id")
LATEST_DAY = text("SELECT day FROM numbering_days WHERE id = 1")
CLAIM_BLOCK = text(
    "INSERT INTO offline_blocks (block, kiosk_id, instance, claimed_at) VALUES (:block, :kiosk_id, :instance, :at) "
    "ON CONFLICT (block) DO NOTHING"
)
TOMBSTONE = text("INSERT INTO abandoned_requests (id, kiosk_id, at) VALUES (:id, :kiosk_id, :at) ON CONFLICT (id) DO NOTHING")
REQUEST_GIVEN_UP = text("SELECT 1 FROM abandoned_requests WHERE id = :id")
# Issuing and storing offline tickets take turns, as on SQLite, also across server processes on
# PostgreSQL: a daily cap, an appointment check-in or an abandoned request is decided by one at a time.
TICKET_WRITES = "ticket writes"


@dataclass(frozen=True)
class Issued:
    ticket: dict[str, Any]
    created: bool  # False when the kiosk's UUID had been issued before


class TicketOffice:
    def __init__(self, database: Database, rules: QueueRules, clock: Clock, appointments: Appointments | None = None) -> None:
        self.db, self.rules, self.clock = database, rules, clock
        self.appointments = appointments if appointments is not None else Appointments()  # none: every code is unknown
        self._claimed: dict[int, tuple[str, str | None]] = {}  # block -> (kiosk, machine), as committed to the database
        self.service_times = ServiceTimes(rules)
        # Tickets are issued in turn by one thread that keeps its connection (see server.api.routes.tickets).
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ticket-writer", initializer=self._open_writer)
        self._writer_state = threading.local()

    # ----- kiosks

    def close(self) -> None:
        self.writer.submit(self._close_writer).result()
        self.writer.shutdown()

    def _open_writer(self) -> None:
        self._writer_state.connection = self.db.writer_connection()

    def _close_writer(self) -> None:
        self._writer_state.connection.close()

    def issue(self, request: IssueRequest) -> Issued:
        """Issue a ticket, or return the one already issued for this request id. In the writer
        thread it uses the writer's own connection, elsewhere (tests) one from the pool."""
        now = self.clock()
        ticket_id = str(request.id)
        instance = None if request.instance is None else str(request.instance)
        with self.db.write(getattr(self._writer_state, "connection", None)) as connection:
            self.db.hold(connection, TICKET_WRITES)
            existing = self._row(connection, ticket_id)
            if existing is not None:
                return Issued(self._view(connection, existing), created=False)
            if connection.execute(REQUEST_GIVEN_UP, {"id": ticket_id}).first() is not None:
                raise ApiError(409, REQUEST_ABANDONED, f"request {ticket_id}: the kiosk gave up waiting for it and reported so")
            if request.offline_block is not None:
                self._claim(connection, request.offline_block, request.kiosk_id, instance, now)
            day = self._numbering_day(connection, now, keep=True)
            service_id = self._service_for(connection, request, day, now)
            self._check_open(service_id, now)
            self._check_cap(connection, service_id, day)
            prefix = self.rules.prefix_for(service_id, request.category)
            number = self._step(connection, day, prefix)
            issued_at = stamp(now)
            row = {
                "id": ticket_id,
                "day": day,
                "prefix": prefix,
                "number": number,
                "label": self.rules.format_number(prefix, number),
                "service_id": service_id,
                "issued_service_id": service_id,
                "category": request.category,
                "rank": rank(request.category),
                "priority_kind": request.priority_kind,
                "appointment_code": request.appointment_code,
                "issued_at": issued_at,
                "kiosk_id": request.kiosk_id,
                "source": SERVER,
                "state": WAITING,
            }
            connection.execute(insert(tickets), row)
            record(connection, ticket_id, ISSUED, issued_at, service_id)
            issued = Issued(self._view(connection, SimpleNamespace(**row, window_id=None, called_at=None, done_at=None)), created=True)
        if request.offline_block is not None:  # committed: the claim is the database's now
            self._claimed[request.offline_block] = (request.kiosk_id, instance)
        return issued

    def report_offline(self, report: OfflineReport) -> dict[str, Any]:
        """Void the requests the kiosk gave up on first (freeing their appointment codes), then
        store its offline tickets."""
        now = self.clock()
        results, voided = [], []
        instance = None if report.instance is None else str(report.instance)
        with self.db.write() as connection:
            self.db.hold(connection, TICKET_WRITES)
            if report.offline_block is not None:
                self._claim(connection, report.offline_block, report.kiosk_id, instance, now, refuse=False)
            for request_id in report.abandoned:
                if self._void(connection, str(request_id), report.kiosk_id, now):
                    voided.append(str(request_id))
            for ticket in report.tickets:
                results.append({"id": str(ticket.id), "status": self._store_offline(connection, ticket, report.kiosk_id, now)})
        return {"results": results, "voided": voided}

    def queues(self) -> dict[str, Any]:
        now = self.clock()
        with self.db.read() as connection:
            day = self._numbering_day(connection, now, keep=False)
            counts = waiting_counts(connection, day, list(self.rules.queues))
            items = []
            for service_id in self.rules.queues:
                hours = opening(self.rules, service_id, now)
                items.append(
                    {
                        "service_id": service_id,
                        "open": hours.open,
                        "next_open": _iso(hours.next_open),
                        "full": self._full(connection, service_id, day),
                        "waiting": counts[service_id],
                        "wait_minutes": self.service_times.estimate(connection, service_id, counts[service_id]),
                    }
                )
        return {"queues": items}

    def ticket(self, ticket_id: str) -> dict[str, Any]:
        with self.db.read() as connection:
            row = self._row(connection, ticket_id)
            if row is None:
                raise ApiError(404, NOT_FOUND, f"ticket {ticket_id}: expected a ticket this server issued or stored, got none")
            return self._view(connection, row)

    def numbering_day(self) -> str:
        with self.db.read() as connection:
            return self._numbering_day(connection, self.clock(), keep=False)

    # ----- the steps of issuing

    def _numbering_day(self, connection: Connection, now: dt.datetime, keep: bool) -> str:
        latest = connection.execute(LATEST_DAY).scalar()
        day = numbering_day(self.rules, now, None if latest is None else _date(latest)).isoformat()
        if keep and day != latest:
            connection.execute(KEEP_LATEST_DAY, {"day": day})
        return day

    def _claim(
        self, connection: Connection, block: int, kiosk_id: str, instance: str | None, now: dt.datetime, refuse: bool = True
    ) -> None:
        """One kiosk machine per offline block: the first to name it keeps it. Two machines left
        with one kiosk id are told apart by their instance ids."""
        if self._claimed.get(block) == (kiosk_id, instance):
            return
        if block > self.rules.offline_blocks:
            if not refuse:
                return
            raise ApiError(422, "invalid", f"offline_block: expected a block from 1 to {self.rules.offline_blocks}, got {block}")
        connection.execute(CLAIM_BLOCK, {"block": block, "kiosk_id": kiosk_id, "instance": instance, "at": stamp(now)})
        holder = connection.execute(select(offline_blocks).where(offline_blocks.c.block == block)).one()
        if holder.instance is None and instance is not None and holder.kiosk_id == kiosk_id:
            connection.execute(update(offline_blocks).where(offline_blocks.c.block == block).values(instance=instance))
            return
        taken = holder.kiosk_id != kiosk_id or (instance is not None and holder.instance != instance)
        if taken and refuse:
            who = holder.kiosk_id if holder.kiosk_id != kiosk_id else f"another machine with the kiosk id {kiosk_id}"
            message = f"offline block {block}: expected it free for {kiosk_id}, got it held by {who}; give this kiosk another block"
            raise ApiError(409, BLOCK_TAKEN, message)

    def _service_for(self, connection: Connection, request: IssueRequest, day: str, now: dt.datetime) -> str:
        service_id = request.service_id
        if request.category == APPOINTMENT:
            assert request.appointment_code is not None
            appointment = self.appointments.check_in(request.appointment_code, self.rules.local(now))
            used = select(tickets.c.label).where(tickets.c.day == day, tickets.c.appointment_code == request.appointment_code)
            label = connection.execute(used).scalar()
            if label is not None:
                raise TicketRefused(APPOINTMENT_USED, detail=f"appointment code {request.appointment_code} was checked in today as {label}")
            service_id = appointment.service_id
        if service_id not in self.rules.queues:
            known = ", ".join(self.rules.queues) or "none"
            raise ApiError(422, UNKNOWN_SERVICE, f"service_id: expected one of {known}, got {service_id!r}")
        return service_id

    def _check_open(self, service_id: str, now: dt.datetime) -> None:
        hours = opening(self.rules, service_id, now)
        if not hours.open:
            raise TicketRefused(CLOSED, hours.next_open, f"{service_id} takes no tickets now")

    def _check_cap(self, connection: Connection, service_id: str, day: str) -> None:
        if self._full(connection, service_id, day):
            raise TicketRefused(FULL, detail=f"{service_id} has issued its {self.rules.queues[service_id].daily_cap} tickets for today")

    def _full(self, connection: Connection, service_id: str, day: str) -> bool:
        """Whether the service has issued its daily cap (void tickets do not count)."""
        cap = self.rules.queues[service_id].daily_cap
        if cap is None:
            return False
        query = select(func.count()).where(tickets.c.day == day, tickets.c.issued_service_id == service_id, tickets.c.state != VOID)
        return bool(connection.execute(query).scalar_one() >= cap)

    def _step(self, connection: Connection, day: str, prefix: str) -> int:
        stepped = int(connection.execute(STEP_SEQUENCE, {"day": day, "prefix": prefix}).scalar_one())
        if next_number(stepped - 1, shared_numbers(self.rules, prefix)) != stepped:
            raise TicketRefused(USED_UP, detail=f"the numbers of {prefix} for {day} are used up")  # rolls the step back
        return stepped

    # ----- offline reports

    def _store_offline(self, connection: Connection, ticket: Any, kiosk_id: str, now: dt.datetime) -> str:
        ticket_id = str(ticket.id)
        if self._row(connection, ticket_id) is not None:
            return "duplicate"
        day = ticket.day.isoformat()
        clash = select(tickets.c.id).where(tickets.c.day == day, tickets.c.label == ticket.label)
        if connection.execute(clash).first() is not None:
            return "conflict"
        if ticket.appointment_code is not None:
            used = select(tickets.c.id).where(
                tickets.c.day == day, tickets.c.appointment_code == ticket.appointment_code, tickets.c.state != VOID
            )
            if connection.execute(used).first() is not None:
                return "conflict"
        row = {
            "id": ticket_id,
            "day": day,
            "prefix": ticket.prefix,
            "number": ticket.number,
            "label": ticket.label,
            "service_id": ticket.service_id,
            "issued_service_id": ticket.service_id,
            "category": ticket.category,
            "rank": rank(ticket.category),
            "priority_kind": ticket.priority_kind,
            "appointment_code": ticket.appointment_code,
            "issued_at": stamp(ticket.issued_at),
            "kiosk_id": kiosk_id,
            "source": OFFLINE,
            "state": WAITING,
        }
        connection.execute(insert(tickets), row)
        record(connection, ticket_id, STORED_OFFLINE, stamp(now), ticket.service_id)
        return "stored"

    def _void(self, connection: Connection, request_id: str, kiosk_id: str, now: dt.datetime) -> bool:
        """Void the ticket a request the kiosk gave up on was given (its appointment code freed),
        or, when the request has not arrived yet, leave a tombstone so it never becomes a ticket."""
        row = self._row(connection, request_id)
        if row is None:
            connection.execute(TOMBSTONE, {"id": request_id, "kiosk_id": kiosk_id, "at": stamp(now)})
            return False
        if row.state not in (WAITING, VOID):
            return False
        if row.state == WAITING:
            connection.execute(update(tickets).where(tickets.c.id == request_id).values(state=VOID, appointment_code=None))
            record(connection, request_id, VOIDED, stamp(now), row.service_id)
        return True

    # ----- reading

    def _row(self, connection: Connection, ticket_id: str) -> Row[Any] | None:
        return connection.execute(SELECT_TICKET, {"id": ticket_id}).first()

    def _view(self, connection: Connection, row: Any) -> dict[str, Any]:
        """The ticket with its people ahead and wait estimate; ``row`` is a stored row or one just inserted."""
        waiting = row.state == WAITING
        ahead = ahead_of(connection, row) if waiting else 0
        return ticket_json(self.rules, row) | {
            "ahead": ahead,
            "wait_minutes": self.service_times.estimate(connection, row.service_id, ahead) if waiting else None,
        }


def record(
    connection: Connection, ticket_id: str, kind: str, at: str, service_id: str, window_id: str | None = None, detail: str | None = None
) -> None:
    """One step of a ticket's life in ``ticket_events``."""
    row = {"ticket_id": ticket_id, "kind": kind, "at": at, "window_id": window_id, "service_id": service_id, "detail": detail}
    connection.execute(insert(ticket_events), row)


def ticket_json(rules: QueueRules, row: Row[Any]) -> dict[str, Any]:
    """A stored ticket as the API shows it, times in the center's zone with their offset."""
    return {
        "id": row.id,
        "label": row.label,
        "prefix": row.prefix,
        "number": row.number,
        "day": row.day,
        "service_id": row.service_id,
        "category": row.category,
        "priority_kind": row.priority_kind,
        "appointment_code": row.appointment_code,
        "issued_at": _local(rules, row.issued_at),
        "kiosk_id": row.kiosk_id,
        "source": row.source,
        "state": row.state,
        "window": row.window_id,
        "called_at": _local(rules, row.called_at),
        "done_at": _local(rules, row.done_at),
    }


def _local(rules: QueueRules, text_or_none: str | None) -> str | None:
    return None if text_or_none is None else rules.local(instant(text_or_none)).isoformat()


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
