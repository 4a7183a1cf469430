"""What a kiosk may send: bodies up to Settings.body_limit (413 ``too_large`` before anything is
read), requests within its rate (429 ``rate_limited`` with Retry-After); neither refusal stores
anything, and one kiosk's flood leaves the others alone."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from fastapi.testclient import TestClient

from server.main import create_app
from server.ratelimit import RateLimiter, retry_after
from server.settings import Settings
from tests.server.center import Clock, auth, center_rules, register_test_kiosks, ticket_request
from tests.server.conftest import Client
from tests.server.feedback_bodies import count, heartbeat, rating, ratings
from tests.server.serving import uvicorn_thread

LIMIT = 4096


def big_batch() -> dict[str, Any]:
    batch = ratings(*[rating() for _ in range(40)])
    assert len(json.dumps(batch)) > LIMIT
    return batch


def chunks(body: dict[str, Any]) -> Iterator[bytes]:
    """The body in pieces, sent without a Content-Length (chunked), as a client streaming it would."""
    data = json.dumps(body).encode()
    for start in range(0, len(data), 1000):
        yield data[start : start + 1000]


@pytest.fixture
def small(make_client: Client, db_url: str) -> TestClient:
    return make_client(settings=Settings(db_url=db_url, body_limit=LIMIT))


def test_a_body_over_the_limit_is_413_and_nothing_is_stored(small: TestClient, db_url: str) -> None:
    response = small.post("/api/v1/ratings", json=big_batch())
    assert (response.status_code, response.json()["error"]) == (413, "too_large")
    assert response.json()["message"].startswith(f"body: expected at most {LIMIT} bytes, got ")
    assert count(db_url, "ratings") == 0
    assert small.post("/api/v1/ratings", json=ratings(*[rating() for _ in range(5)])).status_code == 200  # under the limit


def test_a_streamed_body_is_counted_as_it_comes(small: TestClient, db_url: str) -> None:
    for path in ("/api/v1/ratings", "/api/v1/tickets"):
        body = big_batch() if path.endswith("ratings") else ticket_request(note="x" * LIMIT)
        response = small.post(path, content=chunks(body), headers={"content-type": "application/json"})
        assert (response.status_code, response.json()["error"]) == (413, "too_large"), path
        assert response.json()["message"] == f"body: expected at most {LIMIT} bytes, got more"
    assert (count(db_url, "ratings"), count(db_url, "tickets")) == (0, 0)


def test_the_limit_holds_over_real_http_for_routes_fastapi_reads_too(tmp_path: Any) -> None:
    settings = Settings(db_url=f"sqlite:///{tmp_path / 's.sqlite3'}", body_limit=LIMIT)
    app = create_app(settings, center_rules(), Clock())
    register_test_kiosks(app.state.database)
    with uvicorn_thread(app) as base_url:
        streamed = requests.post(f"{base_url}/api/v1/ratings", data=chunks(big_batch()), headers=auth(), timeout=10)
        declared = requests.post(f"{base_url}/api/v1/ratings", json=big_batch(), headers=auth(), timeout=10)
        transfer = requests.post(f"{base_url}/api/v1/windows/1/transfer", data=chunks({"service_id": "x" * LIMIT}), timeout=10)
        assert [r.status_code for r in (streamed, declared, transfer)] == [413, 413, 413]
        assert transfer.json()["error"] == "too_large"
        assert requests.get(f"{base_url}/api/v1/health", timeout=10).status_code == 200  # and the server goes on


def test_over_its_rate_a_kiosk_waits_and_others_go_on(make_client: Client, db_url: str) -> None:
    client = make_client(settings=dataclasses.replace(Settings(db_url=db_url), rate_per_second=0.5, rate_burst=3))
    assert [client.post("/api/v1/heartbeat", json=heartbeat()).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.post("/api/v1/ratings", json=ratings(rating()))
    assert (refused.status_code, refused.json()["error"]) == (429, "rate_limited")
    assert refused.headers["Retry-After"] == "2"
    assert refused.json()["message"] == "kiosk kiosk-01: expected at most 0.5 requests per second in bursts of 3, got more; retry in 2 s"
    assert count(db_url, "ratings") == 0
    other = client.post("/api/v1/heartbeat", json=heartbeat("kiosk-02"), headers=auth("kiosk-02"))
    assert other.status_code == 200


def test_the_bucket_refills_at_the_rate() -> None:
    now = [100.0]
    limiter = RateLimiter(rate=2.0, burst=4, clock=lambda: now[0])
    assert [limiter.take("k") for _ in range(4)] == [None] * 4
    assert limiter.take("k") == pytest.approx(0.5)
    now[0] += 0.5
    assert limiter.take("k") is None
    assert limiter.take("k") == pytest.approx(0.5)
    now[0] += 60  # a quiet minute fills the bucket up to its burst, no more
    assert [limiter.take("k") is None for _ in range(5)] == [True] * 4 + [False]
    assert limiter.take("other") is None
    assert (retry_after(0.01), retry_after(1.0), retry_after(1.2)) == ("1", "1", "2")


def test_many_addresses_do_not_grow_the_limiter_without_bound() -> None:
    now = [0.0]
    limiter = RateLimiter(rate=1.0, burst=2, clock=lambda: now[0], max_keys=100)
    limiter.take("busy")
    limiter.take("busy")
    for n in range(1000):
        now[0] += 0.001
        limiter.take(f"10.0.{n // 256}.{n % 256}")
        assert len(limiter) <= 100
    assert [limiter.take("10.0.3.231") is None for _ in range(2)] == [True, False]  # the latest keep their bucket
    now[0] += 5  # quiet long enough to refill: forgotten, and a new bucket is a full one
    assert limiter.take("busy") is None
