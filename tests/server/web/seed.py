"""What the web pages' tests put on the server, through its own API as kiosks and windows would:
tickets taken and served, kiosk ratings, complaints and heartbeats. ``client`` is an httpx client
of the server (FastAPI's TestClient, or httpx.Client on a real server's base URL)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx

from tests.server.center import SHANGHAI, Clock, auth, ticket_request

OCTOBER = dt.datetime(2026, 10, 15, 10, 0, tzinfo=SHANGHAI)  # a Thursday


def take_ticket(client: httpx.Client, clock: Clock, service_id: str = "legal_aid") -> dict[str, Any]:
    clock.advance(minutes=1)
    response = client.post("/api/v1/tickets", json=ticket_request(service_id), headers=auth())
    assert response.status_code == 201, response.text
    ticket: dict[str, Any] = response.json()
    return ticket


def call_next(client: httpx.Client, window: str = "1") -> dict[str, Any]:
    response = client.post(f"/api/v1/windows/{window}/call-next")
    assert response.status_code == 200, response.text
    ticket: dict[str, Any] = response.json()["ticket"]
    return ticket


def finish(client: httpx.Client, window: str = "1") -> dict[str, Any]:
    response = client.post(f"/api/v1/windows/{window}/done")
    assert response.status_code == 200, response.text
    ticket: dict[str, Any] = response.json()["ticket"]
    return ticket


def serve(client: httpx.Client, clock: Clock, window: str = "1") -> dict[str, Any]:
    """The window calls its next ticket and finishes it a few minutes later."""
    call_next(client, window)
    clock.advance(minutes=5)
    return finish(client, window)


def kiosk_rating(level: str, at: dt.datetime, **fields: Any) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "created_at": at.isoformat(), "level": level, **fields}


def send_ratings(client: httpx.Client, *ratings: dict[str, Any], kiosk_id: str = "kiosk-01") -> list[dict[str, Any]]:
    response = client.post("/api/v1/ratings", json={"kiosk_id": kiosk_id, "ratings": list(ratings)}, headers=auth(kiosk_id))
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def send_complaint(client: httpx.Client, at: dt.datetime, complaint_id: str | None = None, **fields: Any) -> dict[str, Any]:
    complaint = {
        "id": complaint_id or str(uuid.uuid4()),
        "receipt": f"{at:%Y%m%d}-kiosk-01-{fields.pop('count', 1):03d}",
        "created_at": at.isoformat(),
        "kind": "complaint",
        "category": "efficiency",
        "presets": ["long_wait", "not_told_once"],
        "phone": "13812345678",
        **fields,
    }
    response = client.post("/api/v1/complaints", json={"kiosk_id": "kiosk-01", "complaints": [complaint]}, headers=auth())
    assert response.status_code == 200, response.text
    return complaint


def heartbeat(client: httpx.Client, at: dt.datetime, kiosk_id: str = "kiosk-01", printer_state: str = "ok", outbox_depth: int = 0) -> None:
    body = {
        "kiosk_id": kiosk_id,
        "app_version": "0.1.0",
        "printer_state": printer_state,
        "outbox_depth": outbox_depth,
        "last_sync": at.isoformat(),
        "sent_at": at.isoformat(),
    }
    response = client.post("/api/v1/heartbeat", json=body, headers=auth(kiosk_id))
    assert response.status_code == 200, response.text


def seed_ratings(client: httpx.Client, clock: Clock) -> dict[str, str]:
    """October: very satisfied and dissatisfied (kiosk). November: A001 (window 2) very satisfied by
    phone, A002 (window 1) dissatisfied by kiosk, a repeat of A001, and an unlinked mediation rating."""
    october = send_ratings(
        client,
        kiosk_rating("very_satisfied", OCTOBER),
        kiosk_rating("dissatisfied", OCTOBER, reasons=["efficiency"], phone="13900001111"),
    )
    first, second = take_ticket(client, clock), take_ticket(client, clock)
    serve(client, clock, "2")
    serve(client, clock, "1")
    assert client.post(f"/api/v1/public/tickets/{first['id']}/rating", json={"level": "very_satisfied"}).status_code == 201
    bad = kiosk_rating("dissatisfied", clock.now, reasons=["attitude", "efficiency"], phone="13812345678", ticket_id=second["id"])
    repeat = kiosk_rating("very_dissatisfied", clock.now, ticket_id=first["id"])
    results = send_ratings(client, bad, repeat, kiosk_rating("satisfied", clock.now, service_id="mediation"))
    assert [r["repeat"] for r in results] == [False, True, False]
    return {"october_bad": october[1]["id"], "bad": bad["id"], "repeat": repeat["id"]}
