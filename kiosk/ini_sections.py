"""Reads the sections of one content file against their field lists: fixed sections such as
``[center]`` and prefixed ones such as ``[service.<id>]``. Unknown and badly named sections, and
missing required ones, become problems; shared by :mod:`kiosk.content_loader` and
:mod:`kiosk.queue_rules_loader`."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from kiosk.fields import Field, read_section, unknown_section_message
from kiosk.inifile import IniFile, IniSection
from kiosk.problems import Problem, describe

ID = r"[a-z0-9_]+"
# Section ids after the prefix: "<id>" everywhere but choices, which are "<question>.<choice>".
SECTION_IDS = {"choice": (rf"{ID}\.{ID}", "<question id>.<choice id> of lower-case letters, digits and '_'")}
DEFAULT_SECTION_ID = (ID, "an id of lower-case letters, digits and '_'")

Found = tuple[str, str, IniSection, dict[str, Any]]


def read_sections(
    ini: IniFile,
    fixed: Mapping[str, tuple[Field, ...]],
    prefixed: Mapping[str, tuple[Field, ...]],
    problems: list[Problem],
    optional: Collection[str] = (),
) -> list[Found]:
    """Read each section as (kind, id, section, values); report unknown and badly named ones,
    and fixed sections that are missing unless named in ``optional``."""
    known = list(fixed) + [f"{p}.<id>" for p in prefixed]
    found = []
    for name, section in ini.sections.items():
        kind, _, ident = name.partition(".")
        if name in fixed:
            fields = fixed[name]
        elif kind in prefixed and ident:
            pattern, expected = SECTION_IDS.get(kind, DEFAULT_SECTION_ID)
            if not re.fullmatch(pattern, ident):
                message = f"expected {expected} after '{kind}.', got {describe(ident)}"
                problems.append(Problem(ini.path, section.line, message, name))
                continue
            fields = prefixed[kind]
        else:
            problems.append(Problem(ini.path, section.line, unknown_section_message(name, known), name))
            continue
        found.append((kind, ident, section, read_section(section, fields, problems, ini.path)))
    for name in fixed:
        if name not in ini.sections and name not in optional:
            problems.append(Problem(ini.path, None, f"expected a [{name}] section, got none", name))
    return found


def complete(values: dict[str, Any], fields: Iterable[Field]) -> bool:
    """Whether every key came through clean (problems were already reported)."""
    return all(f.name in values for f in fields)
