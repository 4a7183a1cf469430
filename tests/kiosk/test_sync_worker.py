"""The sync against a real HTTP server on 127.0.0.1 (tests/kiosk/feedback_server.py answers as the
contract says, and at the end the central server's own app): confirmed records become sent, one request per batch of 500, a wrong token or a
server error puts records back with a backoff, a 429 holds the kiosk for its Retry-After, a batch
refused as a whole is halved until the one bad record is kept as failed, and the heartbeat says
how the kiosk is. Time is the test's clock: nothing sleeps."""

from __future__ import annotations

import datetime as dt
import functools
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.content_loader import load_content
from kiosk.feedback import LEVELS
from kiosk.feedback_desk import FeedbackDesk
from kiosk.outbox import BACKOFF_CAP_SECONDS, COMPLAINT, FAILED, PENDING, RATING, SENT, Outbox
from kiosk.paths import SAMPLE_CONTENT_DIR
from kiosk.server_session import ServerAccess
from kiosk.services import make_services
from kiosk.sync_client import SyncClient, retry_after_seconds
from kiosk.sync_worker import SyncWorker
from kiosk.ticket_client import TicketClient
from printers.status import PrinterState, PrinterStatus
from server.auth import register_kiosk
from server.main import create_app
from server.settings import Settings
from tests.kiosk.feedback_helpers import Clock
from tests.kiosk.feedback_server import KIOSK_ID, TOKEN, FeedbackServer, feedback_server, make_certificates
from tests.server.serving import uvicorn_thread

INTERVAL = 3600.0  # the thread's rounds are started by wake() in these tests


@pytest.fixture
def server() -> Iterator[FeedbackServer]:
    with feedback_server() as running:
        yield running


def worker_for(outbox: Outbox, url: str, token: str = TOKEN, timeout: tuple[float, float] = (5.0, 5.0)) -> SyncWorker:
    client = SyncClient(url, KIOSK_ID, ServerAccess(token), timeout)
    return SyncWorker(outbox, client, INTERVAL, lambda: PrinterStatus(PrinterState.PAPER_NEAR_END, "the roll is low"), "9.8.7")


def rating(level: str = "satisfied") -> dict[str, object]:
    return {
        "id": str(uuid.uuid4()),
        "created_at": "2026-11-21T10:15:00+08:00",
        "level": level,
        "reasons": [],
        "phone": None,
        "ticket_label": "B007",
        "ticket_day": "2026-11-21",
        "ticket_id": None,
        "service_id": None,
    }


def complaint() -> dict[str, object]:
    record_id = str(uuid.uuid4())
    return {
        "id": record_id,
        "receipt": f"20261121-{KIOSK_ID}-{record_id[:3]}",
        "created_at": "2026-11-21T10:15:00+08:00",
        "kind": "complaint",
        "category": "efficiency",
        "presets": ["long_wait"],
        "phone": None,
        "service_id": None,
        "ticket_label": None,
    }


def add(outbox: Outbox, kind: str, payloads: list[dict[str, object]]) -> list[str]:
    for payload in payloads:
        outbox.add(kind, str(payload["id"]), payload)
    return [str(payload["id"]) for payload in payloads]


def states(outbox: Outbox, ids: list[str]) -> set[str]:
    return {record.state for record in (outbox.get(i) for i in ids) if record}


# ----- delivered


def test_a_round_sends_everything_in_batches_of_500_then_a_heartbeat(outbox: Outbox, server: FeedbackServer, clock: Clock) -> None:
    ratings = add(outbox, RATING, [rating() for _ in range(1200)])
    complaints = add(outbox, COMPLAINT, [complaint() for _ in range(3)])
    tally = worker_for(outbox, server.url).sync_once()
    assert (tally.sent, tally.failed, tally.problem) == (1203, 0, "")
    assert [len(seen.body["ratings"]) for seen in server.posts("/api/v1/ratings")] == [500, 500, 200]
    assert [len(seen.body["complaints"]) for seen in server.posts("/api/v1/complaints")] == [3]
    assert set(server.stored) == set(ratings) | set(complaints)
    assert states(outbox, ratings + complaints) == {SENT}
    counts = outbox.counts()
    assert (counts.pending, counts.in_flight, counts.sent, counts.last_error, counts.last_sync) == (0, 0, 1203, "", clock().timestamp())
    [beat] = server.heartbeats
    assert beat == {
        "kiosk_id": KIOSK_ID,
        "app_version": "9.8.7",
        "printer_state": "paper_near_end",
        "outbox_depth": 0,
        "last_sync": "2026-11-21T02:15:00+00:00",
        "sent_at": "2026-11-21T02:15:00+00:00",
    }
    assert {seen.headers["authorization"] for seen in server.requests} == {f"Bearer {TOKEN}"}


