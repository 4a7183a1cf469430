"""Problems found in a file a person edits, phrased so that person can fix them.

Every problem renders as one line: ``FILE:LINE: [section] key: expected ..., got ...``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One mistake in one place of one file."""

    path: Path
    line: int | None
    message: str
    section: str | None = None
    key: str | None = None

    def __str__(self) -> str:
        where = display_path(self.path)
        if self.line is not None:
            where += f":{self.line}"
        parts = [where + ":"]
        if self.section is not None:
            parts.append(f"[{self.section}]")
        if self.key is not None:
            parts.append(f"{self.key}:")
        parts.append(self.message)
        return one_line(" ".join(parts))


class ProblemsFound(Exception):
    """Raised when a file, or a set of files, cannot be used as it is."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def one_line(text: str) -> str:
    """Text with control and line-breaking characters shown as escapes, so it stays one line."""
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def display_path(path: Path) -> str:
    """The path as a person would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def describe(value: str) -> str:
    """How a bad value is quoted in a message (short, visible, with its quotes)."""
    if value == "":
        return "nothing"
    if len(value) > 40:
        value = value[:37] + "..."
    return repr(value)
