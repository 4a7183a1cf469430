"""``kiosk sync`` as staff use it, against a real HTTP server on 127.0.0.1, and what ``kiosk check``
says about the sync: one line of counts, one line for a problem, the exit code says whether
anything is left; never a traceback."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk import cli
from kiosk.database import open_database
from kiosk.outbox import RATING, Outbox
from tests.kiosk.feedback_server import KIOSK_ID, TOKEN, FeedbackServer, feedback_server


@pytest.fixture
def server() -> Iterator[FeedbackServer]:
    with feedback_server() as running:
        yield running


def write_ini(folder: Path, content_dir: Path, **server: str) -> Path:
    keys = "".join(f"{key} = {value}\n" for key, value in server.items())
    path = folder / "kiosk.ini"
    path.write_text(
        f"[kiosk]\nid = {KIOSK_ID}\ncontent_dir = {content_dir}\ndata_dir = data\n[printer]\ntype = none\n[server]\n{keys}",
        encoding="utf-8",
    )
    return path


def store_ratings(data_dir: Path, count: int) -> list[str]:
    database = open_database(data_dir)
    try:
        outbox = Outbox(database)
        ids = [str(uuid.uuid4()) for _ in range(count)]
        for record_id in ids:
            outbox.add(RATING, record_id, {"id": record_id, "created_at": "2026-11-21T10:15:00+08:00", "level": "satisfied"})
        return ids
    finally:
        database.close()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], list[str]]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def test_sync_sends_everything_waiting_and_exits_0(
    tmp_path: Path, content_dir: Path, server: FeedbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    ini = write_ini(tmp_path, content_dir, url=server.url, token=TOKEN)
    ids = store_ratings(tmp_path / "data", 3)
    assert run(capsys, "sync", "--config", str(ini)) == (0, ["sent 3, pending 0, failed 0"], [])
    assert set(server.stored) == set(ids)
    assert server.heartbeats == []  # the running kiosk tells its printer's state, not this command
    assert run(capsys, "sync", "--config", str(ini)) == (0, ["sent 0, pending 0, failed 0"], [])


def test_sync_does_not_wait_for_the_backoff(
    tmp_path: Path, content_dir: Path, server: FeedbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    ini = write_ini(tmp_path, content_dir, url=server.url, token=TOKEN)
    store_ratings(tmp_path / "data", 2)
    server.answer_next(503)
    code, out, err = run(capsys, "sync", "--config", str(ini))
    assert (code, out) == (1, ["sent 0, pending 2, failed 0"])
    assert err == [f"kiosk sync: {server.url}/api/v1/ratings: HTTP 503 server_error: forced 503"]
    assert run(capsys, "sync", "--config", str(ini)) == (0, ["sent 2, pending 0, failed 0"], [])


def test_an_unreachable_server_leaves_the_records_and_exits_1(
    tmp_path: Path, content_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ini = write_ini(tmp_path, content_dir, url="http://127.0.0.1:9", token=TOKEN)
    store_ratings(tmp_path / "data", 2)
    assert run(capsys, "sync", "--config", str(ini)) == (
        1,
        ["sent 0, pending 2, failed 0"],
        ["kiosk sync: http://127.0.0.1:9/api/v1/ratings: cannot reach the server (ConnectionError)"],
    )


def test_a_refused_token_is_said_in_one_line(
    tmp_path: Path, content_dir: Path, server: FeedbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    ini = write_ini(tmp_path, content_dir, url=server.url, token="another-kiosks-token-0000")
    store_ratings(tmp_path / "data", 1)
    code, out, err = run(capsys, "sync", "--config", str(ini))
    assert (code, out) == (1, ["sent 0, pending 1, failed 0"])
    assert err == [
        f"kiosk sync: {server.url}/api/v1/ratings: HTTP 401 unauthorized: Authorization: expected 'Bearer' and the kiosk's token"
    ]


def test_without_a_server_or_with_a_bad_config_sync_exits_2(tmp_path: Path, content_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ini = write_ini(tmp_path, content_dir)
    expected = "kiosk sync: kiosk.ini: [server] url: expected the central server's address, got nothing (records stay on this kiosk)"
    assert run(capsys, "sync", "--config", str(ini)) == (2, [], [expected])
    ini = write_ini(tmp_path, content_dir, url="http://127.0.0.1:9", sync_interval="often")
    code, out, err = run(capsys, "sync", "--config", str(ini))
    assert (code, out, len(err)) == (2, [], 1)
    assert err[0].endswith("[server] sync_interval: expected a whole number of seconds from 1 to 3600, got 'often'")


# ----- kiosk check


def check_lines(capsys: pytest.CaptureFixture[str], ini: Path) -> list[str]:
    code, out, err = run(capsys, "check", "--config", str(ini))
    assert (code, err) == (0, [])
    return out


def test_check_describes_the_sync_and_warns_about_tokens_and_addresses(
    in_tmp: Path, content_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = check_lines(capsys, write_ini(in_tmp, content_dir, url="https://center.example.org", token=TOKEN, sync_interval="20"))
    assert (
        "sync: ratings and complaints to https://center.example.org every 20 s, token set; phones open https://center.example.org" in good
    )
    assert not any("[server]" in line for line in good)

    empty = check_lines(capsys, write_ini(in_tmp, content_dir, url="https://center.example.org"))
    assert (
        "warning: [server] token is empty: the server refuses this kiosk's tickets, ratings and complaints; "
        f"make this kiosk's own with 'kiosk-server add-kiosk {KIOSK_ID}' and put it in [server] token"
    ) in empty

    sample = check_lines(capsys, write_ini(in_tmp, content_dir, url="http://127.0.0.1:8470", token="sample-kiosk-01-token-replace-me"))
    assert any(line.startswith("warning: [server] token is the sample's sample-kiosk-01-token-replace-me; ") for line in sample)
    assert (
        "warning: [server] public_url is http://127.0.0.1:8470, which visitors' phones cannot open; "
        "set the center's address that phones reach"
    ) in sample

    lan = check_lines(
        capsys, write_ini(in_tmp, content_dir, url="http://127.0.0.1:8470", token=TOKEN, public_url="http://192.168.1.10:8470")
    )
    assert not any("public_url" in line for line in lan)
