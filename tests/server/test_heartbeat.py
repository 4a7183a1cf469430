"""The kiosk's heartbeat: its facts kept on its row with the server's time of arrival."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.server.center import auth
from tests.server.feedback_bodies import heartbeat, rows

FACTS = "SELECT heartbeat_at, app_version, printer_state, outbox_depth, last_sync FROM kiosks WHERE id = :id"


def test_a_heartbeat_keeps_the_kiosks_last_word(client: TestClient, db_url: str) -> None:
    response = client.post("/api/v1/heartbeat", json=heartbeat())
    assert response.status_code == 200, response.text
    assert response.json() == {"server_time": "2026-11-23T09:30:00+08:00"}
    assert rows(db_url, FACTS, id="kiosk-01") == [
        ("2026-11-23T01:30:00.000000+00:00", "0.1.0", "paper_near_end", 3, "2026-11-23T01:20:00.000000+00:00")
    ]
    client.post("/api/v1/heartbeat", json=heartbeat(printer_state="ok", outbox_depth=0, last_sync=None))
    assert rows(db_url, FACTS, id="kiosk-01")[0][2:] == ("ok", 0, None)
    assert rows(db_url, FACTS, id="kiosk-02") == [(None, None, None, None, None)]  # the others untouched


def test_a_heartbeat_about_another_kiosk_is_refused(client: TestClient, db_url: str) -> None:
    response = client.post("/api/v1/heartbeat", json=heartbeat("kiosk-02"), headers=auth("kiosk-01"))
    assert (response.status_code, response.json()["error"]) == (403, "wrong_kiosk")
    assert rows(db_url, FACTS, id="kiosk-02") == [(None, None, None, None, None)]


def test_a_malformed_heartbeat_is_422(client: TestClient) -> None:
    for body, message in [
        (heartbeat(printer_state="jammed"), "printer_state: expected 'ok', 'paper_near_end'"),
        (heartbeat(outbox_depth=-1), "outbox_depth: expected greater than or equal to 0, got -1"),
        (heartbeat(sent_at="9999-12-31T23:59:59-14:00"), "sent_at: expected a time in the years 2000 to 2999"),
    ]:
        response = client.post("/api/v1/heartbeat", json=body)
        assert response.status_code == 422
        assert response.json()["message"].startswith(message), response.json()["message"]
