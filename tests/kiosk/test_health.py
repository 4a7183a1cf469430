"""The kiosk's health (kiosk/health.py) from real parts: its outbox in its SQLite database, its
content store, the real free space of its data folder's disk; and the heartbeat the sync worker
sends of it to a server on 127.0.0.1 (tests/kiosk/feedback_server.py), the content's pull after an
answered heartbeat, and a 429's hold that a wall clock set back does not stretch."""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.content_store import ContentStore
from kiosk.health import MEGABYTE, Health, content_in_use, disk_text, uptime_parts
from kiosk.outbox import RATING, Outbox
from kiosk.server_session import ServerAccess
from kiosk.sync_client import SyncClient
from kiosk.sync_worker import SyncWorker
from printers.status import PrinterState, PrinterStatus
from tests.kiosk.feedback_helpers import Clock
from tests.kiosk.feedback_server import KIOSK_ID, TOKEN, FeedbackServer, feedback_server

INTERVAL = 3600.0


class Monotonic:
    """A monotonic clock that moves only when told."""

    def __init__(self) -> None:
        self.seconds = 5000.0

    def __call__(self) -> float:
        return self.seconds


@pytest.fixture
def server() -> Iterator[FeedbackServer]:
    with feedback_server() as running:
        yield running


def add_ratings(outbox: Outbox, count: int) -> None:
    for _ in range(count):
        record_id = str(uuid.uuid4())
        outbox.add(RATING, record_id, {"id": record_id, "created_at": "2026-11-21T10:15:00+08:00", "level": "satisfied"})


def health_of(outbox: Outbox, data_dir: Path, store: ContentStore, monotonic: Monotonic, min_free_disk_mb: int = 10) -> Health:
    printer = PrinterStatus(PrinterState.PAPER_OUT, "no paper")
    return Health(outbox, data_dir, min_free_disk_mb, lambda: printer, lambda: content_in_use(store), "9.8.7", monotonic)


def test_the_facts_and_the_heartbeat_they_make(tmp_path: Path, outbox: Outbox, clock: Clock, content_dir: Path) -> None:
    store = ContentStore(content_dir, tmp_path / "data", clock)
    monotonic = Monotonic()
    health = health_of(outbox, tmp_path / "data", store, monotonic)
    add_ratings(outbox, 3)
    outbox.note_sync()  # the server answered at 10:15 (02:15 UTC)
    outbox.claim(RATING, 1)  # one being sent
    outbox.set_error("cannot reach the server")
    monotonic.seconds += 2 * 86400 + 3 * 3600 + 125.9
    facts = health.facts()
    assert (facts.printer_state, facts.outbox_depth, facts.app_version) == ("paper_out", 3, "9.8.7")
    assert facts.last_problem == "cannot reach the server"
    assert facts.uptime_s == 2 * 86400 + 3 * 3600 + 125 and uptime_parts(facts.uptime_s) == (2, 3, 2)
    assert facts.content is not None and facts.content.digest == store.content.version
    assert facts.content.label.startswith(f"content_dir ({store.content.version}), applied ")
    real_free = shutil.disk_usage(tmp_path).free
    assert facts.free_disk_bytes is not None and abs(facts.free_disk_bytes - real_free) < 64 * MEGABYTE
    fields = facts.heartbeat_fields()
    assert fields.pop("free_disk_bytes") == facts.free_disk_bytes
    assert fields == {
        "app_version": "9.8.7",
        "printer_state": "paper_out",
        "outbox_depth": 3,
        "last_sync": "2026-11-21T02:15:00+00:00",
        "content_version": store.content.version,
        "uptime_s": 2 * 86400 + 3 * 3600 + 125,
        "disk_low": False,
    }
    assert (disk_text(850 * MEGABYTE), disk_text(12_900 * MEGABYTE)) == ("850MB", "12.6GB")


def test_the_disk_is_low_below_the_kiosks_minimum(tmp_path: Path, outbox: Outbox, clock: Clock, content_dir: Path) -> None:
    store = ContentStore(content_dir, tmp_path / "data", clock)
    free_mb = shutil.disk_usage(tmp_path).free // MEGABYTE
    assert not health_of(outbox, tmp_path / "data", store, Monotonic(), 10).facts().disk_low
    low = health_of(outbox, tmp_path / "data", store, Monotonic(), free_mb + 100).facts()
    assert low.disk_low and low.heartbeat_fields()["disk_low"] is True
    gone = health_of(outbox, tmp_path / "no-such-folder", store, Monotonic()).facts()
    assert (gone.free_disk_bytes, gone.disk_low) == (None, False)
    assert gone.disk_problem.startswith(f"{tmp_path / 'no-such-folder'}: ")
    assert "free_disk_bytes" not in gone.heartbeat_fields()


def test_the_worker_sends_the_facts_then_pulls_content(
    tmp_path: Path, outbox: Outbox, clock: Clock, content_dir: Path, server: FeedbackServer
) -> None:
    store = ContentStore(content_dir, tmp_path / "data", clock)
    pulls: list[str] = []

    def pull() -> str:
        pulls.append("pulled")
        return "server version 3 refused: staff.ini:4: [staff.zhang] photo: expected a file"

    client = SyncClient(server.url, KIOSK_ID, ServerAccess(TOKEN))
    worker = SyncWorker(outbox, client, INTERVAL, health=health_of(outbox, tmp_path / "data", store, Monotonic()), content=pull)
    server.answer_next(500)  # the heartbeat fails: no pull
    assert worker.sync_once().problem.endswith("HTTP 500 server_error: forced 500")
    assert pulls == [] and server.heartbeats == []
    tally = worker.sync_once()
    assert pulls == ["pulled"]
    assert tally.problem == "server version 3 refused: staff.ini:4: [staff.zhang] photo: expected a file"
    assert outbox.counts().last_error == tally.problem  # the admin screen's last problem
    [beat] = server.heartbeats
    assert beat["content_version"] == store.content.version and beat["printer_state"] == "paper_out"
    assert beat["uptime_s"] == 0 and beat["disk_low"] is False and beat["free_disk_bytes"] > 0
    assert beat["sent_at"] == "2026-11-21T02:15:00+00:00"


def test_a_429_never_holds_longer_than_asked_when_the_wall_clock_goes_back(outbox: Outbox, clock: Clock, server: FeedbackServer) -> None:
    add_ratings(outbox, 1)
    monotonic = Monotonic()
    worker = SyncWorker(outbox, SyncClient(server.url, KIOSK_ID, ServerAccess(TOKEN)), INTERVAL, monotonic=monotonic)
    server.answer_next(429, headers={"Retry-After": "30"})
    assert worker.sync_once().problem.endswith("HTTP 429 rate_limited: forced 429")
    clock.now -= dt.timedelta(hours=1)  # the kiosk's clock is set back an hour
    clock.advance(20)
    monotonic.seconds += 20
    assert worker.sync_once().problem.startswith("the server asked to wait until ")
    clock.advance(10)
    monotonic.seconds += 10
    # 30 s passed by the monotonic clock: the hold is over (due_only=False: the record's own backoff
    # is the outbox's, by the wall clock)
    assert worker.sync_once(due_only=False).sent == 1
    assert len(server.posts("/api/v1/ratings")) == 2
