"""Appointment check-in through the server, and what kiosks report after issuing offline."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from kiosk.appointments import Appointment, Appointments
from kiosk.queue_rules import TimeRange
from tests.server.center import Clock, auth, ticket_request
from tests.server.conftest import Client

MONDAY = dt.date(2026, 11, 23)


def appointments() -> Appointments:
    def slot(start: int, end: int) -> TimeRange:
        return TimeRange(dt.time(start, 0), dt.time(end, 0))

    return Appointments(
        [
            Appointment("20481", MONDAY, slot(9, 10), "mediation", 2),
            Appointment("30517", MONDAY, slot(14, 15), "legal_aid", 3),
            Appointment("40022", MONDAY + dt.timedelta(days=1), slot(9, 10), "legal_aid", 4),
        ]
    )


def check_in(client: TestClient, code: str) -> Any:
    return client.post("/api/v1/tickets", json=ticket_request(None, "appointment", appointment_code=code))


def test_an_appointment_code_becomes_a_ticket_for_its_service_once_a_day(make_client: Client) -> None:
    client = make_client(appointments=appointments())
    first = check_in(client, "20481")
    assert first.status_code == 201
    assert (first.json()["label"], first.json()["service_id"], first.json()["appointment_code"]) == ("Y001", "mediation", "20481")
    again = check_in(client, "20481")  # a new request id, the same code
    assert (again.status_code, again.json()["error"]) == (409, "appointment_used")
    assert "Y001" in again.json()["message"]
    assert check_in(client, "30517").json()["label"] == "Y002"


def test_codes_that_do_not_fit_today_are_refused_with_their_reason(make_client: Client, clock: Clock) -> None:
    client = make_client(appointments=appointments())
    assert check_in(client, "99999").json()["error"] == "unknown_appointment"
    assert check_in(client, "40022").json()["error"] == "appointment_other_day"
    clock.advance(minutes=60)  # 10:30: the 09:00-10:00 slot is over
    assert check_in(client, "20481").json()["error"] == "appointment_missed"


def test_without_an_appointments_file_every_code_is_unknown(client: TestClient) -> None:
    assert check_in(client, "20481").json()["error"] == "unknown_appointment"


def offline_ticket(label: str, service_id: str = "legal_aid", day: str = "2026-11-23", **fields: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "label": label,
        "prefix": label[0],
        "number": int(label[1:]),
        "day": day,
        "service_id": service_id,
        "category": "normal",
        "priority_kind": None,
        "appointment_code": None,
        "issued_at": "2026-11-23T09:10:00+08:00",
        **fields,
    }


def report(client: TestClient, kiosk_id: str, block: int, tickets: list[dict[str, Any]], abandoned: list[str] = ()) -> Any:  # type: ignore[assignment]
    body = {"kiosk_id": kiosk_id, "offline_block": block, "tickets": tickets, "abandoned": list(abandoned)}
    response = client.post("/api/v1/tickets/offline", json=body, headers=auth(kiosk_id))
    assert response.status_code == 200, response.text
    return response.json()


def test_offline_tickets_are_stored_once_and_wait_in_their_queue(client: TestClient) -> None:
    tickets = [offline_ticket("A950"), offline_ticket("A951")]
    first = report(client, "kiosk-01", 1, tickets)
    assert [r["status"] for r in first["results"]] == ["stored", "stored"]
    again = report(client, "kiosk-01", 1, tickets)
    assert [r["status"] for r in again["results"]] == ["duplicate", "duplicate"]
    assert client.get(f"/api/v1/tickets/{tickets[1]['id']}").json()["source"] == "offline"
    called = client.post("/api/v1/windows/2/call-next").json()["ticket"]
    assert called["label"] == "A950"  # issued at 09:10, before anything the server issued at 09:30


def test_a_number_given_twice_on_one_day_is_a_conflict_and_stored_nowhere(client: TestClient) -> None:
    report(client, "kiosk-01", 1, [offline_ticket("A950")])
    clash = offline_ticket("A950")
    result = report(client, "kiosk-02", 2, [clash, offline_ticket("A900")])
    assert [r["status"] for r in result["results"]] == ["conflict", "stored"]
    assert client.get(f"/api/v1/tickets/{clash['id']}").status_code == 404
    other_day = report(client, "kiosk-01", 1, [offline_ticket("A950", day="2026-11-24")])
    assert other_day["results"][0]["status"] == "stored"


def test_an_abandoned_request_that_was_numbered_is_void_never_called(client: TestClient, db_url: str) -> None:
    lost = client.post("/api/v1/tickets", json=ticket_request()).json()  # the kiosk gave up waiting for this answer
    kept = client.post("/api/v1/tickets", json=ticket_request()).json()
    never_numbered = str(uuid.uuid4())
    result = report(client, "kiosk-01", 1, [], abandoned=[lost["id"], never_numbered])
    assert result["voided"] == [lost["id"]]
    assert client.get(f"/api/v1/tickets/{lost['id']}").json()["state"] == "void"
    assert client.get("/api/v1/queues").json()["queues"][0]["waiting"] == 1
    assert client.get(f"/api/v1/tickets/{kept['id']}").json()["ahead"] == 0
    assert client.post("/api/v1/windows/2/call-next").json()["ticket"]["label"] == "A002"
    with create_engine(db_url).connect() as connection:
        kinds = connection.execute(text("SELECT kind FROM ticket_events WHERE ticket_id = :id ORDER BY id"), {"id": lost["id"]}).scalars()
        assert list(kinds) == ["issued", "voided"]
    assert report(client, "kiosk-01", 1, [], abandoned=[lost["id"]])["voided"] == [lost["id"]]  # a retried report


def test_a_request_reported_abandoned_before_it_arrives_never_becomes_a_ticket(client: TestClient) -> None:
    late = ticket_request()  # stuck on the network while the kiosk gave up and reported it
    assert report(client, "kiosk-01", 1, [], abandoned=[late["id"]])["voided"] == []
    arrived = client.post("/api/v1/tickets", json=late)
    assert (arrived.status_code, arrived.json()["error"]) == (409, "request_abandoned")
    assert client.get("/api/v1/queues").json()["queues"][0]["waiting"] == 0  # nobody waits for a ghost
    assert client.post("/api/v1/tickets", json=ticket_request()).json()["label"] == "A001"


def test_an_appointment_checked_in_offline_after_a_lost_answer_keeps_its_code(make_client: Client) -> None:
    client = make_client(appointments=appointments())
    lost = check_in(client, "20481").json()  # Y001: the kiosk never heard the answer ...
    offline = offline_ticket("Y950", "mediation", category="appointment", appointment_code="20481")  # ... and checked in offline
    result = report(client, "kiosk-01", 1, [offline], abandoned=[lost["id"]])
    assert ([r["status"] for r in result["results"]], result["voided"]) == (["stored"], [lost["id"]])
    assert client.get(f"/api/v1/tickets/{offline['id']}").json()["state"] == "waiting"
    again = check_in(client, "20481")
    assert (again.status_code, again.json()["error"]) == (409, "appointment_used")
    assert "Y950" in again.json()["message"]