def test_records_the_server_already_holds_are_sent_too(outbox: Outbox, server: FeedbackServer) -> None:
    payloads = [rating() for _ in range(3)]
    ids = add(outbox, RATING, payloads)
    server.stored[ids[0]] = payloads[0]  # a kiosk killed after sending, before marking sent
    assert worker_for(outbox, server.url).sync_once().sent == 3
    assert states(outbox, ids) == {SENT}


def test_the_thread_sends_a_new_record_when_woken_and_stops(outbox: Outbox, server: FeedbackServer) -> None:
    worker = worker_for(outbox, server.url)
    worker.start()
    try:
        assert server.beat.wait(10), "the first round sent no heartbeat"
        assert server.stored == {}
        [record_id] = add(outbox, RATING, [rating()])  # stored while the worker waits out its interval of an hour
        worker.wake()
        assert server.received.wait(10), "the woken worker did not send the new rating"
    finally:
        worker.stop()
    assert worker._thread is None
    assert record_id in server.stored


# ----- put back for later


def test_a_wrong_token_stores_nothing_and_keeps_the_records_for_later(outbox: Outbox, server: FeedbackServer) -> None:
    ids = add(outbox, RATING, [rating() for _ in range(3)])
    tally = worker_for(outbox, server.url, token="not-the-kiosks-token-000").sync_once()
    assert tally.sent == 0
    assert tally.problem == (f"{server.url}/api/v1/ratings: HTTP 401 unauthorized: Authorization: expected 'Bearer' and the kiosk's token")
    assert server.stored == {} and server.heartbeats == []  # the round stopped at the first failure
    assert outbox.counts().last_error == tally.problem
    assert states(outbox, ids) == {PENDING}
    assert {record.attempts for record in (outbox.get(i) for i in ids) if record} == {1}


def test_a_server_error_backs_off_and_the_next_round_after_it_sends(outbox: Outbox, server: FeedbackServer, clock: Clock) -> None:
    ids = add(outbox, RATING, [rating() for _ in range(2)])
    worker = worker_for(outbox, server.url)
    server.answer_next(500)
    assert worker.sync_once().problem == f"{server.url}/api/v1/ratings: HTTP 500 server_error: forced 500"
    assert states(outbox, ids) == {PENDING}
    clock.advance(BACKOFF_CAP_SECONDS)
    tally = worker.sync_once()
    assert (tally.sent, tally.problem) == (2, "")
    assert outbox.counts().last_error == ""  # a round that went through clears it
    assert len(server.posts("/api/v1/ratings")) == 2


def test_a_429_holds_every_request_until_its_retry_after(outbox: Outbox, server: FeedbackServer, clock: Clock) -> None:
    ids = add(outbox, RATING, [rating()])
    worker = worker_for(outbox, server.url)
    server.answer_next(429, headers={"Retry-After": "30"})
    assert worker.sync_once().problem == f"{server.url}/api/v1/ratings: HTTP 429 rate_limited: forced 429"
    add(outbox, RATING, [rating()])  # a new rating wakes the worker: it still waits
    clock.advance(29)
    assert worker.sync_once().problem == "the server asked to wait until 2026-11-21T02:15:30+00:00 (HTTP 429)"
    assert len(server.requests) == 1
    clock.advance(1)
    assert worker.sync_once().sent == 2
    assert states(outbox, ids) == {SENT}


def test_an_unreachable_server_is_named_in_one_line(outbox: Outbox) -> None:
    ids = add(outbox, RATING, [rating()])
    tally = worker_for(outbox, "http://127.0.0.1:9").sync_once()
    assert tally.problem == "http://127.0.0.1:9/api/v1/ratings: cannot reach the server (ConnectionError)"
    assert states(outbox, ids) == {PENDING}


