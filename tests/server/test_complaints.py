"""Complaints and suggestions from kiosks: stored exactly once under their receipt, each with a
follow-up due in working days; a malformed batch stores nothing."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.server.feedback_bodies import complaint, complaints, count, rows


def send(client: TestClient, *records: dict[str, Any]) -> list[dict[str, Any]]:
    response = client.post("/api/v1/complaints", json=complaints(*records))
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def test_complaints_and_suggestions_are_stored_once_each_with_a_follow_up(client: TestClient, db_url: str) -> None:
    first = complaint("20261123-kiosk-01-001", phone="13812345678", ticket_label="A007")
    idea = complaint("20261123-kiosk-01-002", kind="suggestion", category="environment", presets=["facilities", "more_windows"])
    assert send(client, first, idea) == [{"id": first["id"], "status": "stored"}, {"id": idea["id"], "status": "stored"}]
    assert send(client, {**first, "category": "fees"}, idea) == [
        {"id": first["id"], "status": "duplicate"},
        {"id": idea["id"], "status": "duplicate"},
    ]
    stored = rows(
        db_url, "SELECT receipt, kiosk_id, kind, category, presets, phone, service_id, ticket_label FROM complaints ORDER BY receipt"
    )
    assert stored == [
        ("20261123-kiosk-01-001", "kiosk-01", "complaint", "efficiency", "long_wait", "13812345678", "legal_aid", "A007"),
        ("20261123-kiosk-01-002", "kiosk-01", "suggestion", "environment", "facilities,more_windows", None, "legal_aid", None),
    ]
    follow = rows(db_url, "SELECT record_kind, record_id, state, due_day FROM follow_ups ORDER BY due_day, record_id")
    assert sorted(follow) == sorted(
        [("complaint", first["id"], "pending", "2026-11-30"), ("complaint", idea["id"], "pending", "2026-11-30")]
    )


def test_a_receipt_another_complaint_has_is_kept_apart_not_refused(client: TestClient, db_url: str) -> None:
    """A kiosk whose database was reset counts its day from 1 again: the complaint is still kept."""
    send(client, complaint("20261123-kiosk-01-001"))
    again = complaint("20261123-kiosk-01-001", category="attitude", presets=["rude"])
    assert send(client, again)[0]["status"] == "stored"
    receipt = rows(db_url, "SELECT receipt FROM complaints WHERE id = :id", id=again["id"])[0][0]
    assert receipt == "20261123-kiosk-01-001~" + again["id"].replace("-", "")[:12]
    assert count(db_url, "complaints") == 2


BAD_COMPLAINTS: list[tuple[dict[str, Any], str]] = [
    (complaint(kind="praise"), "complaints.0.kind: expected 'complaint' or 'suggestion', got \"praise\""),
    (complaint(category="food"), "complaints.0.category: expected 'attitude', 'efficiency'"),
    (complaint(presets=["long_wait", "long_wait"]), "complaints.0.presets: expected no repeats, got 'long_wait' twice"),
    (complaint(presets=["slow"]), "complaints.0.presets.0: expected 'rude', 'not_first_asked'"),
    (complaint(receipt="007"), "complaints.0.receipt: expected text matching"),
    (complaint(phone="phone me"), "complaints.0.phone: expected text matching"),
    (complaint(created_at="2026-11-23T10:00:00+08:00"), "complaints.0.created_at: expected a time at most 10 minutes after"),
    ({**complaint(), "text": "the details"}, "complaints.0.text: expected no such key, got one"),
]


# Refused by the batch's schema before the database is touched: SQLite alone proves it (storing
# on PostgreSQL is proved by the other tests here).
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(("bad", "message"), BAD_COMPLAINTS)
def test_a_malformed_complaint_refuses_the_batch(client: TestClient, db_url: str, bad: dict[str, Any], message: str) -> None:
    response = client.post("/api/v1/complaints", json=complaints(bad, complaint("20261123-kiosk-01-009")))
    assert (response.status_code, response.json()["error"]) == (422, "invalid")
    assert response.json()["message"].startswith(message), response.json()["message"]
    assert (count(db_url, "complaints"), count(db_url, "follow_ups")) == (0, 0)
