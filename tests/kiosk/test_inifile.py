"""The INI reader: what it keeps of a good file, and the one-line message for every malformed line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.inifile import parse_ini, read_ini
from kiosk.problems import Problem, describe, display_path

FILE = Path("f.ini")


def messages(data: bytes) -> list[str]:
    _ini, problems = parse_ini(FILE, data)
    return [str(p) for p in problems]


# -- a good file -------------------------------------------------------------------------------


def test_sections_keys_and_continuation_lines_keep_their_line_numbers() -> None:
    data = (
        "# a comment\n"
        "[center]\n"
        "name = 示范中心\n"
        "; another comment\n"
        "hours =\n"
        "    上午 9:00\n"
        "\n"
        "\t下午 14:00\n"
        "empty =\n"
        "\n"
        "\n"
        "[scope]\n"
        "items = 第一项\n"
        "    第二项\n"
        "spaced   =   value with = inside   \n"
    ).encode()
    ini, problems = parse_ini(FILE, data)
    assert problems == []
    assert list(ini.sections) == ["center", "scope"]
    center, scope = ini.sections["center"], ini.sections["scope"]
    assert (center.line, scope.line) == (2, 12)
    assert center.values["name"].text == "示范中心"
    assert center.values["name"].line == 3
    hours = center.values["hours"]
    assert hours.line == 5
    assert hours.items == ["上午 9:00", "下午 14:00"]
    assert hours.text == "上午 9:00\n下午 14:00"
    assert center.values["empty"].items == []
    assert center.values["empty"].text == ""
    assert scope.values["items"].items == ["第一项", "第二项"]
    assert scope.values["spaced"].text == "value with = inside"


def test_byte_order_mark_and_windows_line_endings_are_accepted() -> None:
    ini, problems = parse_ini(FILE, b"\xef\xbb\xbf[kiosk]\r\nid = a\r\nlist =\r\n    one\r\n    two\r\n")
    assert problems == []
    assert ini.sections["kiosk"].values["id"].text == "a"
    assert ini.sections["kiosk"].values["list"].items == ["one", "two"]
    assert ini.sections["kiosk"].values["list"].line == 3


def test_an_empty_file_has_no_sections_and_no_problems() -> None:
    ini, problems = parse_ini(FILE, b"")
    assert ini.sections == {}
    assert problems == []


# -- malformed files: the exact line a person reads --------------------------------------------

MALFORMED = [
    pytest.param(b"[kiosk]\nid = a\nname = caf\xe9\n", ["f.ini:3: expected UTF-8 text, got the byte 0xe9"], id="latin-1 byte"),
    pytest.param(b"\xff[kiosk]\n", ["f.ini:1: expected UTF-8 text, got the byte 0xff"], id="bad first byte"),
    pytest.param(b"[a]\n\nk = " + "中".encode()[:2], ["f.ini:3: expected UTF-8 text, got the byte 0xe4"], id="cut character"),
    pytest.param(
        "[rule.a]\ntitle = 制度\n".encode() + "body = 公开".encode("gbk") + b"\n",
        ["f.ini:3: expected UTF-8 text, got the byte 0xb9"],
        id="GBK text",
    ),
    pytest.param(
        b"\xef\xbb\xbf[a]\nk = v\n\xff\n",
        ["f.ini:3: expected UTF-8 text, got the byte 0xff"],
        id="bad byte after a byte-order mark",
    ),
    pytest.param(
        b"id = kiosk-02\n[kiosk]\n", ["f.ini:1: id: expected a [section] line before the first key, got 'id = kiosk-02'"], id="key first"
    ),
    pytest.param(
        b"[kiosk]\nfullscreen\n", ["f.ini:2: expected 'key = value', '[section]' or a comment, got 'fullscreen'"], id="stray line"
    ),
    pytest.param(
        b"[kiosk\nid = a\n", ["f.ini:1: expected 'key = value', '[section]' or a comment, got '[kiosk'"], id="unclosed bracket"
    ),
    pytest.param(
        b"[kiosk]\n    id = a\n",
        ["f.ini:2: expected an indented line only under a key, got 'id = a'"],
        id="indented, no key above",
    ),
    pytest.param(
        b"    stray\n[kiosk]\n", ["f.ini:1: expected an indented line only under a key, got 'stray'"], id="indented first line"
    ),
    pytest.param(
        b"[kiosk]\nid = a\n\n[display]\n\n[kiosk]\n",
        ["f.ini:6: [kiosk] expected each section once, got it again (first at line 1)"],
        id="duplicate section",
    ),
    pytest.param(
        b"[kiosk]\nid = a\nid = b\n",
        ["f.ini:3: [kiosk] id: expected each key once, got it again (first at line 2)"],
        id="duplicate key",
    ),
    pytest.param(
        b"[kiosk main]\n",
        ["f.ini:1: expected a section name of letters, digits, '_', '.' or '-', got 'kiosk main'"],
        id="space in section name",
    ),
    pytest.param(
        b"[]\n", ["f.ini:1: expected a section name of letters, digits, '_', '.' or '-', got nothing"], id="empty section"
    ),
    pytest.param(
        b"[kiosk]\nIdle_Timeout = 60\n",
        ["f.ini:2: [kiosk] expected a key of lower-case letters, digits and '_', got 'Idle_Timeout'"],
        id="capital letters in key",
    ),
    pytest.param(
        b"[kiosk]\n= 60\n", ["f.ini:2: [kiosk] expected a key of lower-case letters, digits and '_', got nothing"], id="no key"
    ),
    pytest.param(
        b"[kiosk]\nlanguage = fr\nfullscreen\n[kiosk]\n",
        [
            "f.ini:3: expected 'key = value', '[section]' or a comment, got 'fullscreen'",
            "f.ini:4: [kiosk] expected each section once, got it again (first at line 1)",
        ],
        id="every mistake, in file order",
    ),
]


@pytest.mark.parametrize(("data", "expected"), MALFORMED)
def test_malformed_file_gives_one_exact_line_per_mistake(data: bytes, expected: list[str]) -> None:
    assert messages(data) == expected


def test_a_long_stray_line_is_shortened_in_the_message() -> None:
    line = "这是一行没有等号的很长的说明文字，" * 5
    assert messages(f"[a]\n{line}\n".encode()) == [
        f"f.ini:2: expected 'key = value', '[section]' or a comment, got '{line[:37]}...'"
    ]


def test_the_indented_lines_of_a_duplicate_key_are_not_a_second_mistake() -> None:
    # One mistake, one message: the list below the repeated key is under a key, as the file shows.
    data = b"[service]\nsteps =\n    one\nsteps =\n    two\n    three\n"
    assert messages(data) == ["f.ini:4: [service] steps: expected each key once, got it again (first at line 2)"]


def test_the_keys_of_a_duplicate_section_are_not_further_mistakes() -> None:
    data = b"[scope]\nitems =\n    one\n\n[scope]\nitems =\n    two\n"
    assert messages(data) == ["f.ini:5: [scope] expected each section once, got it again (first at line 1)"]


def test_line_numbers_count_only_real_line_breaks() -> None:
    # Text pasted from a web page or a word processor may carry U+2028 (line separator) or a
    # form feed inside a line; an editor shows it on one line, so messages must count it as one.
    data = "[notice.a]\ntitle = 公告\u2028标题\nstray line\n".encode()
    assert messages(data) == ["f.ini:3: expected 'key = value', '[section]' or a comment, got 'stray line'"]
    data = b"[notice.a]\ntitle = a\x0cb\nstray line\n"
    assert messages(data) == ["f.ini:3: expected 'key = value', '[section]' or a comment, got 'stray line'"]


# -- files that cannot be read -----------------------------------------------------------------


def test_a_directory_is_not_a_file(in_tmp: Path) -> None:
    (in_tmp / "kiosk.ini").mkdir()
    ini, problems = read_ini(in_tmp / "kiosk.ini")
    assert ini.sections == {}
    assert [str(p) for p in problems] == ["kiosk.ini: expected a file, got a directory"]


def test_a_missing_file_is_named(in_tmp: Path) -> None:
    _ini, problems = read_ini(in_tmp / "missing.ini")
    assert [str(p) for p in problems] == ["missing.ini: expected a readable file, got no such file or directory"]


def test_read_ini_reads_the_bytes_of_the_file(in_tmp: Path) -> None:
    (in_tmp / "a.ini").write_bytes("[a]\nk = 值\n".encode())
    ini, problems = read_ini(in_tmp / "a.ini")
    assert problems == []
    assert ini.path == in_tmp / "a.ini"
    assert ini.sections["a"].values["k"].text == "值"


# -- how a problem is written -------------------------------------------------------------------


def test_problem_renders_file_line_section_key_and_message(in_tmp: Path) -> None:
    path = in_tmp / "content" / "center.ini"
    assert (
        str(Problem(path, 5, "expected x, got y", "center", "postcode"))
        == "content/center.ini:5: [center] postcode: expected x, got y"
    )
    assert str(Problem(path, None, "expected x, got y", "scope")) == "content/center.ini: [scope] expected x, got y"
    assert str(Problem(path, 3, "expected x, got y")) == "content/center.ini:3: expected x, got y"


def test_a_path_outside_the_working_directory_is_shown_whole(in_tmp: Path) -> None:
    outside = Path("/nonexistent/kiosk.ini")
    assert display_path(outside) == "/nonexistent/kiosk.ini"
    assert str(Problem(outside, 1, "expected x, got y")) == "/nonexistent/kiosk.ini:1: expected x, got y"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("", "nothing"),
        ("fast", "'fast'"),
        ("x" * 40, "'" + "x" * 40 + "'"),
        ("x" * 41, "'" + "x" * 37 + "...'"),
        ("a\tb", "'a\\tb'"),
    ],
)
def test_describe_quotes_a_value_short_and_visible(value: str, shown: str) -> None:
    assert describe(value) == shown


# -- any bytes at all ---------------------------------------------------------------------------

LINE_PARTS = st.sampled_from(
    ["[", "]", "=", " ", "\t", "#", ";", "\n", "\r\n", "\r", "a", "key", "[kiosk]", "中", "\u2028", "\x85", "\x00", "\ufeff"]
)
INI_LIKE = st.lists(LINE_PARTS, max_size=40).map(lambda parts: "".join(parts).encode("utf-8"))


@settings(max_examples=300, deadline=None, database=None)
@given(st.one_of(st.binary(max_size=300), INI_LIKE))
def test_parse_ini_never_raises_and_every_problem_is_one_line(data: bytes) -> None:
    ini, problems = parse_ini(FILE, data)
    assert ini.path == FILE
    for problem in problems:
        text = str(problem)
        assert text.startswith("f.ini:")
        assert "\n" not in text and "\r" not in text
        assert len(text.splitlines()) == 1
        assert problem.line is None or problem.line >= 1
        assert "expected" in problem.message