def test_a_server_that_does_not_answer_in_time(outbox: Outbox, server: FeedbackServer) -> None:
    ids = add(outbox, RATING, [rating()])
    server.hold.set()
    tally = worker_for(outbox, server.url, timeout=(1.0, 0.3)).sync_once()
    assert tally.problem == f"{server.url}/api/v1/ratings: no answer within 0.3 s"
    assert states(outbox, ids) == {PENDING}


# ----- refused


def test_a_refused_batch_is_halved_until_the_bad_record_is_kept_as_failed(outbox: Outbox, server: FeedbackServer) -> None:
    payloads = [rating() for _ in range(16)]
    payloads[11]["level"] = "great"  # as a newer kiosk might send to an older server
    ids = add(outbox, RATING, payloads)
    tally = worker_for(outbox, server.url).sync_once()
    message = f"{server.url}/api/v1/ratings: HTTP 422 invalid: ratings.0.level: expected one of {', '.join(LEVELS)}, got 'great'"
    assert (tally.sent, tally.failed, tally.problem) == (15, 1, "")
    assert set(server.stored) == set(ids) - {ids[11]}
    bad = outbox.get(ids[11])
    assert bad is not None and (bad.state, bad.error) == (FAILED, message)
    assert len(server.posts("/api/v1/ratings")) <= 2 * 4 + 1  # halves, not one request per record
    assert outbox.counts().last_error == f"the server refused 1 record(s), kept as failed: {message}"
    assert len(server.heartbeats) == 1  # a refused record does not stop the round
    assert worker_for(outbox, server.url).sync_once(due_only=False).sent == 0  # never sent again


def test_a_too_large_batch_is_halved_too(outbox: Outbox, server: FeedbackServer) -> None:
    ids = add(outbox, RATING, [rating() for _ in range(4)])
    server.answer_next(413)
    assert worker_for(outbox, server.url).sync_once().sent == 4
    assert [len(seen.body["ratings"]) for seen in server.posts("/api/v1/ratings")] == [4, 2, 2]
    assert states(outbox, ids) == {SENT}


def test_a_failure_in_the_first_half_puts_the_second_half_back_too(outbox: Outbox, server: FeedbackServer) -> None:
    ids = add(outbox, RATING, [rating() for _ in range(4)])
    server.answer_next(422)
    server.answer_next(503)
    tally = worker_for(outbox, server.url).sync_once()
    assert tally.problem.endswith("HTTP 503 server_error: forced 503")
    assert states(outbox, ids) == {PENDING}
    assert outbox.counts().in_flight == 0


# ----- the connection


def test_the_ticket_client_sends_the_same_token(server: FeedbackServer) -> None:
    client = TicketClient(server.url, KIOSK_ID, 5.0, ServerAccess(TOKEN))
    try:
        assert client.queues() == {}
    finally:
        client.close()
    assert server.requests[0].headers["authorization"] == f"Bearer {TOKEN}"


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command to make certificates")
def test_https_with_the_centers_own_ca_and_without_it(outbox: Outbox, tmp_path: Path) -> None:
    certificates = make_certificates(tmp_path / "tls")
    ids = add(outbox, RATING, [rating()])
    with feedback_server(certificates) as server:
        untrusted = worker_for(outbox, server.url).sync_once()  # the system's CAs do not know the center's
        assert untrusted.problem.startswith(f"{server.url}/api/v1/ratings: the server's certificate is not trusted (")
        assert "certificate verify failed" in untrusted.problem
        client = SyncClient(server.url, KIOSK_ID, ServerAccess(TOKEN, certificates.ca))
        trusted = SyncWorker(outbox, client, INTERVAL).sync_once(due_only=False)
    assert (trusted.sent, trusted.problem) == (1, "")
    assert states(outbox, ids) == {SENT}


