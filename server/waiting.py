"""Who is waiting and for how long: the queries behind "people ahead" and the wait estimate.

Calling order, used here and by :mod:`server.calling`: green channel (priority and appointment,
rank 0) before normal tickets (rank 1), then order of issue. People ahead of a ticket are the
waiting tickets of its service that a window would call before it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, and_, func, select, text

from kiosk.queue_rules import NORMAL, QueueRules
from kiosk.wait_estimate import estimate_minutes
from server.models import DONE, WAITING, tickets
from server.times import instant

CALLING_ORDER = (tickets.c.rank, tickets.c.issued_at, tickets.c.number, tickets.c.id)


def rank(category: str) -> int:
    return 1 if category == NORMAL else 0


AHEAD = text(
    "SELECT count(*) FROM tickets WHERE day = :day AND service_id = :service_id AND state = 'waiting' "
    "AND (rank, issued_at, number, id) < (:rank, :issued_at, :number, :id)"
)
CACHE_SECONDS = 10.0  # another server process's "done" shows in the estimate within this time


def ahead_of(connection: Connection, ticket: Any) -> int:
    """Waiting tickets of ``ticket``'s service and day that are called before it (calling order)."""
    values = {"day": ticket.day, "service_id": ticket.service_id, "rank": ticket.rank, "issued_at": ticket.issued_at}
    return int(connection.execute(AHEAD, values | {"number": ticket.number, "id": ticket.id}).scalar_one())


def waiting_counts(connection: Connection, day: str, service_ids: Sequence[str]) -> dict[str, int]:
    query = (
        select(tickets.c.service_id, func.count())
        .where(and_(tickets.c.day == day, tickets.c.state == WAITING, tickets.c.service_id.in_(service_ids)))
        .group_by(tickets.c.service_id)
    )
    counts = {service_id: 0 for service_id in service_ids}
    counts.update({row[0]: int(row[1]) for row in connection.execute(query)})
    return counts


LONGEST_SERVICE_SECONDS = 4 * 3600


def recent_service_seconds(connection: Connection, service_id: str, count: int) -> list[float]:
    """Done minus called for the service's last ``count`` finished tickets, newest first."""
    if count <= 0:
        return []
    query = (
        select(tickets.c.called_at, tickets.c.done_at)
        .where(tickets.c.service_id == service_id, tickets.c.state == DONE)
        .order_by(tickets.c.done_at.desc())
        .limit(count)
    )
    seconds = [(instant(done) - instant(called)).total_seconds() for called, done in connection.execute(query) if called and done]
    return [s for s in seconds if s <= LONGEST_SERVICE_SECONDS]  # longer: a ticket left open, not a service


class ServiceTimes:
    """The recent service times per service, read from the database at most every CACHE_SECONDS
    and at once after this process finished a ticket of that service (see :meth:`forget`)."""

    def __init__(self, rules: QueueRules, clock: Callable[[], float] = time.monotonic) -> None:
        self.rules, self.clock = rules, clock
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[float, list[float]]] = {}

    def recent(self, connection: Connection, service_id: str) -> list[float]:
        now = self.clock()
        with self._lock:
            cached = self._cache.get(service_id)
        if cached is not None and now - cached[0] < CACHE_SECONDS:
            return cached[1]
        seconds = recent_service_seconds(connection, service_id, self.rules.recent_service_times)
        with self._lock:
            self._cache[service_id] = (now, seconds)
        return seconds

    def forget(self, service_id: str) -> None:
        with self._lock:
            self._cache.pop(service_id, None)

    def estimate(self, connection: Connection, service_id: str, ahead: int) -> float | None:
        """Minutes for ``ahead`` people; None when there is no basis (暂无估计)."""
        queue = self.rules.queues.get(service_id)
        default = queue.default_minutes if queue is not None else None
        minutes = estimate_minutes(ahead, self.recent(connection, service_id), default, len(self.rules.windows_for(service_id)))
        return None if minutes is None else round(minutes, 1)
