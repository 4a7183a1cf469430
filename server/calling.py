"""The windows' side of the queue: call next, recall, no-show, done and transfer.

A window calls the first waiting ticket of today, across the services it serves, in calling order
(green channel first, then order of issue; see :mod:`server.waiting`). It has at most one current
ticket: calling next while one is current is refused (``finish_current``), so that every service
time (done minus called) is one the staff really spent. Every step is a row in ``ticket_events``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, update

from kiosk.content import Text
from kiosk.queue_rules import Window
from server.db import Database
from server.errors import FINISH_CURRENT, NO_CURRENT, NOBODY_WAITING, UNKNOWN_SERVICE, UNKNOWN_WINDOW, ApiError
from server.models import (
    CALLED,
    CALLED_EVENT,
    DONE,
    DONE_EVENT,
    RECALLED,
    SKIPPED,
    SKIPPED_EVENT,
    TRANSFERRED,
    WAITING,
    tickets,
    window_current,
)
from server.tickets import TicketOffice, record, ticket_json
from server.times import stamp
from server.waiting import CALLING_ORDER, waiting_counts


class Counter:
    def __init__(self, database: Database, office: TicketOffice, service_names: dict[str, Text] | None = None) -> None:
        self.db, self.office, self.rules = database, office, office.rules
        self.names = {service_id: (service_names or {}).get(service_id, Text(service_id)) for service_id in self.rules.queues}

    # ----- reading

    def windows(self) -> dict[str, Any]:
        return {
            "windows": [self._window_json(window) for window in self.rules.windows.values()],
            "services": [self._service_json(service_id) for service_id in self.rules.queues],
        }

    def window(self, window_id: str) -> dict[str, Any]:
        window = self._window(window_id)
        day = self.office.numbering_day()
        with self.db.read() as connection:
            current = self._current(connection, window_id)
            counts = waiting_counts(connection, day, list(window.services))
        return {
            "window": self._window_json(window),
            "current": None if current is None else ticket_json(self.rules, current),
            "queues": [self._service_json(service_id) | {"waiting": counts[service_id]} for service_id in window.services],
            "services": [self._service_json(service_id) for service_id in self.rules.queues],
        }

    # ----- steps

    def call_next(self, window_id: str) -> dict[str, Any]:
        window = self._window(window_id)
        now = stamp(self.office.clock())
        day = self.office.numbering_day()
        with self.db.write() as connection:
            self.db.hold(connection, f"window {window_id}")
            current = self._current(connection, window_id)
            if current is not None and current.day < day:  # left open on an earlier day: close it, with no service time
                connection.execute(update(tickets).where(tickets.c.id == current.id).values(state=DONE, done_at=None))
                connection.execute(delete(window_current).where(window_current.c.window_id == window_id))
                self._step_done(connection, window_id, current.id, DONE_EVENT, now, detail="closed when the next day began")
            elif current is not None:
                message = f"window {window_id} is still serving {current.label}: press Done, No-show or Transfer first"
                raise ApiError(409, FINISH_CURRENT, message)
            query = (
                select(tickets.c.id)
                .where(tickets.c.day == day, tickets.c.state == WAITING, tickets.c.service_id.in_(window.services))
                .order_by(*CALLING_ORDER)
                .limit(1)
                .with_for_update(skip_locked=True)  # PostgreSQL: two windows never take one ticket (SQLite ignores it)
            )
            ticket_id = connection.execute(query).scalar()
            if ticket_id is None:
                raise ApiError(409, NOBODY_WAITING, f"nobody is waiting for window {window_id}")
            values = {"state": CALLED, "window_id": window_id, "called_at": now, "done_at": None}
            connection.execute(update(tickets).where(tickets.c.id == ticket_id).values(**values))
            connection.execute(insert(window_current), {"window_id": window_id, "ticket_id": ticket_id})
            return self._step_done(connection, window_id, ticket_id, CALLED_EVENT, now)

    def recall(self, window_id: str) -> dict[str, Any]:
        with self.db.write() as connection:
            current = self._require_current(connection, window_id)
            return self._step_done(connection, window_id, current.id, RECALLED, stamp(self.office.clock()))

    def skip(self, window_id: str) -> dict[str, Any]:
        return self._finish(window_id, SKIPPED, SKIPPED_EVENT)

    def done(self, window_id: str) -> dict[str, Any]:
        return self._finish(window_id, DONE, DONE_EVENT)

    def transfer(self, window_id: str, service_id: str) -> dict[str, Any]:
        if service_id not in self.rules.queues:
            known = ", ".join(self.rules.queues)
            raise ApiError(422, UNKNOWN_SERVICE, f"service_id: expected one of {known}, got {service_id!r}")
        now = stamp(self.office.clock())
        with self.db.write() as connection:
            current = self._require_current(connection, window_id)
            values = {"state": WAITING, "service_id": service_id, "window_id": None, "called_at": None}
            connection.execute(update(tickets).where(tickets.c.id == current.id).values(**values))
            connection.execute(delete(window_current).where(window_current.c.window_id == window_id))
            return self._step_done(connection, window_id, current.id, TRANSFERRED, now, detail=f"from {current.service_id}")

    # ----- helpers

    def _finish(self, window_id: str, state: str, event: str) -> dict[str, Any]:
        now = stamp(self.office.clock())
        with self.db.write() as connection:
            current = self._require_current(connection, window_id)
            values = {"state": state, "done_at": now if state == DONE else None}
            connection.execute(update(tickets).where(tickets.c.id == current.id).values(**values))
            connection.execute(delete(window_current).where(window_current.c.window_id == window_id))
            stepped = self._step_done(connection, window_id, current.id, event, now)
        self.office.service_times.forget(current.service_id)
        return stepped

    def _step_done(
        self, connection: Connection, window_id: str, ticket_id: str, event: str, now: str, detail: str | None = None
    ) -> dict[str, Any]:
        row = connection.execute(select(tickets).where(tickets.c.id == ticket_id)).one()
        record(connection, ticket_id, event, now, row.service_id, window_id, detail)
        return {"window": window_id, "event": event, "ticket": ticket_json(self.rules, row)}

    def _window(self, window_id: str) -> Window:
        window = self.rules.windows.get(window_id)
        if window is None:
            known = ", ".join(self.rules.windows) or "none"
            raise ApiError(404, UNKNOWN_WINDOW, f"window: expected one of {known}, got {window_id!r}")
        return window

    def _current(self, connection: Connection, window_id: str) -> Row[Any] | None:
        joined = tickets.join(window_current, window_current.c.ticket_id == tickets.c.id)
        query = select(tickets).select_from(joined).where(window_current.c.window_id == window_id)
        return connection.execute(query).first()

    def _require_current(self, connection: Connection, window_id: str) -> Row[Any]:
        self._window(window_id)
        self.db.hold(connection, f"window {window_id}")  # a second press of the step waits, then finds no current ticket
        current = self._current(connection, window_id)
        if current is None:
            raise ApiError(409, NO_CURRENT, f"window {window_id} has no current ticket: press Call next first")
        return current

    def _window_json(self, window: Window) -> dict[str, Any]:
        return {"id": window.id, "name_zh": window.name_zh, "name_en": window.name_en, "services": list(window.services)}

    def _service_json(self, service_id: str) -> dict[str, Any]:
        name = self.names[service_id]
        return {"service_id": service_id, "name_zh": name.zh, "name_en": name.en}
