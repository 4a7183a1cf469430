"""``kiosk-server``'s command line: a wrong argument is one line on stderr and exit 2, the default
SQLite database gets its folder made, and ``add-kiosk`` and ``add-user`` let kiosks and managers in."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from server.auth import token_hash
from server.cli import main
from server.db import Database
from server.main import create_app
from server.models import kiosks
from server.settings import Settings
from tests.server.center import Clock, center_rules
from tests.server.serving import KIOSK_SERVER


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
        ((), "kiosk-server: expected a command (run, report, add-kiosk, add-user, publish-content), got none"),
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


def stored_hashes(db_url: str) -> list[tuple[str, str]]:
    database = Database(db_url)
    try:
        with database.read() as connection:
            query = select(kiosks.c.id, kiosks.c.token_hash).order_by(kiosks.c.id)
            return [(row.id, row.token_hash) for row in connection.execute(query)]
    finally:
        database.close()


def test_add_kiosk_prints_a_new_token_once_and_keeps_only_its_hash(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["add-kiosk", "kiosk-07", "--db", db_url]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 1 and len(printed[0]) >= 40
    token = printed[0]
    assert stored_hashes(db_url) == [("kiosk-07", token_hash(token))]
    app = create_app(Settings(db_url=db_url), center_rules(), Clock())
    with TestClient(app) as client:
        assert client.get("/api/v1/queues", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert main(["add-kiosk", "kiosk-07", "--db", db_url]) == 0  # again: a new token replaces the old one
    replaced = capsys.readouterr().out.strip()
    assert replaced != token and stored_hashes(db_url) == [("kiosk-07", token_hash(replaced))]


def test_add_kiosk_registers_a_given_token(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    assert main(["add-kiosk", "kiosk-01", "--db", db_url, "--token", "sample-kiosk-01-token-replace-me"]) == 0
    assert capsys.readouterr().out == "sample-kiosk-01-token-replace-me\n"
    assert stored_hashes(db_url) == [("kiosk-01", token_hash("sample-kiosk-01-token-replace-me"))]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("add-kiosk", "kiosk-01", "--token", "short"), "kiosk-server add-kiosk: token: expected 16 to 200 characters of A-Z a-z 0-9"),
        (("add-kiosk", "kiosk-01", "--token", "with spaces in the token"), "kiosk-server add-kiosk: token: expected 16 to 200 characters"),
        (("add-kiosk", "kiosk 01"), "kiosk-server add-kiosk: kiosk id: expected 1 to 64 letters, digits"),
        (
            ("add-kiosk", "kiosk-02", "--token", "token-of-kiosk-01-here"),
            "kiosk-server add-kiosk: token: expected a token no other kiosk has",
        ),
        (("add-kiosk",), "kiosk-server add-kiosk: the following arguments are required: ID"),
    ],
)
def test_a_wrong_add_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    db_url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    assert main(["add-kiosk", "kiosk-01", "--db", db_url, "--token", "token-of-kiosk-01-here"]) == 0
    capsys.readouterr()
    code, lines = run_cli(capsys, *argv, "--db", db_url)
    assert code == 2
    assert len(lines) == 1 and lines[0].startswith(message), lines
    assert stored_hashes(db_url) == [("kiosk-01", token_hash("token-of-kiosk-01-here"))]


def test_add_kiosk_in_its_own_process_prints_only_the_token(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    done = subprocess.run([str(KIOSK_SERVER), "add-kiosk", "kiosk-01", "--db", db_url], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")
    assert stored_hashes(db_url) == [("kiosk-01", token_hash(done.stdout.strip()))]
    assert done.stdout.count("\n") == 1


def test_add_user_without_a_terminal_never_reads_a_password_that_would_show(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    command = [str(KIOSK_SERVER), "add-user", "manager", "--db", db_url]
    # A session of its own has no terminal: getpass would read stdin and echo it.
    done = subprocess.run(command, input="visible password\n", capture_output=True, text=True, timeout=60, start_new_session=True)
    assert done.returncode == 2
    expected = "kiosk-server add-user: password: expected it typed twice at a terminal, got no terminal (or use --password-stdin)\n"
    assert (done.stdout, done.stderr) == ("", expected)


def test_add_user_reads_the_password_from_stdin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from server import accounts

    db_url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    assert main(["add-user", "manager", "--db", db_url, "--password-stdin"]) == 0
    database = Database(db_url)
    try:
        assert accounts.verify_user(database, "manager", "correct horse battery")
        assert not accounts.verify_user(database, "manager", "correct horse battery\n")
    finally:
        database.close()
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    code, lines = run_cli(capsys, "add-user", "manager2", "--db", db_url, "--password-stdin")
    assert (code, lines) == (2, ["kiosk-server add-user: password: expected at least 8 characters, got 5"])


def test_add_user_keep_existing_leaves_a_changed_password_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What ``make run`` does at every start: the sample manager is made once, never reset."""
    from server import accounts

    db_url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    monkeypatch.setattr("sys.stdin", io.StringIO("the sample password\n"))
    assert main(["add-user", "manager", "--db", db_url, "--password-stdin", "--keep-existing"]) == 0
    assert capsys.readouterr().out == "kiosk-server add-user: manager can log in to the dashboard\n"
    monkeypatch.setattr("sys.stdin", io.StringIO("my own new password\n"))
    assert main(["add-user", "manager", "--db", db_url, "--password-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("the sample password\n"))
    capsys.readouterr()
    assert main(["add-user", "manager", "--db", db_url, "--password-stdin", "--keep-existing"]) == 0
    assert capsys.readouterr().out == "kiosk-server add-user: manager already has a login; kept\n"
    database = Database(db_url)
    try:
        assert accounts.verify_user(database, "manager", "my own new password")
        assert not accounts.verify_user(database, "manager", "the sample password")
    finally:
        database.close()


def test_add_user_asks_twice_and_refuses_two_different_passwords(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    accounts = pytest.importorskip("server.accounts")
    db_url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    typed = iter(["first password", "other password", "same password", "same password"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(typed))  # the terminal: what the manager types
    code, lines = run_cli(capsys, "add-user", "manager", "--db", db_url)
    assert (code, lines) == (
        2,
        ["kiosk-server add-user: password: expected the same password twice, got two different ones; nothing stored"],
    )
    assert main(["add-user", "manager", "--db", db_url]) == 0
    database = Database(db_url)
    try:
        assert accounts.verify_user(database, "manager", "same password")
    finally:
        database.close()
