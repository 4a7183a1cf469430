"""Line-level edits of a content set's INI text, as the dashboard makes them: a staff member's
on-duty state and absence reason in ``staff.ini``; a ``[notice.ID]`` section of ``notices.ini``
added, replaced or deleted.

An edit changes only the lines it must: comments, blank lines and the other keys stay as they
were. :mod:`kiosk.inifile` finds the sections and keys; a key's lines are its own line and the
indented lines below it (comments and blank lines among them included), as that reader counts
them. Whether the result is a good set is for :func:`server.content_sets.check_set` to say.

A wrong argument raises ``ValueError`` (one line, ``key: expected ..., got ...``); a staff member
or notice that is not in the file raises :class:`NotInSet`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.inifile import IniFile, IniSection, parse_ini
from kiosk.problems import describe

NOTICE_ID = re.compile(r"[a-z0-9_]{1,40}")
INDENT = "    "
Value = str | list[str] | None  # one line, paragraphs (one indented line each), or None: no such key


class NotInSet(LookupError):
    """The staff member or notice to change is not in the set."""


@dataclass(frozen=True)
class NoticeText:
    """A notice as the dashboard's form gives it; what the loader checks (dates, numbers) is left as typed."""

    id: str
    title: str
    title_en: str
    body: str
    body_en: str
    published: str
    period_days: str
    long_term: bool


def edit_file(path: Path, change: Callable[[str], str]) -> None:
    """Rewrite the UTF-8 file at ``path`` with ``change`` (its line ends and byte-order mark kept)."""
    path.write_bytes(change(path.read_bytes().decode("utf-8")).encode("utf-8"))


def set_on_duty(text: str, staff_id: str, on_duty: bool, reason: str, reason_en: str = "") -> str:
    """``staff.ini`` with ``[staff.ID]`` on duty (no reason kept) or off duty with its reason. An
    empty reason leaves none, which the set's check refuses."""
    section = f"staff.{staff_id}"
    _section(text, section, "staff")
    text = set_key(text, section, "on_duty", "yes" if on_duty else "no")
    if on_duty:
        return set_key(set_key(text, section, "absence_reason", None), section, "absence_reason_en", None)
    text = set_key(text, section, "absence_reason", _one_line(reason) or None, after=("on_duty",))
    return set_key(text, section, "absence_reason_en", _one_line(reason_en) or None, after=("absence_reason", "on_duty"))


def add_notice(text: str, notice: NoticeText) -> str:
    """``notices.ini`` with a new ``[notice.ID]`` section at its end."""
    check_notice_id(notice.id)
    section = f"notice.{notice.id}"
    if section in _parsed(text).sections:
        raise ValueError(f"notice_id: expected an id no other notice has, got {describe(notice.id)}")
    newline = _newline(text)
    lines = _lines(text)
    while lines and not lines[-1].strip():
        lines.pop()
    block = [f"[{section}]"]
    for key, value in _notice_values(notice):
        if value is not None:
            block.extend(_key_lines(key, value))
    lines.extend(["", *block] if lines else block)
    return newline.join(lines) + newline


def replace_notice(text: str, notice: NoticeText) -> str:
    """``notices.ini`` with ``[notice.ID]``'s keys set to the form's values, in place."""
    check_notice_id(notice.id)
    section = f"notice.{notice.id}"
    _section(text, section, "notice")
    previous: tuple[str, ...] = ()
    for key, value in _notice_values(notice, keep_long_term_no="long_term" in _parsed(text).sections[section].values):
        text = set_key(text, section, key, value, after=previous)
        previous = (key, *previous)
    return text


def delete_notice(text: str, notice_id: str) -> str:
    """``notices.ini`` without ``[notice.ID]`` (its header, keys and the comments among them)."""
    check_notice_id(notice_id)
    section = _section(text, f"notice.{notice_id}", "notice")
    lines = _lines(text)
    start, end = section.line - 1, _section_end(lines, section)
    del lines[start : end + 1]
    if start > 0 and not lines[start - 1].strip() and (start == len(lines) or not lines[start].strip()):
        del lines[start - 1]  # the blank line that separated it
    return _newline(text).join(lines)


