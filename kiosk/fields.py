"""Typed keys of an INI section: what each key expects and how its text becomes a value.

A section is read against a list of :class:`Field`; every wrong, missing or unknown key becomes
a :class:`~kiosk.problems.Problem` that names the file, line, section and key.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kiosk.inifile import IniSection, IniValue
from kiosk.problems import Problem, describe

ENGLISH_SUFFIX = "_en"


class FieldError(Exception):
    """A value that does not fit its key; the message says what was expected and what came."""


class Kind:
    """How one kind of value is read. Subclasses set ``expected`` and implement ``read``."""

    expected = "a value"

    def read(self, value: IniValue) -> Any:
        raise NotImplementedError

    def fail(self, got: str) -> FieldError:
        return FieldError(f"expected {self.expected}, got {describe(got)}")


class Text(Kind):
    expected = "some text"

    def read(self, value: IniValue) -> str:
        if not value.text:
            raise self.fail("")
        return value.text


class OptionalText(Kind):
    expected = "some text or nothing"

    def read(self, value: IniValue) -> str:
        return value.text


class Lines(Kind):
    """A list: the value after ``=`` and each indented line below it are items."""

    expected = "a list, one item per indented line"

    def read(self, value: IniValue) -> list[str]:
        if not value.items:
            raise self.fail("")
        return value.items


class YesNo(Kind):
    expected = "yes or no"

    def read(self, value: IniValue) -> bool:
        word = value.text.lower()
        if word in ("yes", "true", "on", "1"):
            return True
        if word in ("no", "false", "off", "0"):
            return False
        raise self.fail(value.text)


class WholeNumber(Kind):
    def __init__(self, low: int, high: int, unit: str = "") -> None:
        self.low, self.high = low, high
        unit = f" {unit}" if unit else ""
        self.expected = f"a whole number{unit} from {low} to {high}"

    def read(self, value: IniValue) -> int:
        text = value.text
        if not re.fullmatch(r"[+-]?\d+", text):
            raise self.fail(text)
        number = int(text)
        if not self.low <= number <= self.high:
            raise self.fail(text)
        return number


class HexNumber(Kind):
    """A number written in hexadecimal (0x0416) or decimal, as USB ids and endpoints are."""

    def __init__(self, low: int, high: int, empty_is_zero: bool = False) -> None:
        self.low, self.high, self.empty_is_zero = low, high, empty_is_zero
        self.expected = f"a hexadecimal number such as 0x0416, from 0x{low:x} to 0x{high:x}"
        if empty_is_zero:
            self.expected += ", or nothing"

    def read(self, value: IniValue) -> int:
        text = value.text.lower()
        if not text and self.empty_is_zero:
            return 0
        if re.fullmatch(r"0x[0-9a-f]+", text):
            number = int(text, 16)
        elif re.fullmatch(r"\d+", text):
            number = int(text)
        else:
            raise self.fail(value.text)
        if not self.low <= number <= self.high:
            raise self.fail(value.text)
        return number


class Decimal(Kind):
    def __init__(self, low: float, high: float) -> None:
        self.low, self.high = low, high
        self.expected = f"a number from {low:g} to {high:g}"

    def read(self, value: IniValue) -> float:
        text = value.text
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
            raise self.fail(text)
        number = float(text)
        if not self.low <= number <= self.high:
            raise self.fail(text)
        return number


class Choice(Kind):
    def __init__(self, *options: str) -> None:
        self.options = options
        self.expected = "one of " + ", ".join(options)

    def read(self, value: IniValue) -> str:
        if value.text not in self.options:
            raise self.fail(value.text)
        return value.text


class Pattern(Kind):
    def __init__(self, pattern: str, expected: str) -> None:
        self.pattern = re.compile(pattern)
        self.expected = expected

    def read(self, value: IniValue) -> str:
        if not self.pattern.fullmatch(value.text):
            raise self.fail(value.text)
        return value.text


class Date(Kind):
    expected = "a date as YYYY-MM-DD"

    def read(self, value: IniValue) -> dt.date:
        text = value.text
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise self.fail(text)
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise FieldError(f"expected a real calendar date as YYYY-MM-DD, got {describe(text)}") from None


REQUIRED: Any = object()


@dataclass(frozen=True)
class Field:
    """One key of a section: its name, its kind and its default (``REQUIRED`` when none)."""

    name: str
    kind: Kind
    default: Any = REQUIRED
    english: bool = False

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


def read_section(
    section: IniSection, fields: Sequence[Field], problems: list[Problem], path: Any
) -> dict[str, Any]:
    """Read ``section`` against ``fields``.

    Returns every field's value (its default when missing) plus ``<name>_en`` for fields that
    allow an English twin. Problems are appended to ``problems``; a key with a problem is left
    out of the result.
    """
    by_name = {f.name: f for f in fields}
    allowed = list(by_name) + [f.name + ENGLISH_SUFFIX for f in fields if f.english]
    result: dict[str, Any] = {}
    for key, value in section.values.items():
        field = by_name.get(key)
        twin_of = by_name.get(key.removesuffix(ENGLISH_SUFFIX)) if key.endswith(ENGLISH_SUFFIX) else None
        if field is None and not (twin_of is not None and twin_of.english):
            problems.append(Problem(path, value.line, _unknown_key_message(key, allowed), section.name, key))
            continue
        kind = field.kind if field is not None else twin_of.kind  # type: ignore[union-attr]
        try:
            result[key] = kind.read(value)
        except FieldError as error:
            problems.append(Problem(path, value.line, str(error), section.name, key))
    for field in fields:
        if field.name in result or field.name in _keys_with_problems(problems, section.name, path):
            continue
        if field.required:
            message = f"expected {field.kind.expected}, got no value (the key is missing)"
            problems.append(Problem(path, section.line, message, section.name, field.name))
        else:
            result[field.name] = field.default
    _check_english_lists(section, fields, result, problems, path)
    return result


def _keys_with_problems(problems: list[Problem], section: str, path: Any) -> set[str]:
    return {p.key for p in problems if p.section == section and p.path == path and p.key}


def _check_english_lists(
    section: IniSection, fields: Sequence[Field], result: dict[str, Any], problems: list[Problem], path: Any
) -> None:
    for field in fields:
        twin = field.name + ENGLISH_SUFFIX
        if not (field.english and isinstance(field.kind, Lines) and twin in result and field.name in result):
            continue
        chinese, english = result[field.name], result[twin]
        if len(chinese) != len(english):
            message = f"expected {len(chinese)} items, one for each item of {field.name}, got {len(english)}"
            problems.append(Problem(path, section.values[twin].line, message, section.name, twin))
            del result[twin]


def _unknown_key_message(key: str, allowed: list[str]) -> str:
    message = f"expected one of the keys {', '.join(allowed)}, got an unknown key"
    close = difflib.get_close_matches(key, allowed, n=1)
    if close:
        message += f" (did you mean {close[0]!r}?)"
    return message


def unknown_section_message(name: str, allowed: list[str]) -> str:
    """The message for a section that the file does not know."""
    message = f"expected one of the sections {', '.join(allowed)}, got an unknown section"
    close = difflib.get_close_matches(name, allowed, n=1)
    if close:
        message += f" (did you mean [{close[0]}]?)"
    return message
