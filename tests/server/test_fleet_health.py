"""Fleet health (docs/appliance-api.md): the extended heartbeat kept on the kiosk's row, the flags
as plain functions (silent, paper, behind, old_content), and the fleet page and the overview's
summary as a manager reads them, on a SQLite file (the PostgreSQL variant of the heartbeat's row is
tests/server/test_heartbeat.py's)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kiosk.paths import SAMPLE_CONTENT_DIR
from server.content_sets import VersionInfo
from server.web.fleet import AMBER, RED, has_old_content, is_behind, is_silent, paper_severity
from tests.server.center import Clock, auth
from tests.server.feedback_bodies import heartbeat, rows
from tests.server.web.conftest import Web, log_in, make_app

T0 = dt.datetime(2026, 11, 23, 1, 30, tzinfo=dt.timezone.utc)
DIGEST = "0123456789ab"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'server.sqlite3'}"


@pytest.fixture
def manager(db_url: str, clock: Clock) -> Iterator[Web]:
    app = make_app(db_url, clock)
    with TestClient(app, follow_redirects=False) as client:
        assert log_in(client).status_code == 303
        yield Web(client, app, clock)


def minutes(n: float) -> dt.timedelta:
    return dt.timedelta(minutes=n)


def test_the_flags_as_plain_functions() -> None:
    assert is_silent(T0 - minutes(6), T0) and not is_silent(T0 - minutes(4), T0) and is_silent(None, T0)
    assert [paper_severity(state) for state in ("paper_out", "cover_open", "offline", "paper_near_end", "ok", "unknown", None)] == [
        RED,
        RED,
        RED,
        AMBER,
        None,
        None,
        None,
    ]
    assert is_behind(12, T0 - minutes(20), T0)
    assert not is_behind(12, T0 - minutes(5), T0)
    assert not is_behind(0, T0 - minutes(60), T0)  # nothing waits
    assert is_behind(3, None, T0)  # never delivered
    current = VersionInfo(7, DIGEST, T0, "zhang.wei", "on duty")
    assert has_old_content("ba9876543210", current, T0 + minutes(3))
    assert not has_old_content("ba9876543210", current, T0 + minutes(1))  # kiosks have a minute or two to pull it
    assert not has_old_content(DIGEST, current, T0 + minutes(30))
    assert not has_old_content(None, current, T0 + minutes(30))  # an older kiosk does not say


def test_the_extended_heartbeat_is_kept_on_the_row_and_an_older_one_still_works(client: TestClient, db_url: str) -> None:
    facts = "SELECT content_version, uptime_s, free_disk_bytes, disk_low, printer_state FROM kiosks WHERE id = 'kiosk-01'"
    extended = heartbeat(content_version=DIGEST, uptime_s=90061, free_disk_bytes=12 * 10**9, disk_low=True)
    assert client.post("/api/v1/heartbeat", json=extended).status_code == 200
    assert rows(db_url, facts) == [(DIGEST, 90061, 12 * 10**9, 1, "paper_near_end")]
    assert client.post("/api/v1/heartbeat", json=heartbeat(printer_state="ok")).status_code == 200
    assert rows(db_url, facts) == [(None, None, None, None, "ok")]  # the last heartbeat's word
    for body, message in [
        (heartbeat(content_version="ABC"), "content_version: expected "),
        (heartbeat(uptime_s=-1), "uptime_s: expected greater than or equal to 0"),
        (heartbeat(free_disk_bytes=10**16), "free_disk_bytes: expected less than or equal to 1000000000000000"),
        (heartbeat(disk_low="yes"), "disk_low: expected "),
    ]:
        response = client.post("/api/v1/heartbeat", json=body)
        assert response.status_code == 422 and response.json()["message"].startswith(message), response.json()["message"]


def beat(client: TestClient, kiosk_id: str, at: dt.datetime, **fields: Any) -> None:
    body = heartbeat(kiosk_id, printer_state="ok", outbox_depth=0, last_sync=None, sent_at=at.isoformat()) | fields
    response = client.post("/api/v1/heartbeat", json=body, headers=auth(kiosk_id))
    assert response.status_code == 200, response.text


def flags(page: str, kiosk_id: str) -> list[str]:
    found = re.search(rf'<tr data-kiosk="{kiosk_id}" data-flags="([a-z_ ]*)"', page)
    assert found is not None, kiosk_id
    return found.group(1).split()


def test_the_fleet_page_and_the_overview_flag_what_needs_a_hand(manager: Web, tmp_path: Path) -> None:
    client, clock, app = manager.client, manager.clock, manager.app
    beat(client, "kiosk-05", clock.now)  # its last word, six minutes before the others'
    first = app.state.content.current()
    assert first is not None  # the --content folder, imported at start
    folder = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT_DIR, folder)
    with (folder / "notices.ini").open("a", encoding="utf-8") as notices:
        notices.write("\n# edited on the dashboard\n")
    second = app.state.content.publish_folder(folder, "zhang.wei", "a note").info
    assert second.version == first.version + 1
    clock.advance(minutes=6)
    now = clock.now
    beat(client, "kiosk-01", now, content_version=second.digest, uptime_s=2 * 86400 + 3600, free_disk_bytes=850 * 1024 * 1024)
    beat(client, "kiosk-02", now, content_version=first.digest, printer_state="paper_out")
    beat(client, "kiosk-03", now, printer_state="paper_near_end", outbox_depth=12, last_sync=(now - minutes(20)).isoformat())
    beat(client, "kiosk-04", now, disk_low=True, free_disk_bytes=50 * 1024 * 1024)
    page = client.get("/dashboard/fleet").text
    assert f"第 {second.version} 版（{second.digest}）" in page
    assert flags(page, "kiosk-01") == []
    assert flags(page, "kiosk-02") == ["paper", "old_content"]
    assert flags(page, "kiosk-03") == ["paper", "behind"]
    assert flags(page, "kiosk-04") == ["disk_low"]
    assert flags(page, "kiosk-05") == ["silent"]
    assert flags(page, "kiosk-06") == ["silent"]  # never heard from
    row = re.search(r'<tr data-kiosk="kiosk-02".*?</tr>', page, re.S)
    assert row is not None and '<span class="flag red" data-flag="paper">缺纸</span>' in row.group(0)
    assert '<span class="flag amber" data-flag="old_content">内容未更新</span>' in row.group(0)
    row = re.search(r'<tr data-kiosk="kiosk-01".*?</tr>', page, re.S)
    assert row is not None and "2 天 1 小时" in row.group(0) and "850MB" in row.group(0) and second.digest in row.group(0)
    overview = client.get("/dashboard").text
    summary = re.search(r'<div class="tile alarm" id="fleet-summary">.*?</div></a></div>', overview, re.S)
    assert summary is not None, "the overview shows kiosks needing attention in red"
    text = re.sub(r"<[^>]+>", " ", summary.group(0))
    assert re.search(r"\b10\b", text), text  # kiosk-00, -02 ... -10: all but kiosk-01
    for words in ("失联 7", "打印机 2", "同步滞后 1", "内容未更新 1", "磁盘将满 1"):
        assert words in text, (words, text)