def test_the_heartbeats_printer_state_and_depth(outbox: Outbox, server: FeedbackServer) -> None:
    add(outbox, RATING, [rating() for _ in range(2)])
    outbox.claim(RATING)  # being sent by another process
    client = SyncClient(server.url, KIOSK_ID, ServerAccess(TOKEN))
    for state, word in [(PrinterState.READY, "ok"), (PrinterState.PAPER_OUT, "paper_out"), (PrinterState.DISCONNECTED, "offline")]:
        SyncWorker(outbox, client, INTERVAL, functools.partial(PrinterStatus, state)).sync_once()
        assert (server.heartbeats[-1]["printer_state"], server.heartbeats[-1]["outbox_depth"]) == (word, 2)
    SyncWorker(outbox, client, INTERVAL).sync_once()
    assert (server.heartbeats[-1]["printer_state"], server.heartbeats[-1]["last_sync"]) == ("unknown", "2026-11-21T02:15:00+00:00")


def test_retry_after_as_a_date() -> None:
    now = dt.datetime(2026, 11, 21, 2, 15, tzinfo=dt.timezone.utc)
    assert retry_after_seconds("Sat, 21 Nov 2026 02:16:30 GMT", now) == 90
    assert retry_after_seconds("120") == 120
    assert (retry_after_seconds(None), retry_after_seconds("soon")) == (None, None)


# ----- against the real central server


@pytest.fixture
def central(tmp_path: Path) -> Iterator[str]:
    """The central server's real app under uvicorn on 127.0.0.1, its clock at the test's morning, this kiosk registered."""
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'server.sqlite3'}"), load_content(SAMPLE_CONTENT_DIR).queues, Clock())
    register_kiosk(app.state.database, KIOSK_ID, TOKEN)
    with uvicorn_thread(app) as url:
        yield url


def desk_on(tmp_path: Path, url: str, clock: Clock) -> FeedbackDesk:
    ini = tmp_path / "kiosk.ini"
    ini.write_text(
        f"[kiosk]\nid = {KIOSK_ID}\ncontent_dir = {SAMPLE_CONTENT_DIR}\ndata_dir = kiosk-data\n"
        f"[printer]\ntype = none\n[server]\nurl = {url}\ntoken = {TOKEN}\n",
        encoding="utf-8",
    )
    return make_services(load_config(ini), clock).feedback


def test_the_real_server_takes_what_the_desk_stores_once(tmp_path: Path, central: str, clock: Clock) -> None:
    desk = desk_on(tmp_path, central, clock)
    ticket = desk.ticket_from_label("B7")
    ratings = [desk.rate(desk.new_draft(), "very_dissatisfied", ["attitude"], "13812345678", ticket)]
    ratings += [desk.rate(desk.new_draft(), level) for level in LEVELS]
    complaints = [desk.complain(desk.new_draft(), "complaint", "efficiency", ["long_wait"], "02312345678", ticket)]
    complaints.append(desk.complain(desk.new_draft(), "suggestion", "other", []))
    assert desk.worker is not None
    tally = desk.worker.sync_once()
    assert (tally.sent, tally.failed, tally.problem) == (8, 0, "")
    ids = [r.id for r in ratings] + [c.id for c in complaints]
    assert states(desk.outbox, ids) == {SENT}
    with desk.outbox.db.lock:  # as if the kiosk had been killed before it marked them sent
        desk.outbox.db.connection.execute("UPDATE outbox SET state = 'pending'")
    assert desk.worker.sync_once().sent == 8  # the server says duplicate: sent, and stored once


def test_the_real_server_refuses_a_wrong_token_and_a_bad_record(tmp_path: Path, central: str, clock: Clock) -> None:
    desk = desk_on(tmp_path, central, clock)
    good = [desk.rate(desk.new_draft(), "satisfied").id for _ in range(5)]
    bad = rating("great")
    desk.outbox.add(RATING, str(bad["id"]), bad)  # as an older server would see a newer kiosk's record
    wrong = worker_for(desk.outbox, central, token="not-the-kiosks-token-000").sync_once()
    assert wrong.problem.startswith(f"{central}/api/v1/ratings: HTTP 401 unauthorized: ")
    assert worker_for(desk.outbox, central).sync_once(due_only=False).sent == 5
    assert states(desk.outbox, good) == {SENT}
    record = desk.outbox.get(str(bad["id"]))
    assert record is not None and record.state == FAILED
    assert record.error.startswith(f"{central}/api/v1/ratings: HTTP 422 ")
    assert "level" in record.error
