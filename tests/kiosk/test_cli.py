"""The kiosk command: check, run and hash-pin, as staff use them; never a traceback."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk import cli
from kiosk.config import load_config
from kiosk.paths import PROJECT_DIR
from kiosk.pin import HASH_PATTERN, pin_matches

BAD_CONFIG = "[kiosk]\nidle_timeout = fast\nlanguage = fr\n\n[display]\ntext_scale = 3\n"
BAD_CONFIG_LINES = [
    "bad.ini:2: [kiosk] idle_timeout: expected a whole number of seconds from 15 to 3600, got 'fast'",
    "bad.ini:3: [kiosk] language: expected one of zh_CN, en, got 'fr'",
    "bad.ini:6: [display] text_scale: expected a number from 0.75 to 2, got '3'",
]


@pytest.fixture
def bad_ini(in_tmp: Path) -> Path:
    path = in_tmp / "bad.ini"
    path.write_text(BAD_CONFIG, encoding="utf-8")
    return path


def run_main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], list[str]]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


# -- kiosk check --------------------------------------------------------------------------------


def test_check_a_good_configuration_prints_ok_first(in_tmp: Path, kiosk_ini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(capsys, "check", "--config", "kiosk.ini")
    assert code == 0
    assert err == []
    assert out[0] == "OK"
    assert out[1] == (
        "config: kiosk.ini: kiosk test-kiosk, role lobby, language zh_CN, portrait, fullscreen no, idle timeout 90 s"
    )
    assert re.fullmatch(
        r"content: content \(the center's content\), version [0-9a-f]{12}: 7 services, 2 staff \(1 on duty\), "
        r"[0-2] of 2 notices shown today, 1 work rules, 2 guide questions",
        out[2],
    )
    assert out[3] == "data: data"
    assert out[4] == "tickets: no service takes tickets (the content has no queues.ini)"
    assert out[5] == "sync: no server; ratings and complaints stay on this kiosk"
    assert out[6] == "warning: the admin PIN is the sample PIN 2580; make your own with 'kiosk hash-pin'"
    assert len(out) == 7


def test_check_warns_about_sample_content(
    in_tmp: Path, kiosk_ini: Path, content_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    center = content_dir / "center.ini"
    center.write_text(
        center.read_text(encoding="utf-8").replace("hotline = 12348\n", "hotline = 12348\nsample = yes\n"), encoding="utf-8"
    )
    code, out, _err = run_main(capsys, "check", "--config", "kiosk.ini")
    assert code == 0
    assert out[-1] == "warning: the content is marked as sample content (sample = yes in center.ini)"


def test_check_a_bad_configuration_prints_one_line_per_problem(bad_ini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(capsys, "check", "--config", "bad.ini")
    assert code == 2
    assert out == []
    assert err == BAD_CONFIG_LINES


def test_check_a_missing_configuration(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(capsys, "check", "--config", "nosuch.ini")
    assert (code, out) == (2, [])
    assert err == ["nosuch.ini: expected a readable file, got no such file or directory"]


def test_check_lists_content_problems(
    in_tmp: Path, kiosk_ini: Path, content_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notices = content_dir / "notices.ini"
    notices.write_text(notices.read_text(encoding="utf-8").replace("period_days = 10", "period_days = 0"), encoding="utf-8")
    (content_dir / "services" / "appraisal.ini").unlink()
    code, out, err = run_main(capsys, "check", "--config", "kiosk.ini")
    assert (code, out) == (2, [])
    assert err == [
        "content/services/appraisal.ini: expected this service file, got no such file",
        "content/notices.ini:12: [notice.holiday] period_days: expected a whole number from 1 to 365, got '0'",
    ]


def test_check_names_characters_the_font_cannot_show(
    in_tmp: Path, kiosk_ini: Path, content_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    staff = content_dir / "staff.ini"
    staff.write_text(staff.read_text(encoding="utf-8").replace("name = 张明", "name = 张明😀"), encoding="utf-8")
    code, out, err = run_main(capsys, "check", "--config", "kiosk.ini")
    assert (code, out) == (2, [])
    assert err == ["content/staff.ini:2: expected characters the font NotoSansCJK-Regular.ttc can show, got '😀' (U+1F600)"]


def test_check_with_a_file_that_is_not_a_font_is_one_line_not_a_traceback(
    in_tmp: Path, write_kiosk_ini: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    (in_tmp / "fake.ttf").write_text("<html>this download is not a font</html>", encoding="utf-8")
    write_kiosk_ini(font="fake.ttf")
    code, out, err = run_main(capsys, "check", "--config", "kiosk.ini")
    assert (code, out) == (2, [])
    assert len(err) == 1
    assert err[0].startswith("kiosk.ini:7: [display] font: expected")


# -- kiosk run --------------------------------------------------------------------------------


def test_run_with_a_bad_configuration_prints_the_same_lines(bad_ini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(capsys, "run", "--config", "bad.ini")
    assert (code, out) == (2, [])
    assert err == BAD_CONFIG_LINES


def test_run_without_a_display_says_so_in_one_line(
    in_tmp: Path, kiosk_ini: Path, no_display: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_main(capsys, "run", "--config", "kiosk.ini")
    assert (code, out) == (1, [])
    assert len(err) == 1
    assert "no display" in err[0]


def test_run_with_the_kiosk_ini_of_the_working_directory_is_the_default(
    in_tmp: Path, kiosk_ini: Path, no_display: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_main(capsys)
    assert (code, out) == (1, [])
    assert len(err) == 1
    assert "no display" in err[0]


def test_run_without_a_display_still_checks_the_configuration_first(
    bad_ini: Path, no_display: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run_main(capsys, "run", "--config", "bad.ini")
    assert code == 2
    assert err == BAD_CONFIG_LINES


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == "kiosk 0.1.0"


# -- as a process ---------------------------------------------------------------------------------


def run_process(cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_check_as_a_process_exits_2_without_a_traceback(bad_ini: Path) -> None:
    done = run_process(bad_ini.parent, "check", "--config", "bad.ini")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == BAD_CONFIG_LINES
    assert done.stdout == ""


def test_check_as_a_process_exits_0_for_a_good_configuration(kiosk_ini: Path) -> None:
    done = run_process(kiosk_ini.parent, "check", "--config", "kiosk.ini")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "OK"
    assert "Traceback" not in done.stderr


# -- kiosk hash-pin ---------------------------------------------------------------------------------


def test_hash_pin_prints_a_line_that_matches_the_pin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], write_kiosk_ini: Callable[..., Path]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("4711\n"))
    code, out, err = run_main(capsys, "hash-pin")
    assert (code, err) == (0, [])
    (line,) = out
    key, _, stored = line.partition(" = ")
    assert key == "admin_pin_hash"
    assert re.fullmatch(HASH_PATTERN, stored)
    assert pin_matches("4711", stored)
    assert not pin_matches("4712", stored)
    # The printed line pasted into kiosk.ini is accepted.
    config = load_config(write_kiosk_ini(admin_pin_hash=stored))
    assert config.admin_pin_hash == stored
    assert not config.uses_sample_pin


def test_hash_pin_twice_gives_different_salts(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    lines = []
    for _ in range(2):
        monkeypatch.setattr(sys, "stdin", io.StringIO("2580\n"))
        assert cli.main(["hash-pin"]) == 0
        lines.append(capsys.readouterr().out)
    assert lines[0] != lines[1]


@pytest.mark.parametrize("pin", ["12ab", "123", "123456789", "", "12 34", "-1234"])
def test_hash_pin_refuses_what_is_not_4_to_8_digits(
    pin: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(pin + "\n"))
    code, out, err = run_main(capsys, "hash-pin")
    assert (code, out) == (2, [])
    assert err == ["kiosk hash-pin: expected a PIN of 4 to 8 digits, got something else"]


def test_hash_pin_never_makes_a_hash_the_pin_pad_cannot_match(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Typed with a Chinese input method in full-width mode: the kiosk's pad sends "1234", so the
    # command must either refuse these digits or hash the PIN the pad will send.
    monkeypatch.setattr(sys, "stdin", io.StringIO("１２３４\n"))
    code, out, _err = run_main(capsys, "hash-pin")
    if code == 0:
        stored = out[0].partition(" = ")[2]
        assert pin_matches("1234", stored), "the printed hash is of a PIN nobody can enter on the kiosk"
    else:
        assert (code, out) == (2, [])


def test_an_unexpected_fault_is_one_line_not_a_traceback(
    in_tmp: Path, kiosk_ini: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreadable(_folder: Path) -> None:
        raise PermissionError(13, "Permission denied", "content/photos/a.png")

    monkeypatch.setattr(cli, "load_content", unreadable)
    code, out, err = run_main(capsys, "check", "--config", str(kiosk_ini))
    assert code == 1
    assert out == []
    assert err == ["kiosk check: unexpected error: PermissionError: [Errno 13] Permission denied: 'content/photos/a.png'"]
