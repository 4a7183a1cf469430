"""Whatever a client sends, the answer is JSON with one line a person can act on: 422 for a
malformed body, never a 500 and never a traceback; an unexpected failure is a calm 500."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from server.main import create_app
from server.settings import Settings
from tests.server.center import Clock, auth, center_rules, register_test_kiosks, ticket_request

GOOD = ticket_request()
BAD_TICKETS: list[tuple[Any, str]] = [
    ({**GOOD, "id": "not-a-uuid"}, 'id: expected a UUID as text, got "not-a-uuid"'),
    ({**GOOD, "id": 12345}, "id: expected a UUID as text, got 12345"),
    ({**GOOD, "kiosk_id": ""}, "kiosk_id: expected text matching"),
    ({**GOOD, "kiosk_id": "k" * 65}, "kiosk_id: expected text matching"),
    ({**GOOD, "service_id": 7}, "service_id: expected a valid string, got 7"),
    ({**GOOD, "service_id": "法律援助"}, "service_id: expected text matching"),
    ({**GOOD, "category": "vip"}, "category: expected 'normal', 'priority' or 'appointment', got \"vip\""),
    ({**GOOD, "category": "priority"}, "priority_kind: expected one of elderly"),
    ({**GOOD, "priority_kind": "elderly"}, "priority_kind: expected null for a normal ticket"),
    ({**GOOD, "category": "priority", "priority_kind": "rich"}, "priority_kind: expected 'elderly'"),
    ({**GOOD, "category": "appointment", "service_id": None}, "appointment_code: expected the appointment's code, got null"),
    ({**GOOD, "category": "appointment", "appointment_code": "12ab"}, "appointment_code: expected text matching"),
    ({**GOOD, "service_id": None}, "service_id: expected a service id, got null"),
    ({**GOOD, "offline_block": "1"}, 'offline_block: expected a valid integer, got "1"'),
    ({**GOOD, "offline_block": 0}, "offline_block: expected greater than or equal to 1, got 0"),
    ({**GOOD, "offline_block": 1.5}, "offline_block: expected a valid integer"),
    ({**GOOD, "colour": "red"}, "colour: expected no such key, got one"),
    ({k: v for k, v in GOOD.items() if k != "kiosk_id"}, "kiosk_id: expected a value, got nothing (the key is missing)"),
    ([GOOD], "body: expected an object, got [{"),
    ("A001", 'body: expected an object, got "A001"'),
    (None, "body: expected a JSON object, got nothing"),
]


@pytest.fixture
def client(tmp_path: Any) -> Any:
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 's.sqlite3'}"), center_rules(), Clock())
    register_test_kiosks(app.state.database)
    with TestClient(app, headers=auth()) as client:  # raises any server error in the test
        yield client


@pytest.mark.parametrize(("body", "message"), BAD_TICKETS)
def test_a_malformed_ticket_request_is_422_with_one_line(client: TestClient, body: Any, message: str) -> None:
    response = client.post("/api/v1/tickets", json=body)
    assert response.status_code == 422
    reply = response.json()
    assert reply["error"] == "invalid"
    assert reply["message"].startswith(message), reply["message"]
    assert "\n" not in reply["message"] and "Traceback" not in response.text


@pytest.mark.parametrize(
    "raw",
    [b"{", b"null", b"\xff\xfe", b'{"id": ' + b"9" * 5000 + b"}", b"[" * 10000],
)
def test_bytes_that_are_not_json_are_422(client: TestClient, raw: bytes) -> None:
    response = client.post("/api/v1/tickets", content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["error"] == "invalid"
    assert len(response.json()["message"]) < 300


def offline(**changes: Any) -> dict[str, Any]:
    ticket = {
        "id": str(uuid.uuid4()),
        "label": "A950",
        "prefix": "A",
        "number": 950,
        "day": "2026-11-23",
        "service_id": "legal_aid",
        "category": "normal",
        "priority_kind": None,
        "appointment_code": None,
        "issued_at": "2026-11-23T09:10:00+08:00",
    }
    ticket.update(changes)
    return {"kiosk_id": "kiosk-01", "offline_block": 1, "tickets": [ticket], "abandoned": []}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (offline(label="A951"), "tickets.0.label: expected the prefix and number (A, 950), got 'A951'"),
        (offline(day="23.11.2026"), "tickets.0.day: expected a valid date"),
        (offline(issued_at="2026-11-23T09:10:00"), "tickets.0.issued_at: expected valid input (Input should have timezone info)"),
        (offline(number=-1), "tickets.0.number: expected greater than or equal to 1, got -1"),
        ({**offline(), "abandoned": ["x"]}, 'abandoned.0: expected a UUID as text, got "x"'),
        ({**offline(), "tickets": {"a": 1}}, "tickets: expected a valid array"),
    ],
)
def test_a_malformed_offline_report_is_422(client: TestClient, body: Any, message: str) -> None:
    response = client.post("/api/v1/tickets/offline", json=body)
    assert response.status_code == 422
    assert response.json()["message"].startswith(message), response.json()["message"]


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("post", "/api/v1/windows/1/transfer", {"service_id": 3}, 422),
        ("post", "/api/v1/windows/1/transfer", None, 422),
        ("post", "/api/v1/windows/1/transfer", {"service_id": "legal_aid", "why": "x"}, 422),
        ("post", "/api/v1/windows/" + "9" * 40 + "/call-next", None, 422),
        ("get", "/api/v1/tickets/" + "x" * 100, None, 422),
        ("get", "/api/v1/tickets/%00", None, 404),
        ("put", "/api/v1/tickets", GOOD, 405),
        ("get", "/api/v2/tickets", None, 404),
    ],
)
def test_other_wrong_requests_answer_in_the_same_shape(client: TestClient, method: str, path: str, body: Any, status: int) -> None:
    response = client.request(method.upper(), path, json=body)
    assert response.status_code == status
    assert set(response.json()) == {"error", "message", "next_open"}


def test_an_unexpected_failure_is_a_calm_500_and_the_server_goes_on(db_url: str) -> None:
    app = create_app(Settings(db_url=db_url), center_rules(), Clock())
    register_test_kiosks(app.state.database)
    with TestClient(app, raise_server_exceptions=False, headers=auth()) as client:
        engine = create_engine(db_url)
        with engine.begin() as connection:  # someone broke the database by hand
            connection.execute(text("DROP TABLE ticket_events"))
        engine.dispose()
        response = client.post("/api/v1/tickets", json=ticket_request())
        assert response.status_code == 500
        assert response.json()["error"] == "server_error"
        assert "Traceback" not in response.text and "ticket_events" not in response.text
        assert client.get("/api/v1/queues").status_code == 200
