"""Only kiosks with their token reach the kiosk routes: without it 401, about another kiosk 403,
and nothing is stored either way. Health, the OpenAPI document and the counter need no token."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from server.auth import KioskTokens, register_kiosk, token_hash
from server.db import Database
from server.main import create_app
from server.settings import Settings
from tests.server.center import Clock, auth, center_rules, kiosk_token, register_test_kiosks, ticket_request
from tests.server.feedback_bodies import complaint, complaints, count, heartbeat, rating, ratings, rows
from tests.server.postgres import PostgresServer


def offline_report(kiosk_id: str = "kiosk-01") -> dict[str, Any]:
    ticket = {
        "id": str(uuid.uuid4()),
        "label": "A950",
        "prefix": "A",
        "number": 950,
        "day": "2026-11-23",
        "service_id": "legal_aid",
        "category": "normal",
        "issued_at": "2026-11-23T09:10:00+08:00",
    }
    return {"kiosk_id": kiosk_id, "offline_block": 1, "tickets": [ticket], "abandoned": [str(uuid.uuid4())]}


# Each kiosk route that writes, with a body from kiosk-01.
WRITES: list[tuple[str, Any]] = [
    ("/api/v1/tickets", lambda: ticket_request()),
    ("/api/v1/tickets/offline", offline_report),
    ("/api/v1/ratings", lambda: ratings(rating("dissatisfied"))),
    ("/api/v1/complaints", lambda: complaints(complaint())),
    ("/api/v1/heartbeat", heartbeat),
]
READS = ["/api/v1/queues", f"/api/v1/tickets/{uuid.uuid4()}"]
NO_TOKEN = [
    {},
    {"Authorization": ""},
    {"Authorization": "Bearer"},
    {"Authorization": "Bearer " + "x" * 43},  # a token no kiosk has
    {"Authorization": "Basic a2lvc2stMDE6cGFzc3dvcmQ="},
    {"Authorization": f"Token {kiosk_token()}"},
    {"Authorization": f"Bearer {kiosk_token()} extra"},
]


def nothing_stored(db_url: str) -> None:
    tables = ("tickets", "ratings", "complaints", "follow_ups", "abandoned_requests", "offline_blocks")
    assert {table: count(db_url, table) for table in tables} == dict.fromkeys(tables, 0)
    assert rows(db_url, "SELECT count(*) FROM kiosks WHERE heartbeat_at IS NOT NULL") == [(0,)]


@pytest.fixture
def bare(client: TestClient) -> TestClient:
    """The test server's client without kiosk-01's token."""
    del client.headers["Authorization"]
    return client


# Refused before any record is read or written; the one lookup (a token no kiosk has) is the same
# query that finds the token in every PostgreSQL test of the API: SQLite alone proves it.
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("headers", NO_TOKEN, ids=range(len(NO_TOKEN)))
def test_without_a_kiosks_token_nothing_is_stored(bare: TestClient, db_url: str, headers: dict[str, str]) -> None:
    for path, body in WRITES:
        response = bare.post(path, json=body(), headers=headers)
        assert response.status_code == 401, (path, response.text)
        assert response.headers["WWW-Authenticate"] == "Bearer"
        assert response.json()["error"] == "unauthorized"
        assert response.json()["message"].startswith("Authorization: expected 'Bearer' and the kiosk's token")
    for path in READS:
        assert bare.get(path, headers=headers).status_code == 401, path
    nothing_stored(db_url)


def test_a_body_about_another_kiosk_is_refused_and_nothing_stored(bare: TestClient, db_url: str) -> None:
    for path, body in WRITES:
        response = bare.post(path, json=body(), headers=auth("kiosk-02"))  # kiosk-02's token, kiosk-01's body
        assert (response.status_code, response.json()["error"]) == (403, "wrong_kiosk"), (path, response.text)
        assert response.json()["message"] == "kiosk_id: expected kiosk-02 (the kiosk of this token), got 'kiosk-01'"
    nothing_stored(db_url)


def test_the_token_is_checked_before_the_body_is_read(bare: TestClient) -> None:
    response = bare.post("/api/v1/ratings", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 401


def test_each_kiosk_reads_with_its_own_token(bare: TestClient) -> None:
    assert bare.get("/api/v1/queues", headers=auth("kiosk-07")).status_code == 200
    assert bare.post("/api/v1/tickets", json=ticket_request(kiosk_id="kiosk-07"), headers=auth("kiosk-07")).status_code == 201


def test_a_replaced_token_opens_nothing_once_its_cache_time_is_over(db_url: str) -> None:
    database = Database(db_url)
    now = [0.0]
    tokens = KioskTokens(database, cache_s=30, monotonic=lambda: now[0])
    try:
        register_kiosk(database, "kiosk-05", "first-token-of-kiosk-05")
        assert tokens.cached("first-token-of-kiosk-05") is None
        assert tokens.lookup("first-token-of-kiosk-05") == "kiosk-05"
        register_kiosk(database, "kiosk-05", "second-token-of-kiosk-05")  # kiosk-server add-kiosk kiosk-05 again
        assert tokens.lookup("first-token-of-kiosk-05") is None
        now[0] = 29.0
        assert tokens.cached("first-token-of-kiosk-05") == "kiosk-05"  # the running server's memory, for half a minute
        now[0] = 31.0
        assert tokens.cached("first-token-of-kiosk-05") is None
        assert tokens.lookup("second-token-of-kiosk-05") == "kiosk-05"
        stored = rows(db_url, "SELECT token_hash FROM kiosks WHERE id = 'kiosk-05'")
        assert stored == [(token_hash("second-token-of-kiosk-05"),)]
    finally:
        database.close()


def test_one_token_cannot_belong_to_two_kiosks(db_url: str) -> None:
    database = Database(db_url)
    try:
        register_kiosk(database, "kiosk-05", "shared-token-0123456789")
        with pytest.raises(ValueError, match="^token: expected a token no other kiosk has, got the token of kiosk-05$"):
            register_kiosk(database, "kiosk-06", "shared-token-0123456789")
    finally:
        database.close()


def test_health_needs_no_token(bare: TestClient) -> None:
    response = bare.get("/api/v1/health")
    assert (response.status_code, response.json()) == (200, {"status": "ok", "database": "ok"})


def test_health_is_503_when_the_database_does_not_answer(postgres: PostgresServer, postgres_url: str) -> None:
    app = create_app(Settings(db_url=postgres_url), center_rules(), Clock())
    register_test_kiosks(app.state.database)
    with TestClient(app, headers=auth()) as client:
        assert client.get("/api/v1/health").status_code == 200
        assert client.post("/api/v1/tickets", json=ticket_request()).status_code == 201  # the ticket writer has its connection
        admin = create_engine(postgres.url("postgres"), isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:  # the database is gone (as if its server stopped)
                connection.execute(text(f'DROP DATABASE "{postgres_url.rsplit("/", 1)[1]}" WITH (FORCE)'))
        finally:
            admin.dispose()
        response = client.get("/api/v1/health")
        assert (response.status_code, response.json()) == (503, {"status": "unavailable", "database": "unreachable"})


def test_the_counter_needs_no_token(bare: TestClient) -> None:
    assert bare.get("/api/v1/windows").status_code == 200
    assert bare.post("/api/v1/windows/2/call-next").json()["error"] == "nobody_waiting"


def test_the_openapi_document_names_every_kiosk_route_with_its_body_and_token(bare: TestClient) -> None:
    response = bare.get("/openapi.json")
    assert response.status_code == 200
    document = response.json()
    schemas = document["components"]["schemas"]
    for path, _body in WRITES:
        operation = document["paths"][path]["post"]
        assert operation["security"] == [{"kioskToken": []}], path
        reference = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert reference.removeprefix("#/components/schemas/") in schemas, path
    for path in ("/api/v1/queues", "/api/v1/tickets/{ticket_id}"):
        assert document["paths"][path]["get"]["security"] == [{"kioskToken": []}]
    assert "security" not in document["paths"]["/api/v1/health"]["get"]
    assert set(schemas["RatingIn"]["properties"]["level"]["enum"]) == {
        "very_satisfied",
        "satisfied",
        "basically_satisfied",
        "dissatisfied",
        "very_dissatisfied",
    }
    assert document["components"]["securitySchemes"]["kioskToken"]["scheme"] == "bearer"


def test_kiosks_registered_later_are_let_in_at_once(tmp_path: Any) -> None:
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 's.sqlite3'}"), center_rules(), Clock())
    with TestClient(app) as client:
        assert client.get("/api/v1/queues", headers=auth("kiosk-03")).status_code == 401
        register_test_kiosks(app.state.database)  # kiosk-server add-kiosk in another process
        assert client.get("/api/v1/queues", headers=auth("kiosk-03")).status_code == 200
