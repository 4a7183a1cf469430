"""Whether a service's queue issues tickets at a given instant, until when, and when it opens next.

Pure functions on :class:`kiosk.queue_rules.QueueRules`; instants are timezone-aware datetimes and
answers are in the center's local time. A day is, in this order of precedence:

- a duty day (节假日值班): open during its duty hours, only for queues with ``holiday_duty``;
- a closed day (public holiday): closed;
- a weekend working day (调休上班日): its own regular hours;
- any other day: the weekday's regular hours.

On a day with regular hours, queues with ``after_hours`` are also open during after-hours service
(班后延时服务). Touching stretches (13:30-17:30 and 17:30-18:30) make one opening.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kiosk.queue_rules import WEEKDAYS, QueueRules, ServiceQueue, TimeRange

SEARCH_DAYS = 31


@dataclass(frozen=True)
class Opening:
    open: bool
    closes_at: dt.datetime | None  # when open: the end of the current opening
    next_open: dt.datetime | None  # when closed: the next start within SEARCH_DAYS days, else None


def opening(rules: QueueRules, service_id: str, instant: dt.datetime) -> Opening:
    """Whether ``service_id`` issues tickets at ``instant``. KeyError for a service without a queue."""
    queue = rules.queues[service_id]
    local = rules.local(instant)
    moment = local.time().replace(tzinfo=None)
    for stretch in hours_on(rules, queue, local.date()):
        if stretch.contains(moment):
            return Opening(True, _at(rules, local.date(), stretch.end), None)
    return Opening(False, None, next_open(rules, queue, local))


def next_open(rules: QueueRules, queue: ServiceQueue, after: dt.datetime) -> dt.datetime | None:
    """The first start of an opening later than ``after`` (local), searching SEARCH_DAYS days ahead."""
    local = rules.local(after)
    for offset in range(SEARCH_DAYS + 1):
        day = local.date() + dt.timedelta(days=offset)
        for stretch in hours_on(rules, queue, day):
            start = _at(rules, day, stretch.start)
            if start > local:
                return start
    return None


def hours_on(rules: QueueRules, queue: ServiceQueue, day: dt.date) -> tuple[TimeRange, ...]:
    """The queue's openings on ``day`` (local date), sorted, touching stretches joined."""
    hours = rules.hours
    if day in hours.duty_days:
        return _joined(hours.duty_days[day]) if queue.holiday_duty else ()
    if day in hours.closed_days:
        return ()
    weekly = queue.weekly or hours.weekly
    regular = hours.working_days.get(day, weekly[WEEKDAYS[day.weekday()]])
    if regular and queue.after_hours:
        return _joined(regular + hours.after_hours)
    return _joined(regular)


def _joined(ranges: tuple[TimeRange, ...]) -> tuple[TimeRange, ...]:
    joined: list[TimeRange] = []
    for stretch in sorted(ranges, key=lambda r: (r.start, r.end)):
        if joined and stretch.start <= joined[-1].end:
            joined[-1] = TimeRange(joined[-1].start, max(joined[-1].end, stretch.end))
        else:
            joined.append(stretch)
    return tuple(joined)


def _at(rules: QueueRules, day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=rules.zone)
