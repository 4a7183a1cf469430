"""When a queue issues tickets, on a fixed clock: regular hours, lunch, after-hours service, public
holidays, holiday duty, weekend working days, the next opening, and the center's time zone."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from kiosk.opening_hours import Opening, hours_on, opening
from kiosk.queue_rules import WEEKDAYS, Hours, QueueRules, ServiceQueue, TimeRange, Window
from tests.kiosk.ticket_rules import queue_rules

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
UTC = dt.UTC


def span(start: str, end: str) -> TimeRange:
    return TimeRange(dt.time.fromisoformat(start), dt.time.fromisoformat(end))


WORKDAY = (span("09:00", "12:00"), span("13:30", "17:30"))
# The sample center's hours: National Day 2026-10-01 .. 10-07 closed, duty on Saturday 10-03 and
# Tuesday 10-06, Saturday 10-10 worked in exchange.
HOURS = Hours(
    weekly={day: WORKDAY if day not in ("saturday", "sunday") else () for day in WEEKDAYS},
    after_hours=(span("17:30", "18:30"),),
    closed_days=frozenset(dt.date(2026, 10, day) for day in range(1, 8)),
    duty_days={dt.date(2026, 10, 3): (span("09:00", "11:30"),), dt.date(2026, 10, 6): (span("09:00", "11:30"),)},
    working_days={dt.date(2026, 10, 10): WORKDAY},
)
QUEUES = {
    "legal_aid": ServiceQueue("legal_aid", "B", 80, 20, after_hours=True, holiday_duty=True),
    "notarization": ServiceQueue("notarization", "C", 60, 25, after_hours=False, holiday_duty=False),
}


def rules(zone: str = "Asia/Shanghai", hours: Hours = HOURS) -> QueueRules:
    return queue_rules(QUEUES, hours, {"2": Window("2", "2号窗口", None, ("legal_aid", "notarization"))}, time_zone=zone)


def at(year: int, month: int, day: int, hour: int, minute: int = 0, zone: dt.tzinfo = SHANGHAI) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=zone)


def is_open(closes_at: dt.datetime) -> Opening:
    return Opening(True, closes_at, None)


def is_closed(next_open: dt.datetime | None) -> Opening:
    return Opening(False, None, next_open)


# 2026-11-16 is a Monday, 2026-11-20 a Friday.
CASES = [
    pytest.param("notarization", at(2026, 11, 16, 8, 30), is_closed(at(2026, 11, 16, 9, 0)), id="before opening"),
    pytest.param("notarization", at(2026, 11, 16, 9, 0), is_open(at(2026, 11, 16, 12, 0)), id="at opening"),
    pytest.param("notarization", at(2026, 11, 16, 12, 0), is_closed(at(2026, 11, 16, 13, 30)), id="lunch break starts at 12:00"),
    pytest.param("notarization", at(2026, 11, 16, 12, 45), is_closed(at(2026, 11, 16, 13, 30)), id="lunch break"),
    pytest.param("notarization", at(2026, 11, 16, 15, 0), is_open(at(2026, 11, 16, 17, 30)), id="afternoon"),
    pytest.param("legal_aid", at(2026, 11, 16, 15, 0), is_open(at(2026, 11, 16, 18, 30)), id="afternoon runs into after-hours"),
    pytest.param("legal_aid", at(2026, 11, 17, 17, 45), is_open(at(2026, 11, 17, 18, 30)), id="after hours with after-hours service"),
    pytest.param("notarization", at(2026, 11, 17, 17, 45), is_closed(at(2026, 11, 18, 9, 0)), id="after hours without it"),
    pytest.param("legal_aid", at(2026, 11, 17, 18, 30), is_closed(at(2026, 11, 18, 9, 0)), id="after-hours service is over"),
    pytest.param("notarization", at(2026, 11, 20, 19, 0), is_closed(at(2026, 11, 23, 9, 0)), id="Friday evening: Monday"),
    pytest.param("legal_aid", at(2026, 11, 21, 17, 45), is_closed(at(2026, 11, 23, 9, 0)), id="no after-hours on a Saturday"),
    pytest.param("notarization", at(2026, 10, 1, 10, 0), is_closed(at(2026, 10, 8, 9, 0)), id="public holiday"),
    pytest.param("legal_aid", at(2026, 10, 2, 10, 0), is_closed(at(2026, 10, 3, 9, 0)), id="holiday, duty tomorrow"),
    pytest.param("legal_aid", at(2026, 10, 3, 10, 0), is_open(at(2026, 10, 3, 11, 30)), id="duty day"),
    pytest.param("notarization", at(2026, 10, 3, 10, 0), is_closed(at(2026, 10, 8, 9, 0)), id="duty day, queue without duty"),
    pytest.param("legal_aid", at(2026, 10, 6, 17, 45), is_closed(at(2026, 10, 8, 9, 0)), id="no after-hours on a duty day"),
    pytest.param("notarization", at(2026, 10, 9, 19, 0), is_closed(at(2026, 10, 10, 9, 0)), id="Friday evening: Saturday worked"),
    pytest.param("legal_aid", at(2026, 10, 10, 17, 45), is_open(at(2026, 10, 10, 18, 30)), id="after-hours on a Saturday worked"),
    pytest.param("notarization", at(2026, 11, 16, 1, 30, zone=UTC), is_open(at(2026, 11, 16, 12, 0)), id="instant in UTC"),
]


@pytest.mark.parametrize(("service_id", "instant", "expected"), CASES)
def test_opening_in_shanghai(service_id: str, instant: dt.datetime, expected: Opening) -> None:
    found = opening(rules(), service_id, instant)
    assert found == expected
    for moment in (found.closes_at, found.next_open):
        assert moment is None or moment.utcoffset() == dt.timedelta(hours=8), "answers are in the center's local time"


def test_nothing_open_within_31_days_has_no_next_opening() -> None:
    closed_for_good = Hours(weekly={day: () for day in WEEKDAYS})
    assert opening(rules(hours=closed_for_good), "legal_aid", at(2026, 11, 16, 10)) == is_closed(None)
    only_in_40_days = Hours(weekly=closed_for_good.weekly, working_days={dt.date(2026, 12, 26): WORKDAY})
    assert opening(rules(hours=only_in_40_days), "legal_aid", at(2026, 11, 16, 10)) == is_closed(None)
    in_31_days = Hours(weekly=closed_for_good.weekly, working_days={dt.date(2026, 12, 17): WORKDAY})
    assert opening(rules(hours=in_31_days), "legal_aid", at(2026, 11, 16, 10)) == is_closed(at(2026, 12, 17, 9))


def test_the_center_time_zone_decides_with_summer_time() -> None:
    berlin = rules("Europe/Berlin")
    # 07:30 UTC is 08:30 in Berlin in winter (UTC+1): not yet open.
    friday = opening(berlin, "notarization", dt.datetime(2026, 3, 27, 7, 30, tzinfo=UTC))
    assert friday == is_closed(at(2026, 3, 27, 9, 0, zone=BERLIN))
    # The same 07:30 UTC after the clocks went forward on Sunday 29 March is 09:30 (UTC+2): open.
    monday = opening(berlin, "notarization", dt.datetime(2026, 3, 30, 7, 30, tzinfo=UTC))
    assert monday == is_open(at(2026, 3, 30, 12, 0, zone=BERLIN))
    # Friday evening: next open Monday 09:00 summer time, 07:00 UTC (not 08:00).
    weekend = opening(berlin, "notarization", dt.datetime(2026, 3, 27, 18, 0, tzinfo=UTC))
    assert weekend.next_open == dt.datetime(2026, 3, 30, 7, 0, tzinfo=UTC)
    assert weekend.next_open is not None and weekend.next_open.utcoffset() == dt.timedelta(hours=2)
    # And the same instant in Shanghai is already 15:30 on Monday.
    assert opening(rules(), "notarization", dt.datetime(2026, 3, 30, 7, 30, tzinfo=UTC)) == is_open(at(2026, 3, 30, 17, 30))


def test_hours_on_a_day_join_touching_stretches() -> None:
    monday = dt.date(2026, 11, 16)
    assert hours_on(rules(), QUEUES["legal_aid"], monday) == (span("09:00", "12:00"), span("13:30", "18:30"))
    assert hours_on(rules(), QUEUES["notarization"], monday) == WORKDAY
    assert hours_on(rules(), QUEUES["notarization"], dt.date(2026, 10, 3)) == ()


def test_a_service_without_a_queue_has_no_opening() -> None:
    with pytest.raises(KeyError):
        opening(rules(), "complaint", at(2026, 11, 16, 10))


def test_a_service_with_its_own_weekly_hours() -> None:
    weekend = ("saturday", "sunday")
    mornings: dict[str, tuple[TimeRange, ...]] = {day: (span("09:00", "12:00"),) if day not in weekend else () for day in WEEKDAYS}
    appraisal = ServiceQueue("appraisal", "E", 40, 15, after_hours=False, holiday_duty=False, weekly=mornings)
    center = rules()
    own = dataclasses.replace(center, queues={**QUEUES, "appraisal": appraisal})
    monday_afternoon = at(2026, 11, 23, 15)
    assert opening(own, "appraisal", monday_afternoon) == Opening(False, None, at(2026, 11, 24, 9))
    assert opening(own, "legal_aid", monday_afternoon) == is_open(at(2026, 11, 23, 18, 30))  # the center's hours
    assert opening(own, "appraisal", at(2026, 11, 23, 11)) == is_open(at(2026, 11, 23, 12))
    assert opening(own, "appraisal", at(2026, 10, 2, 10)).open is False  # a public holiday stays closed
    evening = dataclasses.replace(appraisal, after_hours=True)  # after-hours service adds the center's evening
    assert hours_on(own, evening, dt.date(2026, 11, 23)) == (span("09:00", "12:00"), span("17:30", "18:30"))
