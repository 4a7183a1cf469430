"""The bundled font shows every character a visitor can meet: content, interface words, kiosk.ini."""

from __future__ import annotations

from pathlib import Path

from kiosk.font_coverage import font_characters, missing_in_files, missing_in_text
from kiosk.paths import ASSETS_DIR, BUNDLED_BOLD_FONT, BUNDLED_FONT, I18N_DIR, PROJECT_DIR, SAMPLE_CONTENT_DIR


def test_every_character_of_the_content_and_interface_is_in_both_fonts() -> None:
    files = [*sorted(SAMPLE_CONTENT_DIR.rglob("*.ini")), *sorted(I18N_DIR.glob("*.ini")), PROJECT_DIR / "kiosk.ini"]
    assert len(files) > 10
    for font in (BUNDLED_FONT, BUNDLED_BOLD_FONT):
        assert [str(p) for p in missing_in_files(files, font)] == []


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
