"""Issuing tickets over the API: one sequence per (day, letter) for the whole center, retries,
caps, opening hours, the day that never goes back, and the shared numbers' end."""

from __future__ import annotations

import dataclasses
import datetime as dt

from fastapi.testclient import TestClient

from tests.server.center import SHANGHAI, Clock, auth, center_rules, ticket_request
from tests.server.conftest import Client


def issue(client: TestClient, **fields: object) -> dict[str, object]:
    request = ticket_request(**fields)  # type: ignore[arg-type]
    response = client.post("/api/v1/tickets", json=request, headers=auth(request["kiosk_id"]))
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def test_each_letter_counts_on_its_own_for_the_whole_center(client: TestClient) -> None:
    labels = [
        issue(client, service_id="legal_aid", kiosk_id="kiosk-01")["label"],
        issue(client, service_id="legal_aid", kiosk_id="kiosk-02")["label"],
        issue(client, service_id="consultation", kiosk_id="kiosk-01")["label"],
        issue(client, service_id="legal_aid", category="priority")["label"],
        issue(client, service_id="mediation", category="priority")["label"],
    ]
    assert labels == ["A001", "A002", "B001", "V001", "V002"]


def test_the_answer_says_day_time_and_people_ahead(client: TestClient) -> None:
    first = issue(client)
    second = issue(client)
    assert first["day"] == "2026-11-23"
    assert first["issued_at"] == "2026-11-23T09:30:00+08:00"
    assert (first["ahead"], second["ahead"]) == (0, 1)


