"""Working days of the center, for the due dates of follow-ups ("within N working days").

A working day is a day the center opens for its regular work, as :mod:`kiosk.opening_hours` reads
queues.ini: not a public holiday (closed day) nor a holiday duty day, and some queue has hours on
it, so a weekend working day (调休上班日) counts and an ordinary weekend does not. Pure functions.
"""

from __future__ import annotations

import datetime as dt

from kiosk.opening_hours import hours_on
from kiosk.queue_rules import WEEKDAYS, QueueRules

SEARCH_DAYS = 3660  # a center that never opens in ten years has no working days: count calendar days


def is_working_day(rules: QueueRules, day: dt.date) -> bool:
    hours = rules.hours
    if day in hours.closed_days or day in hours.duty_days:
        return False
    if not rules.queues:  # a center without queues: its own regular hours
        return bool(hours.working_days.get(day, hours.weekly[WEEKDAYS[day.weekday()]]))
    return any(hours_on(rules, queue, day) for queue in rules.queues.values())


def add_working_days(rules: QueueRules, start: dt.date, count: int) -> dt.date:
    """The day ``count`` working days after ``start`` (``start`` itself not counted; 0: ``start``).
    Without any working day within SEARCH_DAYS days, calendar days are counted instead."""
    day, found = start, 0
    for _ in range(SEARCH_DAYS):
        if found >= count:
            return day
        day += dt.timedelta(days=1)
        if is_working_day(rules, day):
            found += 1
    return start + dt.timedelta(days=count) if found < count else day
