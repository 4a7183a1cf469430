"""The counter's steps over the API: calling order across a window's services, one current ticket
per window, recall, no-show, done and transfer, each stored in ticket_events with its time, and
the wait estimate that the service times feed."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from tests.server.center import Clock, center_rules, ticket_request
from tests.server.conftest import Client


def issue(client: TestClient, clock: Clock, service_id: str = "legal_aid", category: str = "normal", **fields: Any) -> dict[str, Any]:
    clock.advance(minutes=1)
    response = client.post("/api/v1/tickets", json=ticket_request(service_id, category, **fields))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def step(client: TestClient, window: str, action: str, **body: Any) -> Any:
    return client.post(f"/api/v1/windows/{window}/{action}", json=body or None)


def call(client: TestClient, window: str) -> str:
    response = step(client, window, "call-next")
    assert response.status_code == 200, response.text
    label: str = response.json()["ticket"]["label"]
    step(client, window, "done")
    return label


def events(db_url: str, ticket_id: str) -> list[tuple[str, str | None, str | None, str]]:
    with create_engine(db_url).connect() as connection:
        query = text("SELECT kind, window_id, service_id, at FROM ticket_events WHERE ticket_id = :id ORDER BY id")
        return [tuple(row) for row in connection.execute(query, {"id": ticket_id})]


def test_green_channel_first_then_order_of_issue_across_the_windows_services(client: TestClient, clock: Clock) -> None:
    issue(client, clock, "legal_aid")  # A001
    issue(client, clock, "consultation")  # B001
    issue(client, clock, "mediation", "priority")  # V001, not window 1's
    issue(client, clock, "consultation", "priority")  # V002
    issue(client, clock, "legal_aid")  # A002
    issue(client, clock, "legal_aid", "priority")  # V003
    assert [call(client, "1") for _ in range(5)] == ["V002", "V003", "A001", "B001", "A002"]
    nobody = step(client, "1", "call-next")
    assert (nobody.status_code, nobody.json()["error"]) == (409, "nobody_waiting")
    assert call(client, "3") == "V001"


def test_people_ahead_are_those_a_window_calls_first(client: TestClient, clock: Clock) -> None:
    issue(client, clock)
    issue(client, clock)
    assert issue(client, clock)["ahead"] == 2
    assert issue(client, clock, category="priority")["ahead"] == 0
    late = issue(client, clock)
    assert late["ahead"] == 4
    call(client, "2")  # the priority ticket
    call(client, "2")  # A001
    assert client.get(f"/api/v1/tickets/{late['id']}").json()["ahead"] == 2


def test_a_window_serves_one_ticket_at_a_time(client: TestClient, clock: Clock) -> None:
    issue(client, clock)
    issue(client, clock)
    assert step(client, "2", "call-next").json()["ticket"]["label"] == "A001"
    busy = step(client, "2", "call-next")
    assert (busy.status_code, busy.json()["error"]) == (409, "finish_current")
    assert "A001" in busy.json()["message"]
    assert step(client, "1", "call-next").json()["ticket"]["label"] == "A002"  # another window goes on
    window = client.get("/api/v1/windows/2").json()
    assert window["current"]["label"] == "A001"
    assert window["queues"] == [{"service_id": "legal_aid", "name_zh": "legal_aid", "name_en": None, "waiting": 0}]


def test_recall_no_show_and_done_are_stored_with_their_times(client: TestClient, clock: Clock, db_url: str) -> None:
    first, second = issue(client, clock), issue(client, clock)
    clock.advance(minutes=1)
    step(client, "2", "call-next")
    clock.advance(minutes=2)
    assert step(client, "2", "recall").json()["ticket"]["label"] == "A001"
    clock.advance(minutes=1)
    assert step(client, "2", "skip").json()["ticket"]["state"] == "skipped"
    step(client, "2", "call-next")
    clock.advance(minutes=7)
    done = step(client, "2", "done").json()["ticket"]
    assert (done["label"], done["state"], done["called_at"], done["done_at"]) == (
        "A002",
        "done",
        "2026-11-23T09:36:00+08:00",
        "2026-11-23T09:43:00+08:00",
    )
    assert events(db_url, first["id"]) == [
        ("issued", None, "legal_aid", "2026-11-23T01:31:00.000000+00:00"),
        ("called", "2", "legal_aid", "2026-11-23T01:33:00.000000+00:00"),
        ("recalled", "2", "legal_aid", "2026-11-23T01:35:00.000000+00:00"),
        ("skipped", "2", "legal_aid", "2026-11-23T01:36:00.000000+00:00"),
    ]
    assert [kind for kind, *_ in events(db_url, second["id"])] == ["issued", "called", "done"]
    nothing = step(client, "2", "recall")
    assert (nothing.status_code, nothing.json()["error"]) == (409, "no_current")


def test_a_transferred_ticket_keeps_its_number_and_waits_in_the_other_queue(client: TestClient, clock: Clock, db_url: str) -> None:
    ticket = issue(client, clock, "consultation")
    step(client, "1", "call-next")
    moved = step(client, "1", "transfer", service_id="mediation")
    assert moved.status_code == 200
    assert (moved.json()["ticket"]["label"], moved.json()["ticket"]["state"]) == ("B001", "waiting")
    assert client.get("/api/v1/windows/1").json()["current"] is None
    assert step(client, "3", "call-next").json()["ticket"]["label"] == "B001"
    assert [(kind, service) for kind, _, service, _ in events(db_url, ticket["id"])] == [
        ("issued", "consultation"),
        ("called", "consultation"),
        ("transferred", "mediation"),
        ("called", "mediation"),
    ]
    unknown = step(client, "3", "transfer", service_id="tax")
    assert (unknown.status_code, unknown.json()["error"]) == (422, "unknown_service")


def test_unknown_windows_are_404_with_the_known_ones_named(client: TestClient) -> None:
    response = step(client, "9", "call-next")
    assert (response.status_code, response.json()["error"]) == (404, "unknown_window")
    assert response.json()["message"] == "window: expected one of 1, 2, 3, got '9'"
    names = [w["name_zh"] for w in client.get("/api/v1/windows").json()["windows"]]
    assert names == ["1号窗口", "2号窗口", "3号窗口（人民调解室）"]


def test_without_service_times_or_default_there_is_no_estimate(make_client: Client, clock: Clock) -> None:
    client = make_client(center_rules(default_minutes={"mediation": None}))
    issue(client, clock, "mediation")
    assert issue(client, clock, "mediation")["wait_minutes"] is None
    assert client.get("/api/v1/queues").json()["queues"][2]["wait_minutes"] is None


def test_the_estimate_uses_the_default_then_recent_service_times(client: TestClient, clock: Clock) -> None:
    for _ in range(3):
        issue(client, clock)
    # legal aid: 10 minutes a person by default, two windows serve it, three people ahead
    assert issue(client, clock)["wait_minutes"] == 15.0
    for minutes in (4, 8):
        step(client, "2", "call-next")
        clock.advance(minutes=minutes)
        step(client, "2", "done")
    # two done in 4 and 8 minutes: 6 a person; two waiting ahead of a new ticket, shared by two windows
    assert issue(client, clock)["wait_minutes"] == 6.0
    queue = client.get("/api/v1/queues").json()["queues"][0]
    assert (queue["waiting"], queue["wait_minutes"]) == (3, 9.0)


def test_the_estimate_follows_only_the_last_service_times(make_client: Client, clock: Clock) -> None:
    client = make_client(center_rules(recent_service_times=2))
    for minutes in (30, 2, 4):
        issue(client, clock)
        step(client, "2", "call-next")
        clock.advance(minutes=minutes)
        step(client, "2", "done")
    issue(client, clock)
    assert issue(client, clock)["wait_minutes"] == 1.5  # (2 + 4) / 2 minutes, one ahead, two windows


def test_one_long_service_does_not_make_every_estimate_lie(client: TestClient, clock: Clock) -> None:
    for minutes in (4, 6, 95, 5):  # one visitor kept the window over lunch
        issue(client, clock)
        step(client, "2", "call-next")
        clock.advance(minutes=minutes)
        step(client, "2", "done")
    for _ in range(2):
        issue(client, clock)
    assert issue(client, clock)["wait_minutes"] == 5.5  # the median, 5.5 minutes; two ahead, two windows


def test_a_ticket_left_open_overnight_is_closed_by_the_next_call(client: TestClient, clock: Clock) -> None:
    issue(client, clock)
    step(client, "2", "call-next")  # ... and nobody pressed Done
    clock.advance(days=1)
    issue(client, clock)
    called = step(client, "2", "call-next")
    assert called.status_code == 200, called.text
    assert (called.json()["ticket"]["label"], called.json()["ticket"]["day"]) == ("A001", "2026-11-24")
    issue(client, clock)
    assert issue(client, clock)["wait_minutes"] == 5.0  # one ahead, the default 10 minutes, two windows: no 24-hour service time
