"""Chinese line breaking: no line starts with a closing mark or ends with an opening one."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kiosk.linebreak import NO_LINE_END, NO_LINE_START, units, wrap


def width(char: str) -> float:
    """Full-width characters take 2, others 1 (like columns on a terminal)."""
    return 1.0 if char.isascii() else 2.0


def test_closing_marks_stay_with_the_character_before() -> None:
    assert units("材料（原件），共1份。") == ["材", "料", "（原", "件），", "共", "1", "份。"]


def test_a_line_never_starts_with_a_full_stop_or_closing_bracket() -> None:
    text = "服务人员在岗情况，包括姓名、职务、是否在岗和未在岗原因。"
    for columns in range(6, 60):
        for line in wrap(text, columns / 0.98, width).split("\n"):
            assert line and line[0] not in NO_LINE_START, (columns, line)
            assert line[-1] not in NO_LINE_END


def test_latin_words_are_not_split() -> None:
    wrapped = wrap("Come to Window 7 or call the 12348 hotline", 12 / 0.98, width)
    assert wrapped.split("\n") == ["Come to", "Window 7 or", "call the", "12348", "hotline"]


def test_paragraphs_are_kept() -> None:
    assert wrap("一\n二", 100, width) == "一\n二"


@given(st.text(alphabet="法律援助中心，。、（）《》ab 12", max_size=80), st.integers(min_value=4, max_value=40))
def test_no_line_is_wider_than_asked_and_no_text_is_lost(text: str, columns: int) -> None:
    wrapped = wrap(text, columns, width)
    assert wrapped.replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")
    for line in wrapped.split("\n"):
        fits = sum(width(c) for c in line) <= columns * 0.98
        assert fits or len(line.rstrip()) <= 3, line  # a mark glued to its character may exceed a tiny width