def test_asking_again_with_the_same_id_gives_the_same_ticket(client: TestClient) -> None:
    body = ticket_request()
    first = client.post("/api/v1/tickets", json=body)
    again = client.post("/api/v1/tickets", json=body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["label"] == first.json()["label"] == "A001"
    assert issue(client)["label"] == "A002"


def test_the_daily_cap_refuses_and_the_next_day_opens_again(make_client: Client, clock: Clock) -> None:
    client = make_client(center_rules(caps={"mediation": 2}))
    issue(client, service_id="mediation")
    issue(client, service_id="mediation", category="priority")
    refused = client.post("/api/v1/tickets", json=ticket_request("mediation"))
    assert refused.status_code == 409
    assert refused.json()["error"] == "full"
    full = {q["service_id"]: q["full"] for q in client.get("/api/v1/queues").json()["queues"]}
    assert full == {"legal_aid": False, "consultation": False, "mediation": True}  # kiosks grey it out
    assert issue(client, service_id="legal_aid")["label"] == "A001"  # other queues go on
    clock.advance(days=1)
    assert issue(client, service_id="mediation")["label"] == "C001"


def test_outside_hours_the_answer_says_when_to_come_back(client: TestClient, clock: Clock) -> None:
    clock.now = dt.datetime(2026, 11, 23, 12, 15, tzinfo=SHANGHAI)  # lunch break
    refused = client.post("/api/v1/tickets", json=ticket_request())
    assert refused.status_code == 409
    assert refused.json()["error"] == "closed"
    assert refused.json()["next_open"] == "2026-11-23T13:30:00+08:00"
    clock.now = dt.datetime(2026, 11, 28, 10, 0, tzinfo=SHANGHAI)  # Saturday
    assert client.post("/api/v1/tickets", json=ticket_request()).json()["next_open"] == "2026-11-30T09:00:00+08:00"
    queues = client.get("/api/v1/queues").json()["queues"]
    assert [q["open"] for q in queues] == [False, False, False]


def test_numbers_restart_each_local_day(client: TestClient, clock: Clock) -> None:
    issue(client)
    issue(client)
    clock.now = dt.datetime(2026, 11, 24, 9, 0, tzinfo=SHANGHAI)
    ticket = issue(client)
    assert (ticket["label"], ticket["day"]) == ("A001", "2026-11-24")


def test_a_clock_set_back_never_goes_back_a_day(client: TestClient, clock: Clock) -> None:
    clock.now = dt.datetime(2026, 11, 24, 9, 0, tzinfo=SHANGHAI)
    issue(client)
    clock.now = dt.datetime(2026, 11, 23, 16, 0, tzinfo=SHANGHAI)  # someone set the clock a day back
    ticket = issue(client)
    assert (ticket["label"], ticket["day"]) == ("A002", "2026-11-24")


def test_the_latest_day_survives_a_restart(make_client: Client, clock: Clock) -> None:
    clock.now = dt.datetime(2026, 11, 24, 9, 0, tzinfo=SHANGHAI)
    issue(make_client())
    clock.now = dt.datetime(2026, 11, 23, 16, 0, tzinfo=SHANGHAI)
    assert issue(make_client())["label"] == "A002"  # a new server process on the same database


def test_the_shared_numbers_end_below_the_offline_blocks(make_client: Client) -> None:
    # 3 digits, 4 blocks of 249: the shared numbers are 1-3, the blocks 4-999.
    client = make_client(center_rules(offline_block_size=249))
    labels = [issue(client)["label"] for _ in range(3)]
    refused = client.post("/api/v1/tickets", json=ticket_request())
    assert labels == ["A001", "A002", "A003"]
    assert (refused.status_code, refused.json()["error"]) == (409, "used_up")
    assert client.post("/api/v1/tickets", json=ticket_request()).json()["error"] == "used_up"  # and stays so
    assert issue(client, service_id="consultation")["label"] == "B001"


def test_two_kiosks_cannot_hold_one_offline_block(client: TestClient) -> None:
    assert issue(client, kiosk_id="kiosk-01", offline_block=1)["label"] == "A001"
    assert issue(client, kiosk_id="kiosk-01", offline_block=1)["label"] == "A002"
    taken = client.post("/api/v1/tickets", json=ticket_request(kiosk_id="kiosk-02", offline_block=1), headers=auth("kiosk-02"))
    assert (taken.status_code, taken.json()["error"]) == (409, "block_taken")
    assert "kiosk-01" in taken.json()["message"]
    assert issue(client, kiosk_id="kiosk-02", offline_block=2)["label"] == "A003"


def test_a_refused_request_claims_no_block(client: TestClient, clock: Clock) -> None:
    clock.now = dt.datetime(2026, 11, 23, 12, 15, tzinfo=SHANGHAI)  # lunch: kiosk-01's request is refused
    refused = client.post("/api/v1/tickets", json=ticket_request(kiosk_id="kiosk-01", offline_block=2))
    assert refused.json()["error"] == "closed"
    clock.now = dt.datetime(2026, 11, 23, 14, 0, tzinfo=SHANGHAI)
    assert issue(client, kiosk_id="kiosk-01", offline_block=2)["label"] == "A001"  # now kiosk-01 holds it, on disk
    taken = client.post("/api/v1/tickets", json=ticket_request(kiosk_id="kiosk-02", offline_block=2), headers=auth("kiosk-02"))
    assert (taken.status_code, taken.json()["error"]) == (409, "block_taken")


def test_a_block_outside_the_rules_is_refused(client: TestClient) -> None:
    response = client.post("/api/v1/tickets", json=ticket_request(offline_block=5))
    assert response.status_code == 422
    assert response.json()["message"] == "offline_block: expected a block from 1 to 4, got 5"


def test_one_ticket_can_be_read_back(client: TestClient) -> None:
    ticket = issue(client)
    read = client.get(f"/api/v1/tickets/{ticket['id']}").json()
    assert (read["label"], read["state"], read["ahead"]) == ("A001", "waiting", 0)
    missing = client.get("/api/v1/tickets/00000000-0000-4000-8000-000000000000")
    assert (missing.status_code, missing.json()["error"]) == (404, "not_found")


def test_a_queue_with_its_own_width(make_client: Client) -> None:
    rules = center_rules()
    wide = dataclasses.replace(rules.queues["legal_aid"], digits=4)
    client = make_client(dataclasses.replace(rules, queues={**rules.queues, "legal_aid": wide}))
    assert issue(client, service_id="legal_aid")["label"] == "A0001"
    assert issue(client, service_id="consultation")["label"] == "B001"
    assert issue(client, service_id="legal_aid", category="priority")["label"] == "V001"  # the center's width
