"""Appointments (预约) from the CSV file staff export each day, and checking a code in at the kiosk.

The file is UTF-8 (a byte-order mark is fine) with the header ``code,date,time,service``:

    code,date,time,service
    20481,2026-11-23,09:30-10:00,notarization

``code`` is 4 to 8 digits, ``date`` YYYY-MM-DD, ``time`` the slot as HH:MM-HH:MM in the center's
local time, ``service`` a service id that takes tickets. A code may come back on another day but
not twice on one day. Lines starting with ``#`` are comments (assets/sample-appointments.csv).
Whether a code was already used is the ticket ledger's business, not this module's.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from kiosk.fields import Date, FieldError
from kiosk.hours_reader import parse_range
from kiosk.inifile import IniValue
from kiosk.problems import Problem, ProblemsFound, describe
from kiosk.queue_rules import TimeRange
from kiosk.ticket import APPOINTMENT_MISSED, APPOINTMENT_OTHER_DAY, UNKNOWN_APPOINTMENT, TicketRefused

HEADER = ("code", "date", "time", "service")
CODE = re.compile(r"\d{4,8}")


@dataclass(frozen=True)
class Appointment:
    code: str
    day: dt.date
    slot: TimeRange  # local time of the center
    service_id: str
    line: int  # in the file, for messages to staff


class Appointments:
    """The appointments of one file, found by code."""

    def __init__(self, appointments: Collection[Appointment] = ()) -> None:
        self._by_code: dict[str, list[Appointment]] = {}
        for appointment in sorted(appointments, key=lambda a: (a.day, a.slot.start)):
            self._by_code.setdefault(appointment.code, []).append(appointment)

    def __len__(self) -> int:
        return sum(len(found) for found in self._by_code.values())

    def on(self, day: dt.date) -> list[Appointment]:
        """The day's appointments, by slot."""
        found = [a for group in self._by_code.values() for a in group if a.day == day]
        return sorted(found, key=lambda a: (a.slot.start, a.code))

    def check_in(self, code: str, local_now: dt.datetime) -> Appointment:
        """The appointment ``code`` names for today, as long as its slot has not ended.

        ``local_now`` is the center's local time (``QueueRules.local(now)``). Coming early on the
        right day is fine: the visitor waits. Raises TicketRefused with UNKNOWN_APPOINTMENT,
        APPOINTMENT_OTHER_DAY or APPOINTMENT_MISSED.
        """
        found = self._by_code.get(code.strip())
        if not found:
            raise TicketRefused(UNKNOWN_APPOINTMENT, detail=f"no appointment has the code {code!r}")
        today = local_now.date()
        for appointment in found:
            if appointment.day != today:
                continue
            if local_now.time().replace(tzinfo=None) >= appointment.slot.end:
                end = appointment.slot.end.strftime("%H:%M")
                raise TicketRefused(APPOINTMENT_MISSED, detail=f"appointment {code} ended at {end} today")
            return appointment
        days = ", ".join(a.day.isoformat() for a in found)
        raise TicketRefused(APPOINTMENT_OTHER_DAY, detail=f"appointment {code} is on {days}, not today")


def load_appointments(path: Path, service_ids: Collection[str]) -> Appointments:
    """Read ``path``; raise ProblemsFound with one line per bad row (``FILE:LINE: column: ...``)."""
    problems: list[Problem] = []
    text = _read_text(path, problems)
    if text is None:
        raise ProblemsFound(problems)
    appointments: list[Appointment] = []
    seen: dict[tuple[str, dt.date], int] = {}
    # Comment lines become empty lines, so the reader still counts lines as an editor does.
    # Split on line ends only, as an editor numbers lines (str.splitlines also splits on U+2028 and others).
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = ["\n" if line.lstrip().startswith("#") else line + "\n" for line in raw_lines]
    reader = csv.reader(lines)
    header_seen = False
    for row in reader:
        line = reader.line_num
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if not header_seen:
            header_seen = True
            if tuple(cell.lower() for cell in cells) != HEADER:
                got = describe(",".join(row))
                problems.append(Problem(path, line, f"expected the header {','.join(HEADER)}, got {got}"))
                break
            continue
        appointment = _row(path, line, cells, service_ids, problems)
        if appointment is None:
            continue
        first = seen.setdefault((appointment.code, appointment.day), line)
        if first != line:
            message = f"expected a code used once on {appointment.day.isoformat()}, got {appointment.code!r} again (first at line {first})"
            problems.append(Problem(path, line, message, key="code"))
            continue
        appointments.append(appointment)
    if not header_seen:
        problems.append(Problem(path, None, f"expected the header {','.join(HEADER)} on the first line, got an empty file"))
    if problems:
        raise ProblemsFound(problems)
    return Appointments(appointments)


def _read_text(path: Path, problems: list[Problem]) -> str | None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(path, None, "expected the appointments file (CSV), got no such file"))
        return None
    except OSError as error:
        problems.append(Problem(path, None, f"expected a readable file, got {(error.strerror or str(error)).lower()}"))
        return None
    body = data.removeprefix(codecs.BOM_UTF8)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        line = body[: error.start].count(b"\n") + 1
        bad = body[error.start : error.start + 1].hex()
        problems.append(Problem(path, line, f"expected UTF-8 text (save the CSV as UTF-8), got the byte 0x{bad}"))
        return None


def _row(path: Path, line: int, cells: list[str], service_ids: Collection[str], problems: list[Problem]) -> Appointment | None:
    if len(cells) != len(HEADER):
        message = f"expected {len(HEADER)} columns ({','.join(HEADER)}), got {len(cells)}"
        problems.append(Problem(path, line, message))
        return None
    code, date_text, time_text, service = cells
    before = len(problems)
    if not CODE.fullmatch(code):
        problems.append(Problem(path, line, f"expected a code of 4 to 8 digits, got {describe(code)}", key="code"))
    day: dt.date | None = None
    try:
        day = Date().read(IniValue(date_text, [], line))
    except FieldError as error:
        problems.append(Problem(path, line, str(error), key="date"))
    slot: TimeRange | None = None
    try:
        slot = parse_range(time_text)
    except FieldError as error:
        problems.append(Problem(path, line, str(error), key="time"))
    if service not in service_ids:
        message = f"expected one of the services {', '.join(service_ids)}, got {describe(service)}"
        problems.append(Problem(path, line, message, key="service"))
    if len(problems) > before or day is None or slot is None:
        return None
    return Appointment(code, day, slot, service, line)
