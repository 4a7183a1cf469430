"""Ratings from kiosks (docs/feedback-api.md): stored exactly once, linked to their ticket, one per
ticket, counted in the center's month, a follow-up for a bad one; a malformed batch stores nothing."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import requests
from fastapi.testclient import TestClient

from server.main import create_app
from server.settings import Settings
from tests.server.center import Clock, auth, center_rules, register_test_kiosks, ticket_request
from tests.server.feedback_bodies import count, rating, ratings, rows
from tests.server.serving import uvicorn_thread


def send(client: TestClient, *records: dict[str, Any]) -> list[dict[str, Any]]:
    response = client.post("/api/v1/ratings", json=ratings(*records))
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def issue(client: TestClient, service_id: str = "legal_aid") -> dict[str, Any]:
    response = client.post("/api/v1/tickets", json=ticket_request(service_id))
    assert response.status_code == 201, response.text
    ticket: dict[str, Any] = response.json()
    return ticket


def stored(db_url: str, rating_id: str) -> dict[str, Any]:
    columns = "ticket_id, ticket_label, ticket_day, service_id, window_id, repeat, month, level, score, reasons, created_at, kiosk_id"
    found = rows(db_url, f"SELECT {columns} FROM ratings WHERE id = :id", id=rating_id)
    assert len(found) == 1, f"rating {rating_id} stored {len(found)} times"
    return dict(zip(columns.split(", "), found[0], strict=True))


def test_a_batch_is_stored_once_and_a_retry_keeps_the_first_content(client: TestClient, db_url: str) -> None:
    batch = [rating("very_satisfied"), rating("dissatisfied", reasons=["attitude", "other"]), rating("basically_satisfied")]
    assert [r["status"] for r in send(client, *batch)] == ["stored"] * 3
    changed = {**batch[0], "level": "satisfied"}  # a retry after a lost answer, as it cannot differ; the first is kept anyway
    again = send(client, changed, batch[1], rating())
    assert [r["status"] for r in again] == ["duplicate", "duplicate", "stored"]
    assert count(db_url, "ratings") == 4
    first = stored(db_url, batch[0]["id"])
    assert (first["level"], first["score"], first["kiosk_id"]) == ("very_satisfied", 5, "kiosk-01")
    assert stored(db_url, batch[1]["id"])["reasons"] == "attitude,other"
    assert first["created_at"] == "2026-11-23T01:10:00.000000+00:00"


def test_the_same_record_twice_in_one_batch_is_stored_once(client: TestClient, db_url: str) -> None:
    record = rating()
    assert [r["status"] for r in send(client, record, record)] == ["stored", "duplicate"]
    assert count(db_url, "ratings") == 1


def test_a_rating_of_a_served_ticket_takes_its_service_and_window(client: TestClient, db_url: str) -> None:
    ticket = issue(client)
    assert client.post("/api/v1/windows/2/call-next").json()["ticket"]["label"] == "A001"
    client.post("/api/v1/windows/2/done")
    record = rating(ticket_id=ticket["id"], service_id="consultation")  # the kiosk's guess of the service loses to the ticket's
    assert send(client, record) == [{"id": record["id"], "status": "stored", "linked": True, "repeat": False}]
    row = stored(db_url, record["id"])
    assert (row["ticket_id"], row["ticket_label"], row["ticket_day"]) == (ticket["id"], "A001", "2026-11-23")
    assert (row["service_id"], row["window_id"], row["repeat"]) == ("legal_aid", "2", 0)


def test_a_label_typed_by_the_citizen_finds_the_ticket_of_its_day(client: TestClient, db_url: str) -> None:
    issue(client)
    issue(client)
    by_label = rating(ticket_label="A001", ticket_day="2026-11-23")
    same_day = rating(ticket_label="A002")  # no day: the day the citizen rated, in the center
    other_day = rating(ticket_label="A001", ticket_day="2026-11-20", service_id="mediation")
    unknown = rating(ticket_label="A099", ticket_day="2026-11-23")
    results = send(client, by_label, same_day, other_day, unknown)
    assert [(r["linked"], r["repeat"]) for r in results] == [(True, False), (True, False), (False, False), (False, False)]
    assert stored(db_url, same_day["id"])["ticket_label"] == "A002"
    kept = stored(db_url, other_day["id"])
    assert (kept["ticket_id"], kept["ticket_label"], kept["ticket_day"], kept["service_id"]) == (None, "A001", "2026-11-20", "mediation")
    assert stored(db_url, unknown["id"])["ticket_label"] == "A099"


def test_a_ticket_rated_again_is_stored_as_a_repeat_and_keeps_its_label(client: TestClient, db_url: str) -> None:
    ticket = issue(client)
    first = rating("satisfied", ticket_id=ticket["id"])
    assert send(client, first)[0]["repeat"] is False
    again = rating("very_dissatisfied", ticket_label="A001", ticket_day="2026-11-23")  # the same visitor, typing the number
    assert send(client, again) == [{"id": again["id"], "status": "stored", "linked": True, "repeat": True}]
    row = stored(db_url, again["id"])
    assert (row["ticket_id"], row["ticket_label"], row["ticket_day"], row["repeat"]) == (None, "A001", "2026-11-23", 1)
    assert rows(db_url, "SELECT record_id FROM follow_ups") == [], "a repeat is counted nowhere, not even for a follow-up"
    assert send(client, again)[0] == {"id": again["id"], "status": "duplicate", "linked": True, "repeat": True}


def test_two_ratings_of_one_ticket_in_one_batch_the_second_is_the_repeat(client: TestClient, db_url: str) -> None:
    ticket = issue(client)
    results = send(client, rating(ticket_id=ticket["id"]), rating(ticket_id=ticket["id"]))
    assert [r["repeat"] for r in results] == [False, True]
    assert rows(db_url, "SELECT count(*) FROM ratings WHERE ticket_id = :id", id=ticket["id"]) == [(1,)]


def test_the_month_is_the_centers(client: TestClient, db_url: str, clock: Clock) -> None:
    clock.advance(days=10)
    first_of_december = rating(created_at="2026-11-30T16:30:00+00:00")  # still November in UTC, 00:30 on 1 December in Shanghai
    send(client, first_of_december)
    assert stored(db_url, first_of_december["id"])["month"] == "2026-12"


def test_a_bad_rating_gets_a_follow_up_due_in_working_days(client: TestClient, db_url: str, clock: Clock) -> None:
    clock.advance(days=4, minutes=8 * 60)  # the server's Friday 27 November, 17:30
    friday = rating("dissatisfied", created_at="2026-11-27T16:00:00+08:00", phone="13812345678")
    good = rating("very_satisfied", created_at="2026-11-27T16:00:00+08:00")
    send(client, friday, good)
    follow = rows(db_url, "SELECT record_kind, record_id, state, due_day, updated_by FROM follow_ups")
    assert follow == [("rating", friday["id"], "pending", "2026-12-04", None)]  # five working days: Monday to Friday


def test_a_rating_made_a_little_ahead_of_the_servers_clock_is_taken(client: TestClient) -> None:
    ahead = rating(created_at="2026-11-23T09:39:00+08:00")  # the server's clock says 09:30; kiosks' clocks drift
    assert send(client, ahead)[0]["status"] == "stored"


def many(size: int) -> dict[str, Any]:
    return ratings(*[rating() for _ in range(size)])


BAD_RATINGS: list[tuple[dict[str, Any], str]] = [
    (rating(level="meh"), "ratings.1.level: expected 'very_satisfied', 'satisfied'"),
    (rating("satisfied", reasons=["attitude"]), "ratings.1.reasons: expected none for the level satisfied, got 1"),
    (rating("dissatisfied", reasons=["attitude", "attitude"]), "ratings.1.reasons: expected no repeats, got 'attitude' twice"),
    (rating("dissatisfied", reasons=["rude"]), "ratings.1.reasons.0: expected 'attitude', 'efficiency'"),
    (
        rating("dissatisfied", reasons=["attitude", "efficiency", "expertise", "environment", "other", "other"]),
        "ratings.1.reasons: expected",
    ),
    (rating("satisfied", phone="13812345678"), "ratings.1.phone: expected null for the level satisfied, got a number"),
    (rating("dissatisfied", phone="138-1234"), "ratings.1.phone: expected text matching"),
    (rating(ticket_day="2026-11-23"), "ratings.1.ticket_day: expected it only with a ticket_label, got a day without a label"),
    (rating(ticket_label="a1"), "ratings.1.ticket_label: expected text matching"),
    (rating(ticket_id="A001"), 'ratings.1.ticket_id: expected a UUID as text, got "A001"'),
    (rating(created_at="2026-11-23T09:10:00"), "ratings.1.created_at: expected valid input (Input should have timezone info)"),
    (rating(created_at="1999-12-31T23:00:00+08:00"), "ratings.1.created_at: expected a time in the years 2000 to 2999"),
    (rating(created_at="2026-11-23T09:41:00+08:00"), "ratings.1.created_at: expected a time at most 10 minutes after the server's clock"),
    ({**rating(), "comment": "nice"}, "ratings.1.comment: expected no such key, got one"),
    ({**rating(), "id": 7}, "ratings.1.id: expected a UUID as text, got 7"),
]


# Refused by the batch's schema before the database is touched: SQLite alone proves it (storing
# on PostgreSQL is proved by the other tests here).
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(("bad", "message"), BAD_RATINGS)
def test_a_malformed_record_refuses_the_whole_batch_and_names_it(
    client: TestClient, db_url: str, bad: dict[str, Any], message: str
) -> None:
    response = client.post("/api/v1/ratings", json=ratings(rating(), bad, rating("dissatisfied")))
    assert response.status_code == 422
    assert response.json()["error"] == "invalid"
    assert response.json()["message"].startswith(message), response.json()["message"]
    assert (count(db_url, "ratings"), count(db_url, "follow_ups")) == (0, 0)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # refused by the schema, as above
@pytest.mark.parametrize(
    ("body", "message"),
    [(many(0), "ratings: expected"), (many(501), "ratings: expected"), ({"kiosk_id": "kiosk-01"}, "ratings: expected a value")],
)
def test_a_batch_has_1_to_500_ratings(client: TestClient, body: dict[str, Any], message: str) -> None:
    response = client.post("/api/v1/ratings", json=body)
    assert (response.status_code, response.json()["message"][: len(message)]) == (422, message)


def test_500_ratings_in_one_batch_are_taken(client: TestClient, db_url: str) -> None:
    assert len(send(client, *many(500)["ratings"])) == 500
    assert count(db_url, "ratings") == 500


def test_kiosks_sending_the_same_records_at_once_store_each_once(db_url: str, clock: Clock) -> None:
    """Four kiosk connections deliver overlapping batches at the same moment (on PostgreSQL truly at
    once): every answer is 200, every record is stored once, each ticket has one counted rating."""
    app = create_app(Settings(db_url=db_url), center_rules(), clock)
    register_test_kiosks(app.state.database)
    with TestClient(app, headers=auth()) as client:
        tickets = [issue(client)["id"] for _ in range(5)]
    records = [rating(ticket_id=tickets[n % 5]) for n in range(40)]
    answers: list[requests.Response] = []
    start = threading.Barrier(4)

    def deliver(index: int) -> None:
        batch = records[index * 5 :] + records[: index * 5]  # the same records, each kiosk in its own order
        start.wait(timeout=30)
        answers.append(requests.post(f"{base_url}/api/v1/ratings", json=ratings(*batch), headers=auth(), timeout=30))

    with uvicorn_thread(app) as base_url:
        threads = [threading.Thread(target=deliver, args=(index,)) for index in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert [answer.status_code for answer in answers] == [200] * 4, [answer.text for answer in answers]
    statuses = [r["status"] for answer in answers for r in answer.json()["results"]]
    assert (statuses.count("stored"), statuses.count("duplicate")) == (40, 120)
    assert count(db_url, "ratings") == 40
    assert rows(db_url, "SELECT count(*) FROM ratings WHERE repeat = 0") == [(5,)]
