"""What the ticket screens say about a queue, a ticket and a refusal, in the visitor's language.

Plain functions of the interface strings, so the wording (当天/明天/周一, 暂无估计, one calm
sentence per refusal) is the same on every ticket screen and is tested without a window.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from kiosk.i18n import Strings
from kiosk.queue_rules import APPOINTMENT, PRIORITY
from kiosk.ticket import CLOSED, FULL, Ticket, TicketRefused
from kiosk.wait_estimate import shown_minutes

DAYS_NAMED_BY_WEEKDAY = 6  # further ahead than this, the date is given instead of the weekday


class QueueState(Protocol):
    """What the words need of a queue's status (kiosk.ticket_desk.QueueStatus)."""

    @property
    def open(self) -> bool: ...
    @property
    def full(self) -> bool: ...
    @property
    def next_open(self) -> dt.datetime | None: ...
    @property
    def waiting(self) -> int | None: ...
    @property
    def wait_minutes(self) -> float | None: ...


def local_today(now: dt.datetime, like: dt.datetime) -> dt.date:
    """Today's date where ``like`` is told (the center's zone when it is aware)."""
    if like.tzinfo is not None and now.tzinfo is not None:
        return now.astimezone(like.tzinfo).date()
    return now.date()


def when_words(strings: Strings, language: str, moment: dt.datetime, now: dt.datetime) -> str:
    """今天 14:00 / 明天 09:00 / 周一 09:00 / 12月1日 09:00."""
    days = (moment.date() - local_today(now, moment)).days
    time = moment.strftime("%H:%M")
    if days <= 0:
        return strings.get("when_today", language, time=time)
    if days == 1:
        return strings.get("when_tomorrow", language, time=time)
    if days <= DAYS_NAMED_BY_WEEKDAY:
        weekday = strings.get(f"weekday_{moment.weekday()}", language)
        return strings.get("when_weekday", language, weekday=weekday, time=time)
    return strings.get("when_date", language, month=moment.month, day=moment.day, time=time)


def closed_words(strings: Strings, language: str, next_open: dt.datetime | None, now: dt.datetime, full: bool = False) -> str:
    """Why no number now, and when there will be one again."""
    if next_open is None:
        return strings.get("queue_full" if full else "queue_closed", language)
    when = when_words(strings, language, next_open, now)
    if full:
        return strings.get("queue_full_until", language, when=when)
    later_today = next_open.date() == local_today(now, next_open)
    return strings.get("queue_closed_later" if later_today else "queue_closed_until", language, when=when)


def unavailable_words(strings: Strings, language: str, status: QueueState, now: dt.datetime) -> str | None:
    """The calm line shown instead of a ticket button, or None when the queue issues numbers."""
    if status.full:
        return closed_words(strings, language, status.next_open, now, full=True)
    if not status.open:
        return closed_words(strings, language, status.next_open, now)
    return None


def wait_words(strings: Strings, language: str, minutes: float | None, key: str = "queue_wait") -> str:
    """约 12 分钟, or 暂无估计 when there is no basis for an estimate."""
    if minutes is None:
        return strings.get("queue_no_estimate" if key == "queue_wait" else "number_no_estimate", language)
    return strings.get(key, language, minutes=shown_minutes(minutes))


def queue_words(strings: Strings, language: str, status: QueueState) -> str:
    """The second line of a service's button: 等候 3 人 · 预计等候约 12 分钟."""
    parts = []
    if status.waiting is not None:
        parts.append(strings.get("queue_waiting", language, count=status.waiting))
    if status.waiting == 0:
        parts.append(strings.get("queue_wait_none", language))
    else:
        parts.append(wait_words(strings, language, status.wait_minutes))
    return " · ".join(parts)


def ahead_words(strings: Strings, language: str, ticket: Ticket) -> str:
    """People ahead on the number screen; nothing when the kiosk cannot know."""
    if ticket.ahead is None:
        return ""
    if ticket.ahead == 0:
        return strings.get("number_next_up", language)
    return strings.get("number_ahead", language, count=ticket.ahead)


def ticket_wait_words(strings: Strings, language: str, ticket: Ticket) -> str:
    if ticket.ahead == 0:
        return ""  # "nobody ahead" says it already
    return wait_words(strings, language, ticket.wait_minutes, "number_wait")


def kind_words(strings: Strings, language: str, ticket: Ticket) -> str:
    """绿色通道 · 老年人, 预约签到, or nothing for an ordinary ticket."""
    if ticket.category == APPOINTMENT:
        return strings.get("number_appointment", language)
    if ticket.category == PRIORITY and ticket.priority_kind:
        return strings.get("number_green", language, kind=strings.get(f"priority_{ticket.priority_kind}", language))
    return ""


def refusal_words(strings: Strings, language: str, refused: TicketRefused, now: dt.datetime) -> str:
    """One calm sentence for a refused ticket: what happened and what to do next."""
    if refused.reason == CLOSED:
        return strings.get("refused_closed", language, closed=closed_words(strings, language, refused.next_open, now))
    if refused.reason == FULL:
        return closed_words(strings, language, refused.next_open, now, full=True)
    key = f"refused_{refused.reason}"
    return strings.get(key if key in strings.tables[language] else "ticket_failed", language)