def check_notice_id(notice_id: str) -> None:
    if not NOTICE_ID.fullmatch(notice_id):
        raise ValueError(f"notice_id: expected 1 to 40 of a-z 0-9 _, got {describe(notice_id)}")


def paragraphs(text: str, key: str) -> list[str]:
    """A text box's paragraphs (one per line, blank lines dropped); a paragraph must not read as a comment."""
    found = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if line.strip()]
    for paragraph in found:
        if paragraph[0] in "#;":
            message = "expected paragraphs that do not start with '#' or ';' (they would read as comments)"
            raise ValueError(f"{key}: {message}, got {describe(paragraph)}")
    return found


# ----- keys


def set_key(text: str, section: str, key: str, value: Value, after: Sequence[str] = ()) -> str:
    """``text`` with ``key`` of ``[section]`` set to ``value`` (None: removed). An unchanged value
    leaves the text as it is; a new key goes after the first of ``after`` the section has, else at
    the section's end."""
    ini = _parsed(text)
    found = ini.sections[section]
    lines = _lines(text)
    existing = found.values.get(key)
    if existing is not None:
        start = existing.line - 1
        end = _value_end(lines, start)
        if value is not None and existing.text == _value_text(value):
            return text
        lines[start : end + 1] = [] if value is None else _key_lines(key, value)
    elif value is not None:
        anchor = next((found.values[name] for name in after if name in found.values), None)
        position = _section_end(lines, found) if anchor is None else _value_end(lines, anchor.line - 1)
        lines[position + 1 : position + 1] = _key_lines(key, value)
    else:
        return text
    return _newline(text).join(lines)


def _notice_values(notice: NoticeText, keep_long_term_no: bool = False) -> list[tuple[str, Value]]:
    if notice.long_term:
        period: list[tuple[str, Value]] = [("period_days", None), ("long_term", "yes")]
    else:
        period = [("period_days", _one_line(notice.period_days) or None), ("long_term", "no" if keep_long_term_no else None)]
    return [
        ("title", _one_line(notice.title)),
        ("title_en", _one_line(notice.title_en) or None),
        ("body", paragraphs(notice.body, "body")),
        ("body_en", paragraphs(notice.body_en, "body_en") or None),
        ("published", _one_line(notice.published)),
        *period,
    ]


def _key_lines(key: str, value: str | list[str]) -> list[str]:
    if isinstance(value, str):
        return [f"{key} = {value}".rstrip()]
    return [f"{key} =", *(INDENT + paragraph for paragraph in value)]


def _value_text(value: str | list[str]) -> str:
    return value if isinstance(value, str) else "\n".join(value)


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ----- lines


def _parsed(text: str) -> IniFile:
    ini, _problems = parse_ini(Path("edited.ini"), text.encode("utf-8"))
    return ini


def _section(text: str, name: str, kind: str) -> IniSection:
    section = _parsed(text).sections.get(name)
    if section is None:
        raise NotInSet(f"{kind} id: expected one of the set's, got {describe(name.partition('.')[2])}")
    return section


def _lines(text: str) -> list[str]:
    """The lines as :mod:`kiosk.inifile` numbers them (line N is index N-1), without their line ends."""
    return text.replace("\r\n", "\n").split("\n")


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _is_continuation(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and line[0] in " \t" and stripped[0] not in "#;"


def _value_end(lines: list[str], start: int) -> int:
    """The index of a key's last line: its own, or the last indented line that still belongs to it."""
    end = start
    for index in range(start + 1, len(lines)):
        line = lines[index]
        stripped = line.strip()
        if _is_continuation(line):
            end = index
        elif stripped and stripped[0] not in "#;":
            break
    return end


def _section_end(lines: list[str], section: IniSection) -> int:
    """The index of a section's last line: its header's, or its last key's last line."""
    return max([section.line - 1, *(_value_end(lines, value.line - 1) for value in section.values.values())])
