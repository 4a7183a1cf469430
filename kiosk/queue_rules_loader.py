"""Reads the content folder's ``queues.ini`` into :class:`kiosk.queue_rules.QueueRules`.

Sections: ``[numbering]`` (time zone, number width, green-channel and appointment letters, the
kiosks' offline blocks), ``[hours]`` (weekly hours, after-hours service, public holidays, holiday
duty, weekend working days), one ``[queue.<service id>]`` per service that issues tickets and one
``[window.<id>]`` per service window. Every mistake is a Problem naming the file, line, section
and key; list values are checked item by item, on the item's own line. The [hours] section is
read by :mod:`kiosk.hours_reader`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kiosk.fields import Decimal, Field, FieldError, Kind, Pattern, WholeNumber, YesNo
from kiosk.fields import Text as TextKind
from kiosk.hours_reader import HOURS_FIELDS, SERVICE_HOURS_FIELDS, HoursReader, Raw, split_items
from kiosk.ini_sections import complete, read_sections
from kiosk.inifile import IniFile, IniSection, IniValue, read_ini
from kiosk.problems import Problem, ProblemsFound, describe
from kiosk.queue_rules import WEEKDAYS, Hours, QueueRules, ServiceQueue, Window

QUEUES_FILE = "queues.ini"
MIN_SHARED_NUMBERS = 100


class TimeZoneName(Kind):
    expected = "an IANA time zone name such as Asia/Shanghai"

    def read(self, value: IniValue) -> str:
        text = value.text
        if not re.fullmatch(r"[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*", text):
            raise self.fail(text)
        try:
            ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise self.fail(text) from None
        return text


class OrNothing(Kind):
    """Another kind, or an empty value meaning none."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self.expected = f"{kind.expected}, or nothing"

    def read(self, value: IniValue) -> Any:
        if not value.text:
            return None
        try:
            return self.kind.read(value)
        except FieldError:
            raise self.fail(value.text) from None


LETTER = Pattern(r"[A-Z]", "one capital letter from A to Z")

NUMBERING_FIELDS = (
    Field("time_zone", TimeZoneName(), "Asia/Shanghai"),
    Field("digits", WholeNumber(3, 4), 3),
    Field("priority_prefix", LETTER, "V"),
    Field("appointment_prefix", LETTER, "Y"),
    Field("offline_block_size", WholeNumber(10, 5000), 50),
    Field("offline_blocks", WholeNumber(1, 16), 4),
    Field("recent_service_times", WholeNumber(1, 500), 20),
)
QUEUE_FIELDS = (
    Field("prefix", LETTER),
    Field("daily_cap", OrNothing(WholeNumber(1, 9999)), None),
    Field("default_minutes", OrNothing(Decimal(0.5, 480)), None),
    Field("after_hours", YesNo(), False),
    Field("holiday_duty", YesNo(), False),
    Field("digits", OrNothing(WholeNumber(3, 4)), None),
)
WINDOW_FIELDS = (
    Field("name", TextKind(), english=True),
    Field("services", Raw("service ids separated by commas, such as legal_aid, consultation", empty=False)),
)


def load_queue_rules(path: Path, service_ids: Sequence[str]) -> QueueRules:
    """Read ``path`` on its own (the content loader calls :func:`read_queue_rules`)."""
    ini, problems = read_ini(path)
    rules = read_queue_rules(ini, service_ids, problems) if not problems else None
    if problems or rules is None:
        raise ProblemsFound(problems)
    return rules


def read_queue_rules(ini: IniFile, service_ids: Sequence[str], problems: list[Problem]) -> QueueRules | None:
    """The rules in ``ini``, or None when it has mistakes (each one appended to ``problems``).
    ``service_ids`` are the content's services, in the order the kiosk lists them."""
    return _QueuesReader(ini, service_ids, problems).read()


