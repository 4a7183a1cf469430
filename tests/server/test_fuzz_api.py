"""Schema-driven fuzzing: schemathesis reads the server's /openapi.json and sends every documented
operation generated requests, valid and invalid, over real HTTP to a uvicorn on 127.0.0.1, with a
kiosk's token. Whatever comes, the server never answers 5xx. Bodies that name a kiosk name the
token's kiosk, and records are dated before the server's clock, so requests reach the stores.
Derandomized: each run sends the same requests, so a failure shows again on the next run."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.result import Err

from server.main import create_app
from server.settings import Settings
from tests.server.center import Clock, auth, center_rules, register_test_kiosks
from tests.server.feedback_bodies import count, rows
from tests.server.serving import uvicorn_thread

EXAMPLES = 25
RECORDS = ("ratings", "complaints", "tickets")
KIOSK_ROUTES = {"/api/v1/tickets", "/api/v1/tickets/offline", "/api/v1/ratings", "/api/v1/complaints", "/api/v1/heartbeat"}


@pytest.fixture
def db_url(tmp_path: Any) -> str:
    return f"sqlite:///{tmp_path / 'server.sqlite3'}"


@pytest.fixture
def fuzzed_server(db_url: str) -> Iterator[str]:
    plenty = dataclasses.replace(Settings(db_url=db_url), rate_per_second=1e6, rate_burst=1_000_000)
    app = create_app(plenty, center_rules(always_open=True), Clock())
    register_test_kiosks(app.state.database)
    with uvicorn_thread(app) as base_url:
        yield base_url


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_request_makes_the_server_fail(fuzzed_server: str, db_url: str, mode: GenerationMode) -> None:
    schema = schemathesis.openapi.from_url(f"{fuzzed_server}/openapi.json")
    operations = []
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            raise result.err()  # the document itself is wrong
        operations.append(result.ok())
    assert {operation.path for operation in operations} >= KIOSK_ROUTES
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True)
        def call(case: Any) -> None:
            as_kiosk_01(case.body)
            response = case.call(base_url=fuzzed_server, headers=auth(), timeout=30)
            assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}"

        try:
            call()
        except Unsatisfiable:
            assert mode == GenerationMode.NEGATIVE, f"{operation.method} {operation.path}: no request could be made"
            # An operation with no inputs (GET /api/v1/health) has no invalid request to make.
    if mode == GenerationMode.POSITIVE:  # the valid requests went all the way to the database
        stored = {table: count(db_url, table) for table in ("tickets", "ratings", "complaints", "follow_ups")}
        assert all(stored.values()), stored
        assert rows(db_url, "SELECT count(*) FROM kiosks WHERE heartbeat_at IS NOT NULL") == [(1,)]


def as_kiosk_01(body: Any) -> None:
    """Point a generated body at the token's kiosk and one of the center's services, and date its
    records in the past."""
    if not isinstance(body, dict):
        return
    if "kiosk_id" in body:
        body["kiosk_id"] = "kiosk-01"
    if isinstance(body.get("service_id"), str):
        body["service_id"] = "legal_aid"  # a service of the center, so that tickets are issued
    for key in RECORDS:
        records = body.get(key)
        if isinstance(records, list):
            for record in records:
                if isinstance(record, dict) and "created_at" in record:
                    record["created_at"] = "2026-11-23T09:00:00+08:00"
