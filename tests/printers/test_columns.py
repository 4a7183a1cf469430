"""Widths in printer columns: Chinese and GBK marks take two, ASCII one; wrapped lines never
exceed the paper (32 columns on 58 mm, 48 on 80 mm); ¥ prints as ￥."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from printers.columns import char_columns, normalize, text_columns, wrap_columns
from printers.encoder import gbk_bytes
from printers.settings import PrinterSettings

ALPHABET = "法律援助申请人公证调解中心窗口ABCxyz0123456789 ，。、：；（）《》“”！？·—□￥¥.-/"


@pytest.mark.parametrize(("paper", "dots", "columns"), [(58, 384, 32), (80, 576, 48)])
def test_paper_widths(paper: int, dots: int, columns: int) -> None:
    settings = PrinterSettings(paper_width=paper)
    assert (settings.dots, settings.columns) == (dots, columns)


@pytest.mark.parametrize(
    ("char", "columns"),
    [("法", 2), ("A", 1), (" ", 1), ("，", 2), ("：", 2), ("（", 2), ("·", 2), ("—", 2), ("□", 2), ("￥", 2), ("䶮", 2), ("𠮷", 2)],
)
def test_char_columns(char: str, columns: int) -> None:
    assert char_columns(char) == columns


def test_gbk_marks_take_as_many_columns_as_their_bytes() -> None:
    for mark in "·—□￥：“”《》":
        encoded = gbk_bytes(mark)
        assert encoded is not None and len(encoded) == char_columns(mark) == 2


def test_yen_becomes_fullwidth_and_stays_native_text() -> None:
    assert normalize("费用¥20") == "费用￥20"
    [line] = wrap_columns("费用¥20\t元", 48)
    assert line == "费用￥20 元"
    assert gbk_bytes(line) == "费用￥20 元".encode("gbk")
    assert gbk_bytes("¥") is None  # why: the plain yen sign is not in GBK at all


def test_decomposed_accents_are_composed() -> None:
    """José typed on a system that sends e + a combining accent prints as José, natively."""
    [line] = wrap_columns("Jose\u0301 张", 32)
    assert line == "José 张"
    assert gbk_bytes(line) is not None


@pytest.mark.parametrize("columns", [32, 48])
def test_mixed_text_wraps_within_the_paper(columns: int) -> None:
    text = "申请人（Applicant）：张明，身份证号码110101199001011234；费用：¥0.00——免费。□原件□复印件·共2份"
    lines = wrap_columns(text, columns)
    assert len(lines) >= 2
    for line in lines:
        assert text_columns(line) <= columns
        encoded = gbk_bytes(line)
        assert encoded is not None and len(encoded) <= columns
    assert "".join(lines).replace(" ", "") == normalize(text).replace(" ", "")
    assert not any(line.startswith(("，", "。", "；", "：", "）")) for line in lines)


def test_a_long_latin_word_is_cut_to_fit() -> None:
    lines = wrap_columns("https://kiosk.example.org/" + "a" * 60, 32)
    assert all(text_columns(line) <= 32 for line in lines)
    assert "".join(lines) == "https://kiosk.example.org/" + "a" * 60


def test_too_narrow_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 2 columns"):
        wrap_columns("法", 1)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(alphabet=ALPHABET, max_size=120), columns=st.sampled_from([16, 24, 32, 48]))
def test_no_wrapped_line_is_wider_than_the_paper(text: str, columns: int) -> None:
    lines = wrap_columns(text, columns)
    for line in lines:
        assert text_columns(line) <= columns
        encoded = gbk_bytes(line)
        assert encoded is not None and len(encoded) <= columns
    assert "".join(lines).replace(" ", "") == normalize(text).replace(" ", "")
