"""Reads the ``[hours]`` section of ``queues.ini``: weekly hours, after-hours service, public
holidays, holiday duty and weekend working days, each list item checked on its own line; and
``[hours.<service id>]``, a service's own weekly hours.

Used by :mod:`kiosk.queue_rules_loader`; :func:`parse_range` also reads appointment slots.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from kiosk.fields import Date, Field, FieldError, Kind
from kiosk.inifile import IniSection, IniValue
from kiosk.problems import Problem, describe
from kiosk.queue_rules import WEEKDAYS, Hours, TimeRange

TIME = r"(\d{1,2}):(\d{2})"
RANGE = re.compile(rf"{TIME}\s*-\s*{TIME}")
RANGE_EXAMPLE = "HH:MM-HH:MM such as 09:00-12:00"
HOURS_EXPECTED = f"opening hours as {RANGE_EXAMPLE}, 13:30-17:30, or nothing when closed"
DAY_HOURS_EXAMPLE = "2026-10-03 09:00-11:30"


class Raw(Kind):
    """A value checked later, item by item (so each item keeps its own line); ``empty=False``
    refuses an empty value at once."""

    def __init__(self, expected: str, empty: bool = True) -> None:
        self.expected, self.empty = expected, empty

    def read(self, value: IniValue) -> IniValue:
        if not value.items and not self.empty:
            raise self.fail("")
        return value


HOURS_FIELDS = (
    *(Field(day, Raw(HOURS_EXPECTED)) for day in WEEKDAYS),
    Field("after_hours", Raw(f"after-hours service as {RANGE_EXAMPLE}, or nothing"), None),
    Field("closed_days", Raw("dates as YYYY-MM-DD, separated by commas or one per line"), None),
    Field("duty_days", Raw(f"one day per line with its hours, such as {DAY_HOURS_EXAMPLE}"), None),
    Field("working_days", Raw("one day per line with its hours, such as 2026-10-10 09:00-12:00, 13:30-17:30"), None),
)


# [hours.<service id>]: a service's own weekly hours; a day left out keeps the center's.
SERVICE_HOURS_FIELDS = tuple(Field(day, Raw(HOURS_EXPECTED), None) for day in WEEKDAYS)


class HoursReader:
    """Checks the [hours] values of one file, appending a Problem for each mistake."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.path, self.problems = path, problems
        self.lines = file_lines(path)

    def problem(self, line: int | None, message: str, section: str | None, key: str | None = None) -> None:
        self.problems.append(Problem(self.path, line, message, section, key))

    def read(self, section: IniSection, values: dict[str, Any]) -> Hours | None:
        """The [hours] section's values (from read_section) as Hours, or None after a mistake."""
        before = len(self.problems)
        weekly = {day: self._ranges(section, day, values.get(day)) for day in WEEKDAYS}
        after_hours = self._ranges(section, "after_hours", values.get("after_hours"))
        closed = self._dates(section, "closed_days", values.get("closed_days"))
        duty = self._day_hours(section, "duty_days", values.get("duty_days"))
        working = self._day_hours(section, "working_days", values.get("working_days"))
        self._check_special_days(section, weekly, closed, duty, working)
        if len(self.problems) > before or not all(day in values for day in WEEKDAYS):
            return None
        return Hours(
            weekly=weekly,
            after_hours=after_hours,
            closed_days=frozenset(closed),
            duty_days={day: ranges for day, (_line, ranges) in duty.items()},
            working_days={day: ranges for day, (_line, ranges) in working.items()},
        )

    def read_weekly(self, section: IniSection, values: dict[str, Any], center: Hours) -> dict[str, tuple[TimeRange, ...]] | None:
        """A [hours.<service id>] section as weekly hours (days not given: the center's), or None after a mistake."""
        before = len(self.problems)
        weekly = {day: self._ranges(section, day, values[day]) if values.get(day) is not None else center.weekly[day] for day in WEEKDAYS}
        return weekly if len(self.problems) == before else None

    def _ranges(self, section: IniSection, key: str, value: IniValue | None) -> tuple[TimeRange, ...]:
        if value is None:
            return ()
        pieces = [(line, piece) for line, item in self.items(value) for piece in split_items(item)]
        return self._ranges_of(section, key, pieces)

    def _ranges_of(self, section: IniSection, key: str, pieces: list[tuple[int, str]]) -> tuple[TimeRange, ...]:
        """Time ranges from ``(line, text)`` pieces; overlapping pieces are reported, not merged."""
        ranges: list[tuple[TimeRange, str, int]] = []
        for line, piece in pieces:
            try:
                ranges.append((parse_range(piece), piece, line))
            except FieldError as error:
                self.problem(line, str(error), section.name, key)
        ranges.sort(key=lambda r: (r[0].start, r[0].end))
        for (first, first_text, _), (second, second_text, line) in zip(ranges, ranges[1:], strict=False):
            if second.start < first.end:
                message = f"expected time ranges that do not overlap, got {describe(first_text)} and {describe(second_text)}"
                self.problem(line, message, section.name, key)
        return tuple(r for r, _, _ in ranges)

    def _dates(self, section: IniSection, key: str, value: IniValue | None) -> dict[dt.date, int]:
        """Each date with its line; bad and repeated dates are reported."""
        dates: dict[dt.date, int] = {}
        if value is None:
            return dates
        for line, item in self.items(value):
            for piece in split_items(item):
                day = self._date(section, key, line, piece)
                if day is None:
                    continue
                if day in dates:
                    message = f"expected each date once, got {describe(piece)} again (first at line {dates[day]})"
                    self.problem(line, message, section.name, key)
                else:
                    dates[day] = line
        return dates

    def _date(self, section: IniSection, key: str, line: int, text: str) -> dt.date | None:
        try:
            day: dt.date = Date().read(IniValue(text, [], line))
        except FieldError as error:
            self.problem(line, str(error), section.name, key)
            return None
        return day

    def _day_hours(self, section: IniSection, key: str, value: IniValue | None) -> dict[dt.date, tuple[int, tuple[TimeRange, ...]]]:
        """Lines of a date and its hours, such as ``2026-10-03 09:00-11:30, 14:00-16:00``."""
        days: dict[dt.date, tuple[int, tuple[TimeRange, ...]]] = {}
        if value is None:
            return days
        for line, item in self.items(value):
            date_text, _, hours_text = item.replace("\t", " ").partition(" ")
            if not hours_text.strip():
                message = f"expected a date and its hours such as {DAY_HOURS_EXAMPLE}, got {describe(item)}"
                self.problem(line, message, section.name, key)
                continue
            day = self._date(section, key, line, date_text)
            before = len(self.problems)
            ranges = self._ranges_of(section, key, [(line, piece) for piece in split_items(hours_text)])
            if day is None or len(self.problems) > before:
                continue
            if day in days:
                message = f"expected each date once, got {describe(date_text)} again (first at line {days[day][0]})"
                self.problem(line, message, section.name, key)
            else:
                days[day] = (line, ranges)
        return days

    def _check_special_days(
        self,
        section: IniSection,
        weekly: dict[str, tuple[TimeRange, ...]],
        closed: dict[dt.date, int],
        duty: dict[dt.date, tuple[int, tuple[TimeRange, ...]]],
        working: dict[dt.date, tuple[int, tuple[TimeRange, ...]]],
    ) -> None:
        for day, (line, _) in working.items():
            if day in closed:
                message = f"expected a day that is not also in closed_days, got {day.isoformat()!r} (closed_days, line {closed[day]})"
                self.problem(line, message, section.name, "working_days")
        for day, (line, _) in duty.items():
            weekday = WEEKDAYS[day.weekday()]
            if day in working:
                message = f"expected a day that is not also in working_days, got {day.isoformat()!r}"
                self.problem(line, message, section.name, "duty_days")
            elif day not in closed and weekly[weekday]:
                message = (
                    f"expected a day in closed_days or one without regular hours, got {day.isoformat()!r}, "
                    f"a {weekday.capitalize()} with regular hours"
                )
                self.problem(line, message, section.name, "duty_days")

    def items(self, value: IniValue) -> list[tuple[int, str]]:
        """The value's items, each with the line it is on."""
        return list(zip(item_lines(self.lines, value), value.items, strict=False))


