"""Fixtures of the web pages' tests: the test center's server with service names, its kiosks
registered, served by FastAPI's TestClient on this test's database (SQLite and PostgreSQL, see
tests/conftest.py), and a manager's account."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kiosk.content import Text
from server.accounts import create_user
from server.db import Database
from server.main import create_app
from server.settings import Settings
from tests.server.center import Clock, center_rules, register_test_kiosks

NAMES = {
    "legal_aid": Text("法律援助申请", "Legal aid application"),
    "consultation": Text("法律咨询", "Legal consultation"),
    "mediation": Text("人民调解", "People's mediation"),
}
SAME_SITE = {"Origin": "http://testserver"}  # what a browser sends with a form of this site (TestClient's host)
MANAGER, PASSWORD = "zhang.wei", "correct horse battery"


@dataclass
class Web:
    client: TestClient
    app: FastAPI
    clock: Clock

    @property
    def database(self) -> Database:
        database: Database = self.app.state.database
        return database


def make_app(db_url: str, clock: Clock, **settings: Any) -> FastAPI:
    app = create_app(Settings(db_url=db_url, **settings), center_rules(), clock, service_names=NAMES)
    register_test_kiosks(app.state.database)
    create_user(app.state.database, MANAGER, PASSWORD, clock)
    return app


@pytest.fixture
def web(db_url: str, clock: Clock) -> Iterator[Web]:
    app = make_app(db_url, clock)
    with TestClient(app, follow_redirects=False) as client:
        yield Web(client, app, clock)


def log_in(client: TestClient, name: str = MANAGER, password: str = PASSWORD) -> Any:
    return client.post("/login", data={"name": name, "password": password}, headers=SAME_SITE)


@pytest.fixture
def manager(web: Web) -> Web:
    """``web`` with the manager logged in."""
    response = log_in(web.client)
    assert response.status_code == 303, response.text
    return web


def form_token(client: TestClient) -> str:
    """The form token the dashboard's pages carry for this session (as a browser reads it from the page)."""
    page = client.get("/dashboard/fleet")
    assert page.status_code == 200, page.text
    found = re.search(r'name="form_token" value="([0-9a-f]+)"', page.text)
    assert found is not None
    return found.group(1)
