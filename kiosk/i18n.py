"""The screens' own words in every language (assets/i18n/<language>.ini, section [strings]).

Content comes in Chinese with optional English (see :class:`kiosk.content.Text`); the interface
itself is fully translated, and a test holds both files to the same keys.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.config import LANGUAGES
from kiosk.inifile import read_ini
from kiosk.paths import I18N_DIR
from kiosk.problems import Problem, ProblemsFound


class Strings:
    """Looks up an interface string by key and language."""

    def __init__(self, tables: dict[str, dict[str, str]]) -> None:
        self.tables = tables

    def get(self, key: str, language: str, **values: object) -> str:
        text = self.tables[language][key]
        return text.format(**values) if values else text


def load_strings(folder: Path = I18N_DIR) -> Strings:
    """Read every language's file; raise ProblemsFound when one lacks a key another has."""
    tables: dict[str, dict[str, str]] = {}
    problems: list[Problem] = []
    for language in LANGUAGES:
        ini, found = read_ini(folder / f"{language}.ini")
        problems.extend(found)
        section = ini.sections.get("strings")
        tables[language] = {k: v.text for k, v in section.values.items()} if section else {}
    every_key = set().union(*(set(t) for t in tables.values()))
    for language, table in tables.items():
        for key in sorted(every_key - set(table)):
            problems.append(Problem(folder / f"{language}.ini", None, "expected a translation, got none", "strings", key))
    if problems:
        raise ProblemsFound(problems)
    return Strings(tables)
