"""Working days of the center for follow-up due dates: weekends off, public holidays off, holiday
duty days off, weekend working days (调休上班日) on, as queues.ini says."""

from __future__ import annotations

import dataclasses
import datetime as dt

from kiosk.content_loader import load_content
from kiosk.paths import SAMPLE_CONTENT_DIR
from kiosk.queue_rules import WEEKDAYS, QueueRules
from server.working_days import add_working_days, is_working_day
from tests.server.center import DAY_HOURS, center_rules

FRIDAY = dt.date(2026, 9, 25)
NATIONAL_DAY = frozenset(dt.date(2026, 10, 1) + dt.timedelta(days=n) for n in range(7))  # Thursday 1 to Wednesday 7 October


def national_day_rules() -> QueueRules:
    """The test center with the National Day week off, duty on 2 October, and Sunday 27 September
    and Saturday 10 October worked in exchange."""
    rules = center_rules()
    hours = dataclasses.replace(
        rules.hours,
        closed_days=NATIONAL_DAY - {dt.date(2026, 10, 2)},
        duty_days={dt.date(2026, 10, 2): DAY_HOURS},
        working_days={dt.date(2026, 9, 27): DAY_HOURS, dt.date(2026, 10, 10): DAY_HOURS},
    )
    return dataclasses.replace(rules, hours=hours)


def test_weekends_are_skipped() -> None:
    rules = center_rules()
    assert add_working_days(rules, FRIDAY, 1) == dt.date(2026, 9, 28)
    assert add_working_days(rules, FRIDAY, 5) == dt.date(2026, 10, 2)
    assert add_working_days(rules, dt.date(2026, 9, 26), 1) == dt.date(2026, 9, 28)  # from a Saturday
    assert add_working_days(rules, FRIDAY, 0) == FRIDAY


def test_holidays_and_duty_days_are_off_and_exchanged_weekend_days_on() -> None:
    rules = national_day_rules()
    assert is_working_day(rules, dt.date(2026, 9, 27))  # a Sunday worked in exchange
    assert not is_working_day(rules, dt.date(2026, 10, 2))  # a holiday with duty hours is no working day
    assert not is_working_day(rules, dt.date(2026, 10, 5))  # a Monday in the holiday
    days = [add_working_days(rules, FRIDAY, n) for n in range(1, 7)]
    assert days == [
        dt.date(2026, 9, 27),
        dt.date(2026, 9, 28),
        dt.date(2026, 9, 29),
        dt.date(2026, 9, 30),
        dt.date(2026, 10, 8),
        dt.date(2026, 10, 9),
    ]
    assert add_working_days(rules, FRIDAY, 7) == dt.date(2026, 10, 10)  # the Saturday worked in exchange


def test_a_center_that_never_opens_counts_calendar_days() -> None:
    rules = center_rules()
    closed = dataclasses.replace(rules.hours, weekly=dict.fromkeys(WEEKDAYS, ()))
    assert add_working_days(dataclasses.replace(rules, hours=closed), FRIDAY, 5) == dt.date(2026, 9, 30)


def test_the_sample_centers_calendar_is_read_from_its_queues_ini() -> None:
    rules = load_content(SAMPLE_CONTENT_DIR).queues
    monday = dt.date(2026, 11, 23)
    assert all(is_working_day(rules, monday + dt.timedelta(days=n)) for n in range(5))
    assert add_working_days(rules, monday, 5) == dt.date(2026, 11, 30)
    assert rules.hours.closed_days and all(not is_working_day(rules, day) for day in rules.hours.closed_days)
    assert all(not is_working_day(rules, day) for day in rules.hours.duty_days)
    assert all(is_working_day(rules, day) for day in rules.hours.working_days)
    last_of_september = dt.date(2026, 9, 30)
    assert add_working_days(rules, last_of_september, 1) == dt.date(2026, 10, 8)  # the National Day week in queues.ini
