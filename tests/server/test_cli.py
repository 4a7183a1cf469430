"""``kiosk-server``'s command line: a wrong argument is one line on stderr and exit 2, and the
default SQLite database gets its folder made."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.cli import main
from server.db import Database


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    try:
        code = main(list(argv))
    except SystemExit as stop:  # argparse's own refusals
        code = int(stop.code or 0)
    return code, capsys.readouterr().err.splitlines()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("run", "--port", "http"), "kiosk-server run: argument --port: expected a port number from 1 to 65535, got 'http'"),
        (("run", "--port", "70000"), "kiosk-server run: argument --port: expected a port number from 1 to 65535, got '70000'"),
        (("run", "--db", "not a url"), "kiosk-server run: --db: expected a database URL such as sqlite:///data/server.sqlite3, got 'not a"),
        (("run", "--content", "no/such/folder"), "kiosk-server run: --content: expected a content folder, got 'no/such/folder' (no such"),
        (("run", "--fixed-time", "09:30"), "kiosk-server run: argument --fixed-time: expected a time with its UTC offset"),
        (("run", "--colour", "red"), "kiosk-server: unrecognized arguments: --colour red"),
        (("serve",), "kiosk-server: argument COMMAND: invalid choice: 'serve'"),
        ((), "kiosk-server: expected a command (run or report), got none"),
    ],
)
def test_a_wrong_argument_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str) -> None:
    code, lines = run_cli(capsys, *argv)
    assert code == 2
    assert len(lines) == 1
    assert lines[0].startswith(message), lines[0]


def test_broken_content_is_one_line_per_problem(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "center.ini").write_text("[center]\nname = 测试\n", encoding="utf-8")
    code, lines = run_cli(capsys, "run", "--content", str(tmp_path), "--db", f"sqlite:///{tmp_path / 's.sqlite3'}")
    assert code == 2
    assert lines and all(": " in line and "Traceback" not in line for line in lines)


def test_the_default_database_folder_is_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    database = Database("sqlite:///data/server.sqlite3")
    database.close()
    assert (tmp_path / "data" / "server.sqlite3").is_file()
