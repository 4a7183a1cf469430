"""Fixtures of the server's API tests: a fresh database per test, the test center's rules and a
clock the test controls, served by FastAPI's TestClient. The test kiosks are registered, and a
client sends kiosk-01's token unless a request gives its own Authorization header.

``db_url`` (from tests/conftest.py) is parametrized: every test that takes it runs on a SQLite
file and on a PostgreSQL database of a server the session starts itself."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kiosk.appointments import Appointments
from kiosk.queue_rules import QueueRules
from server.main import create_app
from server.settings import Settings
from tests.server.center import Clock, auth, center_rules, register_test_kiosks

Client = Callable[..., TestClient]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_client(db_url: str, clock: Clock) -> Iterator[Client]:
    """``make_client(rules=..., appointments=...)``: a client of a server on this test's database."""
    opened: list[TestClient] = []

    def make(
        rules: QueueRules | None = None, appointments: Appointments | None = None, settings: Settings | None = None, **_: Any
    ) -> TestClient:
        app = create_app(settings or Settings(db_url=db_url), rules or center_rules(), clock, appointments)
        register_test_kiosks(app.state.database)
        client = TestClient(app, headers=auth())
        client.__enter__()
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Client) -> TestClient:
    return make_client()