def parse_range(text: str) -> TimeRange:
    """``09:00-12:00`` as a TimeRange; FieldError says what is wrong with it."""
    match = RANGE.fullmatch(text)
    if match is None:
        raise FieldError(f"expected a time range as {RANGE_EXAMPLE}, got {describe(text)}")
    start_h, start_m, end_h, end_m = (int(g) for g in match.groups())
    end_of_day = (end_h, end_m) == (24, 0)  # "-24:00": open until midnight
    start_text, end_text = (part.strip() for part in text.split("-"))
    for hour, minute, shown in ((start_h, start_m, start_text), (0 if end_of_day else end_h, end_m, end_text)):
        if hour > 23 or minute > 59:
            expected = "a time of day from 00:00 to 23:59 (or 24:00 as an end)"
            raise FieldError(f"expected {expected}, got {describe(shown)} in {describe(text)}")
    start, end = dt.time(start_h, start_m), dt.time.max if end_of_day else dt.time(end_h, end_m)
    if end <= start:
        raise FieldError(f"expected a time range that ends after it starts, got {describe(text)}")
    return TimeRange(start, end)


def split_items(item: str) -> list[str]:
    return [piece.strip() for piece in item.split(",") if piece.strip()]


def file_lines(path: Path) -> list[str]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return []
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def item_lines(lines: list[str], value: IniValue) -> list[int]:
    """The line of each of ``value.items``: the key's line for the text after ``=``, then the
    indented lines below it in order (blank and comment lines between them are skipped)."""
    found = [value.line] if value.first else []
    number = value.line
    for item in value.more:
        while number < len(lines):
            number += 1
            raw = lines[number - 1]
            if raw[:1] in (" ", "\t") and raw.strip() == item:
                break
        found.append(number)
    return found
