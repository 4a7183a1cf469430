"""The center's queue rules as plain data: which services take tickets, their letters, windows,
opening hours and daily caps, the green channel, and the time zone that decides "today".

Read from the content folder's ``queues.ini`` by :mod:`kiosk.queue_rules_loader`, so every kiosk
and the central server of one center number tickets the same way. Times here are local times of
:attr:`QueueRules.time_zone`; instants elsewhere in the kiosk are timezone-aware datetimes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

# The ticket classes, in the order a window calls them: green channel first.
NORMAL, PRIORITY, APPOINTMENT = "normal", "priority", "appointment"
CATEGORIES = (NORMAL, PRIORITY, APPOINTMENT)
# Who may take a green-channel ticket (绿色通道); screens show their names from the i18n files.
PRIORITY_KINDS = ("elderly", "disabled", "pregnant", "military", "urgent")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class TimeRange:
    """One stretch of opening time on a day, ``start`` included and ``end`` excluded."""

    start: dt.time
    end: dt.time

    def contains(self, moment: dt.time) -> bool:
        return self.start <= moment < self.end


@dataclass(frozen=True)
class Hours:
    """When tickets are issued: regular hours per weekday, after-hours service on working days
    (班后延时服务), closed days (public holidays), holiday duty days (节假日值班) and the weekend
    days worked in exchange for a holiday (调休上班日). :mod:`kiosk.opening_hours` applies them."""

    weekly: dict[str, tuple[TimeRange, ...]]  # keys from WEEKDAYS; an empty tuple is a closed day
    after_hours: tuple[TimeRange, ...] = ()
    closed_days: frozenset[dt.date] = frozenset()
    duty_days: dict[dt.date, tuple[TimeRange, ...]] = field(default_factory=dict)
    working_days: dict[dt.date, tuple[TimeRange, ...]] = field(default_factory=dict)  # their regular hours


@dataclass(frozen=True)
class ServiceQueue:
    """How one service's tickets are numbered and served."""

    service_id: str
    prefix: str  # one capital letter, e.g. "A" for A001
    daily_cap: int | None  # None: no cap
    default_minutes: float | None  # the wait estimate's basis before any service time is known
    after_hours: bool  # also issued during after-hours service
    holiday_duty: bool  # also issued on holiday duty days
    weekly: dict[str, tuple[TimeRange, ...]] | None = None  # its own weekly hours ([hours.<id>]); None: the center's
    digits: int | None = None  # its own number width; None: the center's


@dataclass(frozen=True)
class Window:
    """A service window (窗口) and the services its staff call."""

    id: str  # e.g. "1"
    name_zh: str
    name_en: str | None
    services: tuple[str, ...]


@dataclass(frozen=True)
class QueueRules:
    time_zone: str  # an IANA name such as "Asia/Shanghai"
    digits: int  # number width: 3 gives A001
    priority_prefix: str  # the green channel's own letter
    appointment_prefix: str  # tickets from appointment check-in
    offline_block_size: int  # numbers per kiosk block, see offline_block()
    offline_blocks: int  # how many kiosk blocks sit at the top of the number range
    recent_service_times: int  # the rolling window behind the wait estimate
    hours: Hours
    queues: dict[str, ServiceQueue]  # by service id, in content order
    windows: dict[str, Window]  # by window id

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def local(self, instant: dt.datetime) -> dt.datetime:
        """``instant`` (timezone-aware) as the center's local time."""
        return instant.astimezone(self.zone)

    def prefix_for(self, service_id: str, category: str) -> str:
        if category == PRIORITY:
            return self.priority_prefix
        if category == APPOINTMENT:
            return self.appointment_prefix
        return self.queues[service_id].prefix

    def windows_for(self, service_id: str) -> tuple[Window, ...]:
        return tuple(w for w in self.windows.values() if service_id in w.services)

    def digits_of(self, prefix: str | None = None) -> int:
        """The number width of a prefix: its queue's own, else the center's (the green channel's
        and appointments' letters always use the center's)."""
        for queue in self.queues.values():
            if queue.prefix == prefix and queue.digits is not None:
                return queue.digits
        return self.digits

    def highest_number(self, prefix: str | None = None) -> int:
        return 10 ** self.digits_of(prefix) - 1

    def shared_ceiling(self, prefix: str | None = None) -> int:
        """The highest number the shared sequence (central server, or a kiosk on its own) may give:
        everything above belongs to the kiosks' offline blocks."""
        return self.highest_number(prefix) - self.offline_block_size * self.offline_blocks

    def offline_block(self, block: int, prefix: str | None = None) -> range:
        """The numbers kiosk block ``block`` (1 .. offline_blocks) issues while the server is silent.
        Block 1 is the topmost: with 3 digits and blocks of 50, 950-999; block 2 900-949."""
        if not 1 <= block <= self.offline_blocks:
            raise ValueError(f"offline block {block} is outside 1..{self.offline_blocks}")
        top = self.highest_number(prefix) - self.offline_block_size * (block - 1)
        return range(top - self.offline_block_size + 1, top + 1)

    def format_number(self, prefix: str, number: int) -> str:
        return f"{prefix}{number:0{self.digits_of(prefix)}d}"
