"""A small INI reader that remembers the line of every section and key.

Staff edit ``kiosk.ini`` and the content files by hand, so every mistake must be reported with
its file and line. ``configparser`` forgets lines; this reader keeps them and is strict where a
typo could otherwise pass unnoticed (duplicate sections or keys, stray lines).

Format: ``[section]`` lines, ``key = value`` lines, whole-line comments starting with ``#`` or
``;``, and continuation lines indented under a key (one list item or paragraph per line).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.problems import Problem, describe

SECTION_LINE = re.compile(r"^\[(?P<name>[^\]]*)\]\s*$")
SECTION_NAME = re.compile(r"^[A-Za-z0-9_.\-]+$")
KEY_NAME = re.compile(r"^[a-z0-9_]+$")


@dataclass
class IniValue:
    """A key's value: the text after ``=`` and any indented lines below it."""

    first: str
    more: list[str]
    line: int

    @property
    def items(self) -> list[str]:
        """The value as a list: one item per non-empty line."""
        return ([self.first] if self.first else []) + self.more

    @property
    def text(self) -> str:
        """The value as text: its lines joined as paragraphs."""
        return "\n".join(self.items)


@dataclass
class IniSection:
    """A ``[section]`` with its keys, in file order."""

    name: str
    line: int
    values: dict[str, IniValue] = field(default_factory=dict)


@dataclass
class IniFile:
    """A parsed file: its sections in file order."""

    path: Path
    sections: dict[str, IniSection] = field(default_factory=dict)


def read_ini(path: Path) -> tuple[IniFile, list[Problem]]:
    """Read ``path``; return what could be parsed and the problems found (empty when clean)."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        return IniFile(path), [Problem(path, None, "expected a file, got a directory")]
    except OSError as error:
        reason = error.strerror or str(error)
        return IniFile(path), [Problem(path, None, f"expected a readable file, got {reason.lower()}")]
    return parse_ini(path, data)


def parse_ini(path: Path, data: bytes) -> tuple[IniFile, list[Problem]]:
    """Parse the bytes of an INI file (UTF-8, an optional byte-order mark)."""
    body = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        line = body[: error.start].count(b"\n") + 1
        bad = body[error.start : error.start + 1].hex()
        return IniFile(path), [Problem(path, line, f"expected UTF-8 text, got the byte 0x{bad}")]
    # Split on line ends only, as an editor numbers lines (str.splitlines also splits on U+2028 and others).
    return _parse_lines(path, text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def _parse_lines(path: Path, lines: list[str]) -> tuple[IniFile, list[Problem]]:
    ini = IniFile(path)
    problems: list[Problem] = []
    section: IniSection | None = None
    value: IniValue | None = None
    for number, raw in enumerate(lines, start=1):
        stripped = raw.strip()
        if not stripped:
            continue
        if stripped[0] in "#;":
            continue
        if raw[0] in " \t":
            if value is None:
                problems.append(
                    Problem(path, number, f"expected an indented line only under a key, got {describe(stripped)}")
                )
            else:
                value.more.append(stripped)
            continue
        value = None
        header = SECTION_LINE.match(stripped)
        if header:
            name = header.group("name").strip()
            if not SECTION_NAME.match(name):
                problems.append(
                    Problem(path, number, f"expected a section name of letters, digits, '_', '.' or '-', got {describe(name)}")
                )
                section = IniSection(name, number)  # not kept: its keys are read and dropped
            elif name in ini.sections:
                first = ini.sections[name].line
                problems.append(Problem(path, number, f"expected each section once, got it again (first at line {first})", name))
                section = IniSection(name, number)  # not kept: its keys are read and dropped
            else:
                section = IniSection(name, number)
                ini.sections[name] = section
            continue
        if "=" not in stripped:
            problems.append(Problem(path, number, f"expected 'key = value', '[section]' or a comment, got {describe(stripped)}"))
            continue
        key, _, rest = stripped.partition("=")
        key = key.strip()
        if section is None:
            if not ini.sections and not problems:
                message = f"expected a [section] line before the first key, got {describe(stripped)}"
                problems.append(Problem(path, number, message, None, key))
            continue
        if not KEY_NAME.match(key):
            problems.append(
                Problem(path, number, f"expected a key of lower-case letters, digits and '_', got {describe(key)}", section.name)
            )
            value = IniValue(rest.strip(), [], number)  # not kept
            continue
        if key in section.values:
            first = section.values[key].line
            problems.append(Problem(path, number, f"expected each key once, got it again (first at line {first})", section.name, key))
            value = IniValue(rest.strip(), [], number)  # not kept: its indented lines are read and dropped
            continue
        value = IniValue(rest.strip(), [], number)
        section.values[key] = value
    return ini, problems
