"""What the ticket screens say about closed queues, waits and refusals, without a window."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from kiosk.i18n import load_strings
from kiosk.queue_rules import APPOINTMENT, NORMAL, PRIORITY
from kiosk.ticket import CLOSED, FULL, LOCAL, UNKNOWN_APPOINTMENT, USED_UP, Ticket, TicketRefused
from kiosk.ticket_desk import QueueStatus
from screens.ticket_words import ahead_words, closed_words, kind_words, queue_words, refusal_words, ticket_wait_words, when_words

STRINGS = load_strings()
SHANGHAI = ZoneInfo("Asia/Shanghai")
SATURDAY_EVENING = dt.datetime(2026, 11, 21, 18, 45, tzinfo=SHANGHAI)
TICKET = Ticket(
    id="t-1",
    label="B007",
    prefix="B",
    number=7,
    day=dt.date(2026, 11, 23),
    service_id="legal_aid",
    category=NORMAL,
    priority_kind=None,
    appointment_code=None,
    issued_at=dt.datetime(2026, 11, 23, 9, 30, tzinfo=SHANGHAI),
    kiosk_id="kiosk-01",
    source=LOCAL,
    ahead=3,
    wait_minutes=12.2,
)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("moment", "zh", "en"),
    [
        (at(21, 19), "今天 19:00", "today from 19:00"),
        (at(22, 9), "明天 09:00", "tomorrow from 09:00"),
        (at(23, 9), "周一 09:00", "on Monday from 09:00"),
        (at(27, 13, 30), "周五 13:30", "on Friday from 13:30"),
        (at(28, 9), "11月28日 09:00", "on 11/28 from 09:00"),
    ],
)
def test_when_numbers_come_again_is_said_as_a_person_would(moment: dt.datetime, zh: str, en: str) -> None:
    assert when_words(STRINGS, "zh_CN", moment, SATURDAY_EVENING) == zh
    assert when_words(STRINGS, "en", moment, SATURDAY_EVENING) == en


def test_a_naive_clock_reads_as_the_centers_local_time() -> None:
    assert when_words(STRINGS, "zh_CN", at(23, 9), SATURDAY_EVENING.replace(tzinfo=None)) == "周一 09:00"


def test_closed_for_today_for_the_lunch_break_and_full() -> None:
    assert closed_words(STRINGS, "zh_CN", at(23, 9), SATURDAY_EVENING) == "今日取号已结束，周一 09:00 起可取号"
    lunch = at(23, 12, 10)
    assert closed_words(STRINGS, "zh_CN", at(23, 13, 30), lunch) == "现在不在取号时间，今天 13:30 起可取号"
    assert closed_words(STRINGS, "en", at(24, 9), lunch, full=True) == "Today's numbers are all taken. Numbers again tomorrow from 09:00"
    assert closed_words(STRINGS, "zh_CN", None, lunch) == "现在不在取号时间"


def test_the_service_button_shows_waiting_and_the_estimate_or_says_there_is_none() -> None:
    status = QueueStatus("legal_aid", True, at(23, 12), None, False, 4, 39.5)
    assert queue_words(STRINGS, "zh_CN", status) == "等候 4 人 · 预计等候约 40 分钟"
    assert queue_words(STRINGS, "zh_CN", dataclasses.replace(status, wait_minutes=None)) == "等候 4 人 · 等候时间暂无估计"
    assert queue_words(STRINGS, "en", dataclasses.replace(status, waiting=None, wait_minutes=None)) == "no estimate yet"
    assert queue_words(STRINGS, "zh_CN", dataclasses.replace(status, waiting=0, wait_minutes=0.0)) == "等候 0 人 · 无需等候"


def test_the_number_screen_lines() -> None:
    assert ahead_words(STRINGS, "zh_CN", TICKET) == "您前面还有 3 人等候"
    assert ticket_wait_words(STRINGS, "zh_CN", TICKET) == "预计等候约 13 分钟"
    unknown = dataclasses.replace(TICKET, ahead=None, wait_minutes=None)
    assert ahead_words(STRINGS, "zh_CN", unknown) == "", "nothing rather than a guess"
    assert ticket_wait_words(STRINGS, "zh_CN", unknown) == "等候时间：暂无估计"
    first = dataclasses.replace(TICKET, ahead=0, wait_minutes=0.0)
    assert ahead_words(STRINGS, "en", first) == "Nobody is ahead of you: please listen for your number"
    assert ticket_wait_words(STRINGS, "en", first) == ""
    assert kind_words(STRINGS, "zh_CN", TICKET) == ""
    assert kind_words(STRINGS, "zh_CN", dataclasses.replace(TICKET, category=PRIORITY, priority_kind="pregnant")) == "绿色通道 · 孕妇"
    assert kind_words(STRINGS, "en", dataclasses.replace(TICKET, category=APPOINTMENT, appointment_code="20481")) == "Appointment check-in"


def test_every_refusal_is_one_calm_sentence() -> None:
    closed = TicketRefused(CLOSED, at(23, 9))
    assert refusal_words(STRINGS, "zh_CN", closed, SATURDAY_EVENING) == "今日取号已结束，周一 09:00 起可取号。您可以先打印材料清单。"
    assert refusal_words(STRINGS, "zh_CN", TicketRefused(FULL), SATURDAY_EVENING) == "今日号已取完"
    assert refusal_words(STRINGS, "en", TicketRefused(USED_UP), SATURDAY_EVENING).startswith("All of today's numbers")
    assert refusal_words(STRINGS, "zh_CN", TicketRefused(UNKNOWN_APPOINTMENT), SATURDAY_EVENING).startswith("没有找到这个预约码")
    surprise = refusal_words(STRINGS, "zh_CN", TicketRefused("something_new"), SATURDAY_EVENING)
    assert surprise == STRINGS.get("ticket_failed", "zh_CN"), "a reason the screen does not know still gets a calm sentence"
    for language in ("zh_CN", "en"):
        for reason in ("appointment_used", "appointment_other_day", "appointment_missed", "appointments_unavailable"):
            words = refusal_words(STRINGS, language, TicketRefused(reason), SATURDAY_EVENING)
            assert words == STRINGS.get(f"refused_{reason}", language) and "\n" not in words
