"""``kiosk-server report``: the center's work ledger, every kiosk's tickets together."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kiosk.content_loader import load_content
from kiosk.paths import SAMPLE_CONTENT_DIR
from server.cli import main
from server.main import create_app
from server.settings import Settings
from tests.server.center import MONDAY_MORNING, Clock, auth, register_test_kiosks


def issue(client: TestClient, kiosk_id: str, service_id: str, category: str = "normal") -> str:
    body = {"id": str(uuid.uuid4()), "kiosk_id": kiosk_id, "service_id": service_id, "category": category}
    if category == "priority":
        body["priority_kind"] = "elderly"
    reply = client.post("/api/v1/tickets", json=body, headers=auth(kiosk_id))
    assert reply.status_code == 201, reply.text
    label: str = reply.json()["label"]
    return label


def test_the_report_counts_every_kiosk_of_the_center(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    clock = Clock(MONDAY_MORNING)
    app = create_app(Settings(db_url=db_url), load_content(SAMPLE_CONTENT_DIR).queues, clock)
    register_test_kiosks(app.state.database)
    with TestClient(app) as client:
        issue(client, "kiosk-01", "legal_aid")
        issue(client, "kiosk-02", "legal_aid")
        clock.advance(minutes=60)
        issue(client, "kiosk-02", "mediation", "priority")
        clock.advance(days=1)
        issue(client, "kiosk-01", "legal_aid")  # Tuesday: not in Monday's report
    code = main(["report", "--db", db_url, "--content", str(SAMPLE_CONTENT_DIR), "--day", "2026-11-23"])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out[:4] == ["工作台账：取号统计", "期间：2026-11-23（星期一）", "自助机：全中心（所有自助机）", "取号合计：3"]
    rows = [line.split() for line in out]
    assert ["法律援助", "2"] in rows and ["人民调解", "1"] in rows and ["绿色通道", "1"] in rows
    assert ["09:00-10:00", "2"] in rows and ["10:00-11:00", "1"] in rows
    assert not any("打印失败" in line for line in out), "the server does not know what printed"
    week = main(["report", "--db", db_url, "--content", str(SAMPLE_CONTENT_DIR), "--week", "2026-11-25", "--csv"])
    assert week == 0 and "合计,,取号合计,4" in capsys.readouterr().out


def test_a_missing_database_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["report", "--db", f"sqlite:///{tmp_path / 'none.sqlite3'}", "--content", str(SAMPLE_CONTENT_DIR), "--day", "2026-11-23"])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert err == [f"kiosk-server report: --db: expected the server's database, got '{tmp_path / 'none.sqlite3'}' (no such file)"]
    assert not (tmp_path / "none.sqlite3").exists()


def test_a_bad_date_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["report", "--content", str(SAMPLE_CONTENT_DIR), "--week", "next week"])
    assert code == 2
    assert capsys.readouterr().err.strip() == "kiosk-server report: --week: expected a date like 2026-03-02, got 'next week'"
