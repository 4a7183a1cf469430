"""The bundled font shows every character a visitor can meet: content, interface words, kiosk.ini,
and the words of ratings and complaints (kiosk/feedback.py, on the kiosk and the phone pages)."""

from __future__ import annotations

from pathlib import Path

from kiosk import feedback
from kiosk.content import Text
from kiosk.font_coverage import font_characters, missing_in_files, missing_in_text
from kiosk.paths import ASSETS_DIR, BUNDLED_BOLD_FONT, BUNDLED_FONT, I18N_DIR, PROJECT_DIR, SAMPLE_CONTENT_DIR


def test_every_character_of_the_content_and_interface_is_in_both_fonts() -> None:
    files = [*sorted(SAMPLE_CONTENT_DIR.rglob("*.ini")), *sorted(I18N_DIR.glob("*.ini")), PROJECT_DIR / "kiosk.ini"]
    assert len(files) > 10
    for font in (BUNDLED_FONT, BUNDLED_BOLD_FONT):
        assert [str(p) for p in missing_in_files(files, font)] == []


def test_every_word_of_ratings_and_complaints_is_in_both_fonts() -> None:
    vocabularies = [value for value in vars(feedback).values() if isinstance(value, dict)]
    texts = [text for vocabulary in vocabularies for text in vocabulary.values() if isinstance(text, Text)]
    assert len(texts) >= len(feedback.LEVELS) + len(feedback.PRESETS), "levels, reasons, kinds, categories and presets"
    words = "".join(text.zh + (text.en or "") for text in texts)
    for font in (BUNDLED_FONT, BUNDLED_BOLD_FONT):
        assert missing_in_text(words, font) == [], font.name


def test_the_font_covers_common_chinese_and_the_printed_symbols() -> None:
    have = font_characters(BUNDLED_FONT)
    assert len(have) > 7000
    assert missing_in_text("公共法律服务中心，１２３４８：￥100。《法律援助法》第三十一条✓●", BUNDLED_FONT) == []


def test_a_rare_character_is_reported_with_file_and_line(tmp_path: Path) -> None:
    staff = tmp_path / "staff.ini"
    staff.write_text("[staff.a]\nname = 张堃𠀀\n", encoding="utf-8")
    problems = [str(p) for p in missing_in_files([staff], BUNDLED_FONT)]
    assert len(problems) == 1
    expected = ":2: expected characters the font NotoSansSC-Kiosk-Regular.otf can show, got '堃' (U+5803), '𠀀' (U+20000)"
    assert problems[0].endswith(expected), problems[0]


def test_the_licence_ships_with_the_font() -> None:
    licence = (ASSETS_DIR / "fonts" / "LICENSE-OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
