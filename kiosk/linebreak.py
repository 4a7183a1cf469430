"""Line breaking for Chinese text by the usual rules (避头尾): no line starts with a closing mark
such as ，。、）》 and no line ends with an opening mark such as （《. Latin words stay whole.

Kivy breaks Chinese text at whatever character reaches the edge, leaving a lone "。" or "）" at
the start of a line. The screens wrap text here first, with the font's own character widths.
"""

from __future__ import annotations

from collections.abc import Callable

NO_LINE_START = frozenset("，。、；：？！）》」』〉】〕〗”’…·．,.;:?!)]}%％")
NO_LINE_END = frozenset("（《「『〈【〔〖“‘([{")
SAFETY = 0.98  # sums of character widths can differ a little from a measured line (kerning)


def is_word_character(char: str) -> bool:
    """Characters that make up a Latin word or a number, which must not be split."""
    return char.isascii() and (char.isalnum() or char in "-'/@&_#+")


def units(paragraph: str) -> list[str]:
    """The paragraph cut where a line may break, each piece with the spaces after it."""
    pieces: list[str] = []
    index = 0
    while index < len(paragraph):
        end = index + 1
        if is_word_character(paragraph[index]):
            while end < len(paragraph) and is_word_character(paragraph[end]):
                end += 1
        while end < len(paragraph) and paragraph[end] == " ":
            end += 1
        piece = paragraph[index:end]
        index = end
        if pieces and (piece[0] in NO_LINE_START or pieces[-1].rstrip()[-1:] in NO_LINE_END):
            pieces[-1] += piece
        else:
            pieces.append(piece)
    return pieces


def wrap(text: str, width: float, char_width: Callable[[str], float], safety: float = SAFETY) -> str:
    """``text`` with line breaks so that no line is wider than ``width`` (times ``safety``)."""
    limit = width * safety
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, line_width = "", 0.0
        for piece in units(paragraph):
            piece_width = sum(char_width(c) for c in piece.rstrip())
            if line and line_width + piece_width > limit:
                lines.append(line.rstrip())
                piece = piece.lstrip()
                line, line_width = "", 0.0
            while piece_width > limit and len(piece) > 1:  # a word longer than a line: cut it
                cut = _longest_fitting(piece, limit, char_width)
                lines.append(piece[:cut])
                piece = piece[cut:]
                piece_width = sum(char_width(c) for c in piece.rstrip())
            line += piece
            line_width += sum(char_width(c) for c in piece)
        lines.append(line.rstrip())
    return "\n".join(lines)


def _longest_fitting(piece: str, limit: float, char_width: Callable[[str], float]) -> int:
    total = 0.0
    for index, char in enumerate(piece):
        total += char_width(char)
        if total > limit:
            return max(1, index)
    return len(piece)
