"""The ticket desk (what the screens call) against a real central server on 127.0.0.1: numbers
from the center's one sequence, the server's refusals passed on, the kiosk's own block when the
server is silent or gone, and the report that voids what the server numbered for nobody."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from kiosk.config import KioskConfig, load_config
from kiosk.content_loader import load_content
from kiosk.paths import SAMPLE_CONTENT_DIR
from kiosk.services import KioskServices, make_services
from kiosk.ticket import BLOCK_TAKEN, CLOSED, OFFLINE, SERVER, TicketRefused
from kiosk.ticket_client import TicketClient
from server.main import create_app
from server.settings import Settings
from tests.e2e.conftest import write_kiosk_ini
from tests.server.center import Clock, auth
from tests.server.serving import free_port, uvicorn_thread

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
MONDAY_MORNING = dt.datetime(2026, 11, 23, 9, 30, tzinfo=SHANGHAI)


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY_MORNING)


@pytest.fixture
def server(db_url: str, open_content: Path, clock: Clock) -> Iterator[str]:
    rules = load_content(open_content).queues
    app = create_app(Settings(db_url=db_url), rules, clock)
    with uvicorn_thread(app) as base_url:
        yield base_url


def services_for(config: KioskConfig, clock: Clock) -> KioskServices:
    services = make_services(config, now=clock)
    services.tickets.book.recover()
    return services


def test_kiosks_share_the_centers_sequence(server: str, kiosk_config: Callable[..., KioskConfig], clock: Clock) -> None:
    first = services_for(kiosk_config(server, "kiosk-01", 1), clock).tickets
    second = services_for(kiosk_config(server, "kiosk-02", 2), clock).tickets
    labels = [desk.take("legal_aid").label for desk in (first, second, first, second)]
    assert labels == ["B001", "B002", "B003", "B004"]
    ticket = second.take("legal_aid")
    assert (ticket.source, ticket.ahead) == (SERVER, 4)
    assert ticket.wait_minutes is not None  # legal_aid's default minutes give a basis
    assert [row.label for row in second.book.ledger(ticket.day, ticket.day)] == ["B002", "B004", "B005"]


# The server refuses from its appointments file, before its database: SQLite alone proves it.
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_servers_refusal_reaches_the_visitor(server: str, kiosk_config: Callable[..., KioskConfig], clock: Clock) -> None:
    desk = services_for(kiosk_config(server), clock).tickets
    with pytest.raises(TicketRefused) as refused:
        desk.check_in("123456")  # the server has no appointments file
    assert refused.value.reason == "unknown_appointment"
    assert desk.book.unreported() == ([], [])  # a refusal is an answer, not a silence


# The kiosk refuses from the content's hours without asking the server: SQLite alone proves it.
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_closed_hours_are_refused_on_the_kiosk(server: str, kiosk_config: Callable[..., KioskConfig], clock: Clock) -> None:
    desk = services_for(kiosk_config(server, content=SAMPLE_CONTENT_DIR), clock).tickets  # weekdays only
    clock.now = dt.datetime(2026, 11, 21, 10, 0, tzinfo=SHANGHAI)  # a Saturday
    with pytest.raises(TicketRefused) as refused:
        desk.take("legal_aid")
    assert refused.value.reason == CLOSED
    assert refused.value.next_open == dt.datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)
    assert desk.book.ledger(dt.date(2026, 11, 21), dt.date(2026, 11, 23)) == []


def test_a_block_another_kiosk_holds_is_never_used(server: str, kiosk_config: Callable[..., KioskConfig], clock: Clock) -> None:
    first = services_for(kiosk_config(server, "kiosk-01", 3), clock).tickets
    copy = services_for(kiosk_config(server, "kiosk-02", 3), clock).tickets  # staff copied kiosk.ini
    assert first.take("legal_aid").label == "B001"
    with pytest.raises(TicketRefused) as refused:
        copy.take("legal_aid")
    assert refused.value.reason == BLOCK_TAKEN
    assert "offline_block = 3" in copy.last_server_problem
    assert copy.status_lines()[-1].startswith("fix kiosk.ini: [server] offline_block = 3")
    copy.client = TicketClient("http://127.0.0.1:9", "kiosk-02", 0.3)  # and now the server is unreachable
    with pytest.raises(TicketRefused):
        copy.take("legal_aid")
    assert copy.book.unreported()[0] == []  # no number from the shared block
    restarted = services_for(kiosk_config("http://127.0.0.1:9", "kiosk-02", 3), clock).tickets  # a restart, the server still away
    with pytest.raises(TicketRefused) as again:
        restarted.take("legal_aid")
    assert again.value.reason == BLOCK_TAKEN, "the server's word is kept on disk"


def test_two_machines_left_with_one_kiosk_id_are_told_apart(
    server: str, kiosk_config: Callable[..., KioskConfig], clock: Clock, tmp_path: Path, open_content: Path
) -> None:
    first = services_for(kiosk_config(server, "kiosk-01", 1), clock).tickets
    assert first.take("legal_aid").label == "B001"
    clone = load_config(write_kiosk_ini(tmp_path / "second-machine", open_content, server, "kiosk-01", 1))  # all defaults
    second = services_for(clone, clock).tickets
    with pytest.raises(TicketRefused) as refused:
        second.take("legal_aid")
    assert refused.value.reason == BLOCK_TAKEN
    assert "another machine with the kiosk id kiosk-01" in second.last_server_problem
    assert first.take("legal_aid").label == "B002"  # the first machine keeps its block


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A listener that accepts connections and never answers, like a hung server."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join(5)
    for connection in held:
        connection.close()
    listener.close()


def test_a_silent_server_costs_the_visitor_the_timeout_and_no_more(
    silent_server: str, kiosk_config: Callable[..., KioskConfig], clock: Clock
) -> None:
    desk = services_for(kiosk_config(silent_server, block=2), clock).tickets
    started = time.monotonic()
    ticket = desk.take("consultation")
    waited = time.monotonic() - started
    assert (ticket.source, ticket.label) == (OFFLINE, "A900")  # block 2 of 4x50: 900-949
    assert waited < 3  # bounded by [server] timeout (0.3 s), with room for a busy machine
    tickets, abandoned = desk.book.unreported()
    assert [t.label for t in tickets] == ["A900"] and len(abandoned) == 1
    assert desk.status_lines()[0].endswith(f"not answering: {silent_server}/api/v1/tickets: no answer within 0.3 s")
    assert desk.status_lines()[1] == "offline tickets not yet reported: 1; requests given up on, not yet reported: 1"


def test_offline_tickets_reach_the_server_and_abandoned_numbers_are_voided(
    db_url: str, open_content: Path, kiosk_config: Callable[..., KioskConfig], clock: Clock
) -> None:
    rules = load_content(open_content).queues
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    desk = services_for(kiosk_config(url, block=1), clock).tickets
    offline = [desk.take("legal_aid") for _ in range(3)]  # nobody listens yet
    assert [t.label for t in offline] == ["B950", "B951", "B952"]
    app = create_app(Settings(db_url=db_url), rules, clock)
    with uvicorn_thread(app, port) as base_url:
        lost = str(uuid.uuid4())  # a request the server numbered, whose answer the kiosk never got
        body: dict[str, str | int] = {"id": lost, "kiosk_id": "kiosk-01", "service_id": "legal_aid", "offline_block": 1}
        assert requests.post(f"{base_url}/api/v1/tickets", json=body, headers=auth(), timeout=5).json()["label"] == "B001"
        desk.book.begin_request(lost, clock.now)
        desk.book.request_abandoned(lost)
        assert desk.reporter is not None
        result = desk.reporter.report_now()
        assert result is not None and set(result.stored) == {t.id for t in offline}
        assert result.voided == (lost,)
        assert requests.get(f"{base_url}/api/v1/tickets/{lost}", headers=auth(), timeout=5).json()["state"] == "void"
        assert desk.book.unreported() == ([], [])
        assert desk.reporter.report_now() is None  # nothing sent twice
        states = [requests.get(f"{base_url}/api/v1/tickets/{t.id}", headers=auth(), timeout=5).json()["state"] for t in offline]
        assert states == ["waiting"] * 3
        clock.advance(minutes=5)
        online = desk.take("legal_aid")
        assert (online.source, online.label, online.ahead) == (SERVER, "B002", 3)  # B001 was void; the offline three wait


def test_the_service_list_shows_the_centers_queues_and_says_nothing_it_does_not_know(
    server: str, kiosk_config: Callable[..., KioskConfig], clock: Clock
) -> None:
    desk = services_for(kiosk_config(server), clock).tickets
    for _ in range(3):
        desk.take("legal_aid")
    legal_aid = next(s for s in desk.overview() if s.service_id == "legal_aid")
    assert (legal_aid.open, legal_aid.full, legal_aid.waiting) == (True, False, 3)
    assert legal_aid.wait_minutes == 30.0  # the sample's 20 minutes each, two windows serve legal aid
    desk.client = TicketClient("http://127.0.0.1:9", "kiosk-01", 0.3)  # the server is gone
    legal_aid = next(s for s in desk.overview() if s.service_id == "legal_aid")
    assert (legal_aid.open, legal_aid.waiting, legal_aid.wait_minutes) == (True, None, None)
    assert "cannot reach the server" in desk.last_server_problem


def test_a_block_beyond_the_centers_blocks_numbers_from_the_server_only(
    server: str, kiosk_config: Callable[..., KioskConfig], clock: Clock
) -> None:
    desk = services_for(kiosk_config(server, block=9), clock).tickets  # the sample has 4 blocks
    assert desk.take("legal_aid").label == "B001"  # the server still numbers
    expected = "fix kiosk.ini: [server] offline_block = 9: expected a block from 1 to 4 (offline_blocks in queues.ini)"
    assert desk.status_lines()[-1] == expected
    desk.client = TicketClient("http://127.0.0.1:9", "kiosk-01", 0.3)
    with pytest.raises(TicketRefused) as refused:
        desk.take("legal_aid")
    assert refused.value.reason == BLOCK_TAKEN
