"""Text measured in printer columns: a Chinese character takes two columns, ASCII one.

Font A on a thermal printer is 12 dots wide per column: 48 columns on 80 mm paper (576 dots)
and 32 on 58 mm (384 dots). python-escpos's ``block_text`` counts characters, which wraps
Chinese at twice the paper width; this module counts columns and keeps the Chinese line-breaking
rules of :mod:`kiosk.linebreak`.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from kiosk.linebreak import wrap

WIDE = ("W", "F")
# Characters that look alike but that the printer's GBK font lacks or prints wrongly.
REPLACEMENTS = {"¥": "￥", "\u00a0": " ", "\t": " "}


@lru_cache(maxsize=4096)
def char_columns(char: str) -> int:
    """Columns one character takes on a Chinese printer.

    A character the printer prints from its GBK font takes as many columns as it has bytes
    there, so marks such as ·, — and □ (of "ambiguous" width elsewhere) take two. Anything else
    is two columns when Unicode calls it wide, else one.
    """
    if unicodedata.combining(char):
        return 0
    try:
        return len(char.encode("gbk"))
    except UnicodeEncodeError:
        return 2 if unicodedata.east_asian_width(char) in WIDE else 1


def text_columns(text: str) -> int:
    return sum(char_columns(char) for char in text)


def normalize(text: str) -> str:
    """Text as it should go to paper: composed characters (é, not e and a combining accent, as
    text copied from some systems has them), ￥ not ¥, no tabs or non-breaking spaces."""
    text = unicodedata.normalize("NFC", text)
    for old, new in REPLACEMENTS.items():
        text = text.replace(old, new)
    return text


def wrap_columns(text: str, columns: int) -> list[str]:
    """``text`` broken into lines of at most ``columns`` columns, by the Chinese rules."""
    if columns < 2:
        raise ValueError(f"expected at least 2 columns, got {columns}")
    wrapped = wrap(normalize(text), columns, char_columns, safety=1.0)
    lines = wrapped.split("\n")
    return [line for piece in lines for line in _hard_fit(piece, columns)]


def _hard_fit(line: str, columns: int) -> list[str]:
    """Split a line that the rules could not shorten enough (for example a long mark run)."""
    out, current, width = [], "", 0
    for char in line:
        size = char_columns(char)
        if current and width + size > columns:
            out.append(current)
            current, width = "", 0
        current += char
        width += size
    out.append(current)
    return out