def no_queues() -> QueueRules:
    """The rules of a center without queues.ini: every default, no queue, never open."""
    values = {f.name: f.default for f in NUMBERING_FIELDS}
    return QueueRules(**values, hours=Hours({day: () for day in WEEKDAYS}), queues={}, windows={})


class _QueuesReader:
    def __init__(self, ini: IniFile, service_ids: Sequence[str], problems: list[Problem]) -> None:
        self.ini, self.path, self.service_ids, self.problems = ini, ini.path, list(service_ids), problems
        self.hours = HoursReader(ini.path, problems)

    def problem(self, line: int | None, message: str, section: str | None, key: str | None = None) -> None:
        self.problems.append(Problem(self.path, line, message, section, key))

    def read(self) -> QueueRules | None:
        before = len(self.problems)
        fixed = {"numbering": NUMBERING_FIELDS, "hours": HOURS_FIELDS}
        prefixed = {"queue": QUEUE_FIELDS, "window": WINDOW_FIELDS, "hours": SERVICE_HOURS_FIELDS}
        found = read_sections(self.ini, fixed, prefixed, self.problems, optional=("numbering",))
        numbering: dict[str, Any] = {f.name: f.default for f in NUMBERING_FIELDS}  # without [numbering]
        hours: Hours | None = None
        queues: dict[str, ServiceQueue] = {}
        windows: dict[str, Window] = {}
        own_hours: list[tuple[str, IniSection, dict[str, Any]]] = []
        # Services with a [queue.<id>] section, even one with a mistake: windows may name them.
        ticketed = [ident for kind, ident, *_ in found if kind == "queue" and ident in self.service_ids]
        for kind, ident, section, values in found:
            if kind == "numbering":
                numbering = values  # a key with a mistake is left out, so no check uses a stand-in
                self._check_numbering(section, numbering)
            elif kind == "hours" and not ident:
                hours = self.hours.read(section, values)
            elif kind == "hours":
                own_hours.append((ident, section, values))
            elif kind == "queue":
                queue = self._queue(ident, section, values)
                if queue is not None:
                    queues[ident] = queue
            elif kind == "window" and complete(values, WINDOW_FIELDS):
                windows[ident] = self._window(ident, section, values, ticketed)
        if not any(kind == "queue" for kind, *_ in found):
            self.problem(None, "expected at least one [queue.<id>] section, got none", None)
        if hours is not None:
            self._service_hours(own_hours, hours, queues, ticketed)
        self._check_prefixes(numbering, queues)
        self._check_widths(numbering, queues)
        self._check_served(queues, windows)
        if len(self.problems) > before or hours is None:
            return None
        in_content_order = {s: queues[s] for s in self.service_ids if s in queues}
        return QueueRules(**numbering, hours=hours, queues=in_content_order, windows=windows)

    # -- [numbering] ---------------------------------------------------------------------------

    def _check_numbering(self, section: IniSection, numbering: dict[str, Any]) -> None:
        if not all(f.name in numbering for f in NUMBERING_FIELDS):
            return
        size, blocks, digits = numbering["offline_block_size"], numbering["offline_blocks"], numbering["digits"]
        highest = 10**digits - 1
        if highest - size * blocks < MIN_SHARED_NUMBERS:
            line = _key_line(section, "offline_blocks") or _key_line(section, "offline_block_size") or section.line
            message = (
                f"expected offline_block_size * offline_blocks to leave at least {MIN_SHARED_NUMBERS} of the numbers "
                f"1 to {highest} to the shared sequence, got {size} * {blocks} = {size * blocks}"
            )
            self.problem(line, message, section.name, "offline_blocks")

    def _check_prefixes(self, numbering: dict[str, Any], queues: dict[str, ServiceQueue]) -> None:
        section = self.ini.sections.get("numbering")
        owners: dict[str, str] = {}
        for key in ("priority_prefix", "appointment_prefix"):
            letter = numbering.get(key)
            if letter is None:
                continue
            if letter in owners:
                line = _key_line(section, key) if section else None
                self.problem(line, _taken(letter, owners[letter]), "numbering", key)
            else:
                owners[letter] = f"the {key} in [numbering]"
        for queue in queues.values():
            name = f"queue.{queue.service_id}"
            if queue.prefix in owners:
                self.problem(_key_line(self.ini.sections[name], "prefix"), _taken(queue.prefix, owners[queue.prefix]), name, "prefix")
            else:
                owners[queue.prefix] = f"the prefix of [{name}]"

    def _check_widths(self, numbering: dict[str, Any], queues: dict[str, ServiceQueue]) -> None:
        """A queue's own width must leave room for the shared sequence beside the offline blocks."""
        if "offline_block_size" not in numbering or "offline_blocks" not in numbering:
            return
        taken = numbering["offline_block_size"] * numbering["offline_blocks"]
        for queue in queues.values():
            if queue.digits is None or 10**queue.digits - 1 - taken >= MIN_SHARED_NUMBERS:
                continue
            name = f"queue.{queue.service_id}"
            message = (
                f"expected a width whose numbers 1 to {10**queue.digits - 1} leave at least {MIN_SHARED_NUMBERS} "
                f"beside the offline blocks ({taken} numbers), got {queue.digits}"
            )
            self.problem(_key_line(self.ini.sections[name], "digits"), message, name, "digits")

    # -- [hours.<id>] --------------------------------------------------------------------------

    def _service_hours(
        self, own_hours: list[tuple[str, IniSection, dict[str, Any]]], center: Hours, queues: dict[str, ServiceQueue], ticketed: list[str]
    ) -> None:
        """Give each service with a [hours.<id>] section its own weekly hours."""
        for ident, section, values in own_hours:
            if ident not in ticketed:
                message = f"expected a service with a [queue.<id>] section ({', '.join(ticketed)}), got {describe(ident)}"
                self.problem(section.line, message, section.name)
                continue
            weekly = self.hours.read_weekly(section, values, center)
            if weekly is not None and ident in queues:
                queues[ident] = dataclasses.replace(queues[ident], weekly=weekly)


    # -- [queue.<id>] and [window.<id>] --------------------------------------------------------

    def _queue(self, ident: str, section: IniSection, values: dict[str, Any]) -> ServiceQueue | None:
        if ident not in self.service_ids:
            message = f"expected one of the services {', '.join(self.service_ids)}, got {describe(ident)}, which has no file in services/"
            self.problem(section.line, message, section.name)
            return None
        if not complete(values, QUEUE_FIELDS):
            return None
        return ServiceQueue(
            ident,
            values["prefix"],
            values["daily_cap"],
            values["default_minutes"],
            values["after_hours"],
            values["holiday_duty"],
            digits=values["digits"],
        )

    def _window(self, ident: str, section: IniSection, values: dict[str, Any], ticketed: list[str]) -> Window:
        services: list[str] = []
        for line, item in self.hours.items(section.values["services"]):
            for service in split_items(item):
                if service in ticketed:
                    if service not in services:
                        services.append(service)
                    continue
                if service in self.service_ids:
                    message = f"expected a service that takes tickets, got {describe(service)}, which has no [queue.{service}] section"
                else:
                    message = f"expected one of the services {', '.join(ticketed) or '(none yet)'}, got {describe(service)}"
                self.problem(line, message, section.name, "services")
        return Window(ident, values["name"], values.get("name_en"), tuple(services))

    def _check_served(self, queues: dict[str, ServiceQueue], windows: dict[str, Window]) -> None:
        served = {s for w in windows.values() for s in w.services}
        for service_id in queues:
            if service_id not in served:
                name = f"queue.{service_id}"
                message = f"expected a [window.<id>] whose services include {service_id}, got none"
                self.problem(self.ini.sections[name].line, message, name)


def _taken(letter: str, owner: str) -> str:
    return f"expected a letter no other queue uses, got {describe(letter)}, already {owner}"


def _key_line(section: IniSection, key: str) -> int | None:
    value = section.values.get(key)
    return value.line if value is not None else None


