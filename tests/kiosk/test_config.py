"""kiosk.ini: every mistake a staff member can make is one exact line; left-out keys take their defaults."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk import config
from kiosk.config import PRINTER_FIELDS, PROFILE_NAMES, SECTIONS, check_with_content, load_config
from kiosk.content_loader import load_content
from kiosk.fields import read_section
from kiosk.inifile import read_ini
from kiosk.paths import PROJECT_DIR, SAMPLE_CONTENT_DIR
from kiosk.pin import SAMPLE_PIN_HASH, hash_pin
from kiosk.problems import Problem, ProblemsFound

SYSTEM_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
# Keys that make the folder and font checks pass, for cases about one other key.
GOOD_PATHS = f"[kiosk]\ncontent_dir = content\n\n[display]\nfont = {SYSTEM_FONT}\n"


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ProblemsFound) as found:
        load_config(path)
    lines = [str(p) for p in found.value.problems]
    assert str(found.value) == "\n".join(lines)
    return lines


MALFORMED = [
    pytest.param(b"[kiosk]\nid = caf\xe9\n", ["kiosk.ini:2: expected UTF-8 text, got the byte 0xe9"], id="not UTF-8"),
    pytest.param(
        b"id = kiosk-02\n[kiosk]\n",
        ["kiosk.ini:1: id: expected a [section] line before the first key, got 'id = kiosk-02'"],
        id="key first",
    ),
    pytest.param(
        b"[kiosk]\nfullscreen\n",
        ["kiosk.ini:2: expected 'key = value', '[section]' or a comment, got 'fullscreen'"],
        id="line without =",
    ),
    pytest.param(
        b"[kiosk]\n  id = kiosk-02\n",
        ["kiosk.ini:2: expected an indented line only under a key, got 'id = kiosk-02'"],
        id="indented, no key above",
    ),
    pytest.param(
        b"[kiosk]\nid = a\n\n[display]\n\n[kiosk]\n",
        ["kiosk.ini:6: [kiosk] expected each section once, got it again (first at line 1)"],
        id="duplicate section",
    ),
    pytest.param(
        b"[kiosk]\nid = a\nid = b\n",
        ["kiosk.ini:3: [kiosk] id: expected each key once, got it again (first at line 2)"],
        id="duplicate key",
    ),
    pytest.param(
        b"[kiosks]\nid = a\n",
        [
            "kiosk.ini:1: [kiosks] expected one of the sections kiosk, display, printer, server, tickets, "
            "got an unknown section (did you mean [kiosk]?)"
        ],
        id="unknown section, close",
    ),
    pytest.param(
        b"[Display]\n",
        [
            "kiosk.ini:1: [Display] expected one of the sections kiosk, display, printer, server, tickets, "
            "got an unknown section (did you mean [display]?)"
        ],
        id="unknown section, capital",
    ),
    pytest.param(
        b"[network]\n",
        ["kiosk.ini:1: [network] expected one of the sections kiosk, display, printer, server, tickets, got an unknown section"],
        id="unknown section, far",
    ),
    pytest.param(
        b"[kiosk]\nidle_timout = 60\n",
        [
            "kiosk.ini:2: [kiosk] idle_timout: expected one of the keys id, role, language, orientation, fullscreen, "
            "idle_timeout, admin_pin_hash, content_dir, data_dir, min_free_disk_mb, got an unknown key (did you mean 'idle_timeout'?)"
        ],
        id="unknown key, close",
    ),
    pytest.param(
        b"[display]\ncolour = red\n",
        ["kiosk.ini:2: [display] colour: expected one of the keys font, text_scale, large_text_scale, got an unknown key"],
        id="unknown key, far",
    ),
    pytest.param(
        b"[kiosk]\nlanguage_en = en\n",
        [
            "kiosk.ini:2: [kiosk] language_en: expected one of the keys id, role, language, orientation, fullscreen, "
            "idle_timeout, admin_pin_hash, content_dir, data_dir, min_free_disk_mb, got an unknown key (did you mean 'language'?)"
        ],
        id="no English twins in kiosk.ini",
    ),
    pytest.param(
        b"[printer]\npaperwidth = 58\n",
        [
            "kiosk.ini:2: [printer] paperwidth: expected one of the keys " + ", ".join(f.name for f in PRINTER_FIELDS) + ", "
            "got an unknown key (did you mean 'paper_width'?)"
        ],
        id="unknown key in [printer]",
    ),
    pytest.param(
        b"[printer]\nbaudrate = fast\n",
        ["kiosk.ini:2: [printer] baudrate: expected one of 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, got 'fast'"],
        id="printer baudrate not a number",
    ),
    pytest.param(
        b"[printer]\npaper_width = 76\n",
        ["kiosk.ini:2: [printer] paper_width: expected one of 80, 58, got '76'"],
        id="paper width neither 58 nor 80",
    ),
    pytest.param(
        b"[printer]\ntype = network\n",
        ["kiosk.ini:2: [printer] host: expected a printer's host name or IP address when type = network, got nothing"],
        id="network printer without host",
    ),
    pytest.param(
        b"[printer]\ntype = serial\ndevice =\n",
        ["kiosk.ini:3: [printer] device: expected a serial device such as /dev/ttyUSB0 when type = serial, got nothing"],
        id="serial printer with empty device",
    ),
    pytest.param(
        b"[printer]\ntype = usb\nvendor_id = 0x0416\n",
        ["kiosk.ini:2: [printer] product_id: expected the printer's USB product id such as 0x5011 when type = usb, got nothing"],
        id="usb printer without product id",
    ),
    pytest.param(
        b"[printer]\ntype = usb\nvendor_id = 0xZZ\nproduct_id = 0x5011\n",
        ["kiosk.ini:3: [printer] vendor_id: expected a hexadecimal number such as 0x0416, from 0x1 to 0xffff, or nothing, got '0xZZ'"],
        id="usb vendor id not hexadecimal",
    ),
    pytest.param(
        b"[printer]\ntimeout = 0\n",
        ["kiosk.ini:2: [printer] timeout: expected a number from 0.5 to 30, got '0'"],
        id="printer timeout out of range",
    ),
    pytest.param(
        b"[printer]\nprofile = TM-T99\n",
        ["kiosk.ini:2: [printer] profile: expected one of " + ", ".join(PROFILE_NAMES) + ", got 'TM-T99'"],
        id="unknown printer profile",
    ),
    pytest.param(
        b"[printer]\nticket_url = https://example.org/ticket\n",
        ["kiosk.ini:2: [printer] ticket_url: expected an http(s) address containing {ticket_id}, or nothing, got 'https://example.org/ticket'"],
        id="ticket url without the ticket id",
    ),
    pytest.param(
        b"[server]\naddress = https://example.org\n",
        [
            "kiosk.ini:2: [server] address: expected one of the keys url, timeout, offline_block, report_interval, "
            "token, ca_file, sync_interval, public_url, pull_content, got an unknown key"
        ],
        id="unknown key in [server]",
    ),
    pytest.param(
        b"[server]\ntoken = short\n",
        ["kiosk.ini:2: [server] token: expected a token from kiosk-server add-kiosk (16 to 200 characters), or nothing, got 'short'"],
        id="token too short",
    ),
    pytest.param(
        b"[server]\ntoken = has spaces in the middle of it\n",
        [
            "kiosk.ini:2: [server] token: expected a token from kiosk-server add-kiosk (16 to 200 characters), or nothing, "
            "got 'has spaces in the middle of it'"
        ],
        id="token with spaces",
    ),
    pytest.param(
        b"[kiosk]\nmin_free_disk_mb = 5\n",
        ["kiosk.ini:2: [kiosk] min_free_disk_mb: expected a whole number of megabytes from 10 to 100000, got '5'"],
        id="free disk threshold too small",
    ),
    pytest.param(
        b"[server]\npull_content = sometimes\n",
        ["kiosk.ini:2: [server] pull_content: expected yes or no, got 'sometimes'"],
        id="pull content not yes or no",
    ),
    pytest.param(
        b"[server]\nsync_interval = 0\n",
        ["kiosk.ini:2: [server] sync_interval: expected a whole number of seconds from 1 to 3600, got '0'"],
        id="sync interval zero",
    ),
    pytest.param(
        b"[server]\npublic_url = 192.168.1.10:8470\n",
        [
            "kiosk.ini:2: [server] public_url: expected an http(s) address that visitors' phones can open, or nothing, "
            "got '192.168.1.10:8470'"
        ],
        id="public url without scheme",
    ),
    pytest.param(
        b"[server]\nca_file = /nonexistent/ca.pem\n",
        ["kiosk.ini:2: [server] ca_file: expected a PEM file of certificates that exists, got '/nonexistent/ca.pem'"],
        id="ca file missing",
    ),
    pytest.param(
        b"[server]\nca_file = /etc/passwd\n",
        [
            "kiosk.ini:2: [server] ca_file: expected a PEM file of certificates (-----BEGIN CERTIFICATE-----), "
            "got '/etc/passwd', which has none"
        ],
        id="ca file not PEM",
    ),
    pytest.param(
        b"[kiosk]\nidle_timeout = fast\n",
        ["kiosk.ini:2: [kiosk] idle_timeout: expected a whole number of seconds from 15 to 3600, got 'fast'"],
        id="idle_timeout = fast",
    ),
    pytest.param(
        b"[kiosk]\nidle_timeout = 5\n",
        ["kiosk.ini:2: [kiosk] idle_timeout: expected a whole number of seconds from 15 to 3600, got '5'"],
        id="idle_timeout too low",
    ),
    pytest.param(
        b"[kiosk]\nidle_timeout = 3601\n",
        ["kiosk.ini:2: [kiosk] idle_timeout: expected a whole number of seconds from 15 to 3600, got '3601'"],
        id="idle_timeout too high",
    ),
    pytest.param(
        b"[kiosk]\nidle_timeout = 90.5\n",
        ["kiosk.ini:2: [kiosk] idle_timeout: expected a whole number of seconds from 15 to 3600, got '90.5'"],
        id="idle_timeout not whole",
    ),
    pytest.param(
        b"[kiosk]\nidle_timeout =\n",
        ["kiosk.ini:2: [kiosk] idle_timeout: expected a whole number of seconds from 15 to 3600, got nothing"],
        id="idle_timeout empty",
    ),
    pytest.param(
        b"[display]\ntext_scale = big\n",
        ["kiosk.ini:2: [display] text_scale: expected a number from 0.75 to 2, got 'big'"],
        id="text_scale = big",
    ),
    pytest.param(
        b"[display]\ntext_scale = 3\n",
        ["kiosk.ini:2: [display] text_scale: expected a number from 0.75 to 2, got '3'"],
        id="text_scale too big",
    ),
    pytest.param(
        b"[display]\ntext_scale = 1,5\n",
        ["kiosk.ini:2: [display] text_scale: expected a number from 0.75 to 2, got '1,5'"],
        id="decimal comma",
    ),
    pytest.param(
        b"[display]\nlarge_text_scale = 1.0\n",
        ["kiosk.ini:2: [display] large_text_scale: expected a number from 1.1 to 2.5, got '1.0'"],
        id="large text not larger",
    ),
    pytest.param(
        b"[kiosk]\nlanguage = fr\n", ["kiosk.ini:2: [kiosk] language: expected one of zh_CN, en, got 'fr'"], id="language = fr"
    ),
    pytest.param(
        b"[kiosk]\nlanguage = zh_cn\n",
        ["kiosk.ini:2: [kiosk] language: expected one of zh_CN, en, got 'zh_cn'"],
        id="language in wrong case",
    ),
    pytest.param(
        b"[kiosk]\norientation = sideways\n",
        ["kiosk.ini:2: [kiosk] orientation: expected one of portrait, landscape, got 'sideways'"],
        id="orientation = sideways",
    ),
    pytest.param(b"[kiosk]\nrole = x\n", ["kiosk.ini:2: [kiosk] role: expected one of lobby, got 'x'"], id="role = x"),
    pytest.param(
        b"[kiosk]\nfullscreen = maybe\n", ["kiosk.ini:2: [kiosk] fullscreen: expected yes or no, got 'maybe'"], id="bad yes/no"
    ),
    pytest.param(
        "[kiosk]\nfullscreen = 是\n".encode(),
        ["kiosk.ini:2: [kiosk] fullscreen: expected yes or no, got '是'"],
        id="yes in Chinese",
    ),
    pytest.param(
        b"[kiosk]\nid = kiosk 01\n",
        ["kiosk.ini:2: [kiosk] id: expected 1 to 32 letters, digits, '-' or '_', got 'kiosk 01'"],
        id="space in id",
    ),
    pytest.param(
        b"[kiosk]\nid = " + b"k" * 33 + b"\n",
        ["kiosk.ini:2: [kiosk] id: expected 1 to 32 letters, digits, '-' or '_', got '" + "k" * 33 + "'"],
        id="id too long",
    ),
    pytest.param(
        b"[kiosk]\nid =\n", ["kiosk.ini:2: [kiosk] id: expected 1 to 32 letters, digits, '-' or '_', got nothing"], id="empty id"
    ),
    pytest.param(
        b"[kiosk]\nadmin_pin_hash = 2580\n",
        ["kiosk.ini:2: [kiosk] admin_pin_hash: expected a hash made by 'kiosk hash-pin', got '2580'"],
        id="PIN instead of its hash",
    ),
    pytest.param(
        b"[kiosk]\nadmin_pin_hash = pbkdf2_sha256$200000$abc$def\n",
        ["kiosk.ini:2: [kiosk] admin_pin_hash: expected a hash made by 'kiosk hash-pin', got 'pbkdf2_sha256$200000$abc$def'"],
        id="cut hash",
    ),
    pytest.param(
        b"[kiosk main]\n",
        ["kiosk.ini:1: expected a section name of letters, digits, '_', '.' or '-', got 'kiosk main'"],
        id="bad section name",
    ),
    pytest.param(
        b"[kiosk]\nIdle_Timeout = 60\n",
        ["kiosk.ini:2: [kiosk] expected a key of lower-case letters, digits and '_', got 'Idle_Timeout'"],
        id="bad key name",
    ),
    pytest.param(
        b"[kiosk]\nlanguage = fr\norientation = sideways\n\n[display]\ntext_scale = big\n",
        [
            "kiosk.ini:2: [kiosk] language: expected one of zh_CN, en, got 'fr'",
            "kiosk.ini:3: [kiosk] orientation: expected one of portrait, landscape, got 'sideways'",
            "kiosk.ini:6: [display] text_scale: expected a number from 0.75 to 2, got 'big'",
        ],
        id="every mistake at once",
    ),
    # The folder and font checks (the other keys are good).
    pytest.param(
        f"[kiosk]\ncontent_dir = /nonexistent/content\n\n[display]\nfont = {SYSTEM_FONT}\n".encode(),
        [
            "kiosk.ini:2: [kiosk] content_dir: expected a folder of content files, got "
            "'/nonexistent/content', which is not a folder"
        ],
        id="content_dir missing",
    ),
    pytest.param(
        f"[kiosk]\ncontent_dir = /etc/passwd\n\n[display]\nfont = {SYSTEM_FONT}\n".encode(),
        ["kiosk.ini:2: [kiosk] content_dir: expected a folder of content files, got '/etc/passwd', which is not a folder"],
        id="content_dir is a file",
    ),
    pytest.param(
        b"[kiosk]\ncontent_dir = content\n\n[display]\nfont = /nonexistent/font.ttf\n",
        ["kiosk.ini:5: [display] font: expected a font file (.ttf, .otf or .ttc) that exists, got '/nonexistent/font.ttf'"],
        id="font missing",
    ),
    pytest.param(
        b"[kiosk]\ncontent_dir = content\n\n[display]\nfont = /etc/passwd\n",
        ["kiosk.ini:5: [display] font: expected a font file (.ttf, .otf or .ttc) that exists, got '/etc/passwd'"],
        id="font not a font file",
    ),
    pytest.param(
        f"[kiosk]\ncontent_dir = content\ndata_dir = /etc/passwd/data\n\n[display]\nfont = {SYSTEM_FONT}\n".encode(),
        [
            "kiosk.ini:3: [kiosk] data_dir: expected a folder the kiosk can create and "
            "write, got '/etc/passwd/data' (not a directory)"
        ],
        id="data_dir cannot be made",
    ),
    pytest.param(
        b"[kiosk]\ncontent_dir = /nonexistent/content\n\n[display]\nfont = /nonexistent/font.otf\n",
        [
            "kiosk.ini:2: [kiosk] content_dir: expected a folder of content files, got "
            "'/nonexistent/content', which is not a folder",
            "kiosk.ini:5: [display] font: expected a font file (.ttf, .otf or .ttc) that exists, got '/nonexistent/font.otf'",
        ],
        id="both paths wrong",
    ),
]


@pytest.mark.parametrize(("data", "expected"), MALFORMED)
def test_malformed_kiosk_ini_gives_one_exact_line_per_mistake(in_tmp: Path, data: bytes, expected: list[str]) -> None:
    (in_tmp / "content").mkdir()
    (in_tmp / "kiosk.ini").write_bytes(data)
    assert problems_of(in_tmp / "kiosk.ini") == expected


def test_a_missing_kiosk_ini_is_named(in_tmp: Path) -> None:
    assert problems_of(in_tmp / "missing.ini") == ["missing.ini: expected a readable file, got no such file or directory"]


def test_a_folder_given_as_kiosk_ini(in_tmp: Path) -> None:
    (in_tmp / "kiosk.ini").mkdir()
    assert problems_of(in_tmp / "kiosk.ini") == ["kiosk.ini: expected a file, got a directory"]


def test_a_relative_content_dir_that_is_missing_is_named_with_its_full_path(in_tmp: Path) -> None:
    (in_tmp / "kiosk.ini").write_text(f"[kiosk]\ncontent_dir = contnet\n\n[display]\nfont = {SYSTEM_FONT}\n", encoding="utf-8")
    message = f"expected a folder of content files, got {str(in_tmp.resolve() / 'contnet')!r}, which is not a folder"
    assert problems_of(in_tmp / "kiosk.ini") == [f"kiosk.ini:2: [kiosk] content_dir: {message}"]


def test_data_dir_that_is_a_file(in_tmp: Path) -> None:
    (in_tmp / "content").mkdir()
    (in_tmp / "data").write_text("not a folder", encoding="utf-8")
    (in_tmp / "kiosk.ini").write_text(GOOD_PATHS, encoding="utf-8")
    message = f"expected a folder the kiosk can create and write, got {str(in_tmp.resolve() / 'data')!r} (file exists)"
    assert problems_of(in_tmp / "kiosk.ini") == [f"kiosk.ini: [kiosk] data_dir: {message}"]


# -- a good kiosk.ini ----------------------------------------------------------------------------


def test_left_out_keys_take_their_documented_defaults(in_tmp: Path) -> None:
    (in_tmp / "content").mkdir()
    (in_tmp / "kiosk.ini").write_text(GOOD_PATHS, encoding="utf-8")
    loaded = load_config(in_tmp / "kiosk.ini")
    base = in_tmp.resolve()
    assert loaded.kiosk_id == "kiosk-01"
    assert loaded.role == "lobby"
    assert loaded.language == "zh_CN"
    assert loaded.orientation == "portrait"
    assert loaded.fullscreen is False
    assert loaded.idle_timeout == 90
    assert loaded.admin_pin_hash == SAMPLE_PIN_HASH
    assert loaded.uses_sample_pin
    assert loaded.content_dir == base / "content"
    assert not loaded.uses_sample_content
    assert loaded.data_dir == base / "data"
    assert loaded.data_dir.is_dir(), "the data folder is made when missing"
    assert loaded.font == Path(SYSTEM_FONT)
    assert loaded.text_scale == 1.0
    assert loaded.large_text_scale == 1.4


def test_a_file_with_no_sections_at_all_is_all_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "BUNDLED_FONT", Path(SYSTEM_FONT))
    (tmp_path / "kiosk.ini").write_text("# nothing changed\n", encoding="utf-8")
    loaded = load_config(tmp_path / "kiosk.ini")
    assert loaded.content_dir == SAMPLE_CONTENT_DIR
    assert loaded.uses_sample_content
    assert loaded.data_dir == tmp_path.resolve() / "data"
    assert loaded.font == Path(SYSTEM_FONT)


def test_empty_paths_mean_the_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "BUNDLED_FONT", Path(SYSTEM_FONT))
    (tmp_path / "kiosk.ini").write_text("[kiosk]\ncontent_dir =\ndata_dir =\n\n[display]\nfont =\n", encoding="utf-8")
    loaded = load_config(tmp_path / "kiosk.ini")
    assert loaded.content_dir == SAMPLE_CONTENT_DIR
    assert loaded.data_dir == tmp_path.resolve() / "data"
    assert loaded.font == Path(SYSTEM_FONT)


def test_every_key_is_read(tmp_path: Path) -> None:
    (tmp_path / "centre").mkdir()
    pin_hash = hash_pin("4711", salt=b"0123456789abcdef", iterations=1000)
    (tmp_path / "kiosk.ini").write_text(
        "[kiosk]\nid = hall_2\nrole = lobby\nlanguage = en\norientation = landscape\nfullscreen = yes\nidle_timeout = 15\n"
        f"admin_pin_hash = {pin_hash}\ncontent_dir = centre\ndata_dir = state/kiosk\n\n"
        f"[display]\nfont = {SYSTEM_FONT}\ntext_scale = 0.75\nlarge_text_scale = 2.5\n\n[printer]\n\n[server]\n",
        encoding="utf-8",
    )
    loaded = load_config(tmp_path / "kiosk.ini")
    assert (loaded.kiosk_id, loaded.role, loaded.language, loaded.orientation) == ("hall_2", "lobby", "en", "landscape")
    assert loaded.fullscreen is True
    assert loaded.idle_timeout == 15
    assert loaded.admin_pin_hash == pin_hash
    assert not loaded.uses_sample_pin
    assert loaded.content_dir == tmp_path.resolve() / "centre"
    assert loaded.data_dir == tmp_path.resolve() / "state" / "kiosk"
    assert loaded.data_dir.is_dir()
    assert (loaded.text_scale, loaded.large_text_scale) == (0.75, 2.5)


@pytest.mark.parametrize(
    ("word", "value"), [("yes", True), ("no", False), ("Yes", True), ("NO", False), ("true", True), ("off", False), ("1", True)]
)
def test_yes_no_words(tmp_path: Path, word: str, value: bool) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "kiosk.ini").write_text(
        f"[kiosk]\nfullscreen = {word}\ncontent_dir = content\n\n[display]\nfont = {SYSTEM_FONT}\n", encoding="utf-8"
    )
    assert load_config(tmp_path / "kiosk.ini").fullscreen is value


def test_paths_are_relative_to_the_folder_of_kiosk_ini_not_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_kiosk_ini: Callable[..., Path]
) -> None:
    path = write_kiosk_ini()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    loaded = load_config(path)
    assert loaded.content_dir == tmp_path.resolve() / "content"
    assert loaded.data_dir == tmp_path.resolve() / "data"
    assert not (elsewhere / "data").exists()


def test_home_folder_is_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "centre").mkdir()
    (tmp_path / "kiosk.ini").write_text(
        f"[kiosk]\ncontent_dir = ~/centre\ndata_dir = ~/kiosk-data\n\n[display]\nfont = {SYSTEM_FONT}\n", encoding="utf-8"
    )
    loaded = load_config(tmp_path / "kiosk.ini")
    assert loaded.content_dir == tmp_path / "centre"
    assert loaded.data_dir == tmp_path / "kiosk-data"


# -- the shipped kiosk.ini -------------------------------------------------------------------------


# The one key the sample sets away from its default: the central server that `make run` starts beside the kiosk.
SAMPLE_VALUES = {("server", "url"): "http://127.0.0.1:8470", ("server", "token"): "sample-kiosk-01-token-replace-me"}


def test_the_shipped_kiosk_ini_shows_every_key_with_its_default() -> None:
    ini, problems = read_ini(PROJECT_DIR / "kiosk.ini")
    assert problems == []
    assert list(ini.sections) == list(SECTIONS)
    for name, fields in SECTIONS.items():
        section = ini.sections[name]
        assert list(section.values) == [f.name for f in fields], f"[{name}] must show every key, in order"
        found: list[Problem] = []
        expected = {f.name: SAMPLE_VALUES.get((name, f.name), f.default) for f in fields}
        assert read_section(section, fields, found, ini.path) == expected
        assert found == []


def test_the_shipped_kiosk_ini_loads_and_equals_all_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Loaded from a copy, so the check does not make a data folder in the project; the bundled
    # font is an asset built separately, so any existing font stands in for it here.
    monkeypatch.setattr(config, "BUNDLED_FONT", Path(SYSTEM_FONT))
    copy = tmp_path / "kiosk.ini"
    copy.write_bytes((PROJECT_DIR / "kiosk.ini").read_bytes())
    loaded = load_config(copy)
    assert loaded.kiosk_id == "kiosk-01"
    assert loaded.role == "lobby"
    assert loaded.language == "zh_CN"
    assert loaded.orientation == "portrait"
    assert loaded.fullscreen is False
    assert loaded.idle_timeout == 90
    assert loaded.admin_pin_hash == SAMPLE_PIN_HASH
    assert loaded.uses_sample_pin
    assert loaded.content_dir == SAMPLE_CONTENT_DIR
    assert loaded.uses_sample_content
    assert loaded.data_dir == tmp_path.resolve() / "data"
    assert loaded.font == Path(SYSTEM_FONT)
    assert loaded.text_scale == 1.0
    assert loaded.large_text_scale == 1.4


# -- [server] and [tickets] (queue tickets) -------------------------------------------------------

TICKET_KEYS_MALFORMED = [
    pytest.param(
        b"[server]\nurl = 192.168.1.10:8000\n",
        ["kiosk.ini:2: [server] url: expected an http(s) address such as http://192.168.1.10:8000, or nothing, got '192.168.1.10:8000'"],
        id="url without http",
    ),
    pytest.param(
        b"[server]\nurl = ftp://server\n",
        ["kiosk.ini:2: [server] url: expected an http(s) address such as http://192.168.1.10:8000, or nothing, got 'ftp://server'"],
        id="url not http",
    ),
    pytest.param(
        b"[server]\nurl = http://\n",
        ["kiosk.ini:2: [server] url: expected an http(s) address such as http://192.168.1.10:8000, or nothing, got 'http://'"],
        id="url without a host",
    ),
    pytest.param(
        b"[server]\ntimeout = 300ms\n",
        ["kiosk.ini:2: [server] timeout: expected a number from 0.05 to 5, got '300ms'"],
        id="timeout with a unit",
    ),
    pytest.param(
        b"[server]\ntimeout = 300\n",
        ["kiosk.ini:2: [server] timeout: expected a number from 0.05 to 5, got '300'"],
        id="timeout in milliseconds",
    ),
    pytest.param(
        b"[server]\noffline_block = 0\n",
        ["kiosk.ini:2: [server] offline_block: expected a whole number from 1 to 16, got '0'"],
        id="offline block 0",
    ),
    pytest.param(
        b"[server]\noffline_block = A\n",
        ["kiosk.ini:2: [server] offline_block: expected a whole number from 1 to 16, got 'A'"],
        id="offline block a letter",
    ),
    pytest.param(
        b"[server]\nreport_interval = 1\n",
        ["kiosk.ini:2: [server] report_interval: expected a whole number of seconds from 5 to 3600, got '1'"],
        id="report interval too short",
    ),
    pytest.param(
        b"[tickets]\nshow_seconds = 2\n",
        ["kiosk.ini:2: [tickets] show_seconds: expected a whole number of seconds from 5 to 300, got '2'"],
        id="number shown too briefly",
    ),
    pytest.param(
        b"[tickets]\nshow_seconds = 10 s\n",
        ["kiosk.ini:2: [tickets] show_seconds: expected a whole number of seconds from 5 to 300, got '10 s'"],
        id="show_seconds with a unit",
    ),
    pytest.param(
        b"[tickets]\nappointment = today.csv\n",
        [
            "kiosk.ini:2: [tickets] appointment: expected one of the keys show_seconds, appointments, "
            "got an unknown key (did you mean 'appointments'?)"
        ],
        id="misspelt appointments",
    ),
]


@pytest.mark.parametrize(("data", "expected"), TICKET_KEYS_MALFORMED)
def test_malformed_server_and_tickets_keys(in_tmp: Path, data: bytes, expected: list[str]) -> None:
    (in_tmp / "content").mkdir()
    (in_tmp / "kiosk.ini").write_bytes(data)
    assert problems_of(in_tmp / "kiosk.ini") == expected


def test_server_and_tickets_defaults(in_tmp: Path) -> None:
    (in_tmp / "content").mkdir()
    (in_tmp / "kiosk.ini").write_text(GOOD_PATHS, encoding="utf-8")
    loaded = load_config(in_tmp / "kiosk.ini")
    assert (loaded.server_url, loaded.server_timeout, loaded.offline_block, loaded.report_interval) == ("", 0.3, 1, 30)
    assert (loaded.ticket_show_seconds, loaded.appointments_path) == (30, None)


def test_server_and_tickets_keys_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "content").mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    (tmp_path / "kiosk.ini").write_text(
        GOOD_PATHS + "\n[server]\nurl = http://192.168.1.10:8000\ntimeout = 0.05\noffline_block = 16\nreport_interval = 3600\n"
        "\n[tickets]\nshow_seconds = 300\nappointments = exports/today.csv\n",
        encoding="utf-8",
    )
    loaded = load_config(tmp_path / "kiosk.ini")
    assert (loaded.server_url, loaded.server_timeout, loaded.offline_block, loaded.report_interval) == (
        "http://192.168.1.10:8000",
        0.05,
        16,
        3600,
    )
    assert loaded.ticket_show_seconds == 300
    assert loaded.appointments_path == tmp_path.resolve() / "exports" / "today.csv", "relative to kiosk.ini, not the working folder"


QUEUES_INI = (
    "[numbering]\noffline_blocks = 4\n\n[hours]\n"
    + "".join(f"{day} = 09:00-17:00\n" for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
    + "\n[queue.legal_aid]\nprefix = B\n\n[window.2]\nname = 2号窗口\nservices = legal_aid\n"
)


def test_kiosk_ini_checked_against_the_content(in_tmp: Path, make_content: Callable[..., Path]) -> None:
    content = load_content(make_content(files={"queues.ini": QUEUES_INI}))
    (in_tmp / "kiosk.ini").write_text(
        GOOD_PATHS + "\n[server]\nurl =\noffline_block = 5\n\n[tickets]\nappointments = today.csv\n", encoding="utf-8"
    )
    (in_tmp / "today.csv").write_text("code,date,time,service\n1234,2026-11-23,09:00-09:30,mediation\n", encoding="utf-8")
    loaded = load_config(in_tmp / "kiosk.ini")
    assert [str(p) for p in check_with_content(loaded, content)] == [
        "kiosk.ini:9: [server] offline_block: expected a block from 1 to 4 (offline_blocks in queues.ini), got 5",
        "today.csv:2: service: expected one of the services legal_aid, got 'mediation'",
    ]
    (in_tmp / "today.csv").write_text("code,date,time,service\n1234,2026-11-23,09:00-09:30,legal_aid\n", encoding="utf-8")
    assert check_with_content(replace(loaded, offline_block=4), content) == []
    (in_tmp / "today.csv").unlink()
    assert [str(p) for p in check_with_content(replace(loaded, offline_block=4), content)] == [
        "today.csv: expected the appointments file (CSV), got no such file"
    ]
