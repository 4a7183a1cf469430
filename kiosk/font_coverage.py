"""Finds characters that the kiosk's font cannot draw, so no visitor ever sees an empty box.

A staff member may type a rare name character (for example 堃 or 喆) that the bundled font
subset lacks; ``kiosk check`` reports it with file and line before it reaches the screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

from kiosk.problems import Problem


@lru_cache(maxsize=4)
def font_characters(font: Path) -> frozenset[int]:
    """The code points the font has glyphs for (the first face of a collection)."""
    with TTFont(str(font), fontNumber=0, lazy=True) as face:
        return frozenset(face.getBestCmap())


def missing_in_text(text: str, font: Path) -> list[str]:
    """The characters of ``text`` the font lacks, in order of appearance, each once."""
    have = font_characters(font)
    missing: list[str] = []
    for char in text:
        if char.isspace() or ord(char) in have or char in missing:
            continue
        missing.append(char)
    return missing


def missing_in_files(files: Iterable[Path], font: Path) -> list[Problem]:
    """One problem per line of a text file that has characters the font lacks."""
    problems = []
    for path in files:
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError):
            continue  # reported by the file's own check
        for number, line in enumerate(lines, start=1):
            if line.lstrip().startswith(("#", ";")):
                continue
            missing = missing_in_text(line, font)
            if missing:
                shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in missing)
                problems.append(Problem(path, number, f"expected characters the font {font.name} can show, got {shown}"))
    return problems
