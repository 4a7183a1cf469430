"""The kiosk's ticket ledger on a real SQLite database: numbers, caps, blocks, restarts, print
states, appointments, the server's tickets and the requests in flight."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.database import Database, open_database
from kiosk.queue_rules import APPOINTMENT, NORMAL, PRIORITY
from kiosk.ticket import APPOINTMENT_USED, FULL, LOCAL, OFFLINE, SERVER, USED_UP, Ticket, TicketRefused
from kiosk.ticket_book import FAILED, NOT_PRINTED, PENDING, PRINTED, Recovered, TicketBook
from tests.kiosk.ticket_rules import sample_rules, shanghai

RULES = sample_rules()
MONDAY = shanghai(2026, 3, 2, 9, 0)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def database(data_dir: Path) -> Iterator[Database]:
    db = open_database(data_dir)
    yield db
    db.close()


@pytest.fixture
def book(database: Database) -> TicketBook:
    return TicketBook(database, "kiosk-01")


def normal(book: TicketBook, service_id: str, now: dt.datetime, block: int | None = None) -> Ticket:
    return book.issue(RULES, service_id, NORMAL, None, None, now, block)


def labels(tickets: list[Ticket]) -> list[str]:
    return [t.label for t in tickets]


def test_numbers_count_per_letter_per_day(book: TicketBook) -> None:
    minute = dt.timedelta(minutes=1)
    tickets = [
        normal(book, "legal_aid", MONDAY),
        normal(book, "legal_aid", MONDAY + minute),
        normal(book, "consultation", MONDAY + 2 * minute),
        book.issue(RULES, "legal_aid", PRIORITY, "elderly", None, MONDAY + 3 * minute),
        book.issue(RULES, "mediation", PRIORITY, "urgent", None, MONDAY + 4 * minute),  # one green channel for all services
        book.issue(RULES, "consultation", APPOINTMENT, None, "123456", MONDAY + 5 * minute),
        normal(book, "legal_aid", MONDAY + 6 * minute),
    ]
    assert labels(tickets) == ["A001", "A002", "B001", "V001", "V002", "Y001", "A003"]
    assert {t.day for t in tickets} == {dt.date(2026, 3, 2)}
    assert {(t.source, t.kiosk_id, t.ahead, t.wait_minutes) for t in tickets} == {(LOCAL, "kiosk-01", None, None)}
    assert (tickets[3].category, tickets[3].priority_kind, tickets[5].appointment_code) == (PRIORITY, "elderly", "123456")
    assert len({t.id for t in tickets}) == 7
    tuesday = normal(book, "legal_aid", MONDAY + dt.timedelta(days=1))
    assert (tuesday.label, tuesday.day) == ("A001", dt.date(2026, 3, 3))


def test_the_day_turns_at_local_midnight_while_utc_is_still_the_day_before(book: TicketBook) -> None:
    before = dt.datetime(2026, 3, 2, 15, 59, tzinfo=dt.timezone.utc)  # 23:59 in Shanghai
    after = dt.datetime(2026, 3, 2, 16, 1, tzinfo=dt.timezone.utc)  # 00:01 on 3 March in Shanghai
    first, second = normal(book, "legal_aid", before), normal(book, "legal_aid", after)
    assert [(t.label, t.day) for t in (first, second)] == [("A001", dt.date(2026, 3, 2)), ("A001", dt.date(2026, 3, 3))]
    assert second.issued_at.isoformat() == "2026-03-03T00:01:00+08:00"


def test_a_ticket_is_on_disk_when_issue_returns(book: TicketBook, database: Database) -> None:
    ticket = book.issue(RULES, "mediation", PRIORITY, "pregnant", None, MONDAY)
    with sqlite3.connect(database.path) as other:  # another connection, as after a power cut
        other.row_factory = sqlite3.Row
        row = dict(other.execute("SELECT * FROM tickets WHERE id = ?", (ticket.id,)).fetchone())
    assert row == {
        "id": ticket.id,
        "day": "2026-03-02",
        "prefix": "V",
        "number": 1,
        "label": "V001",
        "service_id": "mediation",
        "category": "priority",
        "priority_kind": "pregnant",
        "appointment_code": None,
        "issued_at": "2026-03-02T09:00:00+08:00",
        "kiosk_id": "kiosk-01",
        "source": "local",
        "print_state": "pending",
        "print_note": "",
        "reported": 0,
    }


def test_the_daily_cap_counts_every_category_of_the_service(book: TicketBook) -> None:
    rules = sample_rules(caps={"legal_aid": 3})
    book.issue(rules, "legal_aid", NORMAL, None, None, MONDAY)
    book.issue(rules, "legal_aid", PRIORITY, "disabled", None, MONDAY)
    book.issue(rules, "legal_aid", APPOINTMENT, None, "555", MONDAY)
    with pytest.raises(TicketRefused) as refused:
        book.issue(rules, "legal_aid", NORMAL, None, None, MONDAY)
    assert refused.value.reason == FULL
    assert book.issued_today(rules, MONDAY) == {"legal_aid": 3}
    assert book.issue(rules, "consultation", NORMAL, None, None, MONDAY).label == "B001"  # another service is not full
    with pytest.raises(TicketRefused) as refused:
        book.issue(rules, "legal_aid", PRIORITY, "military", None, MONDAY)  # the green channel counts too
    assert refused.value.reason == FULL
    assert len(book.ledger(MONDAY.date(), MONDAY.date())) == 4  # the refusals stored nothing
    assert book.issue(rules, "legal_aid", NORMAL, None, None, MONDAY + dt.timedelta(days=1)).label == "A001"


def test_numbers_stop_when_used_up_and_never_wrap(book: TicketBook) -> None:
    rules = sample_rules(digits=2, offline_block_size=20, offline_blocks=4)  # shared 1-19, block 1 is 80-99
    shared = [book.issue(rules, "legal_aid", NORMAL, None, None, MONDAY).label for _ in range(19)]
    assert (shared[0], shared[-1]) == ("A01", "A19")
    with pytest.raises(TicketRefused) as refused:
        book.issue(rules, "legal_aid", NORMAL, None, None, MONDAY)
    assert refused.value.reason == USED_UP
    offline = [book.issue(rules, "legal_aid", NORMAL, None, None, MONDAY, block=1).label for _ in range(20)]
    assert (offline[0], offline[-1]) == ("A80", "A99")
    with pytest.raises(TicketRefused) as refused:
        book.issue(rules, "legal_aid", NORMAL, None, None, MONDAY, block=1)
    assert refused.value.reason == USED_UP
    assert book.issue(rules, "consultation", NORMAL, None, None, MONDAY).label == "B01"
    assert book.issue(rules, "legal_aid", NORMAL, None, None, MONDAY + dt.timedelta(days=1)).label == "A01"


def test_offline_blocks_keep_to_their_own_numbers(book: TicketBook) -> None:
    first = [normal(book, "legal_aid", MONDAY, block=1) for _ in range(2)]
    second = normal(book, "legal_aid", MONDAY, block=2)
    shared = normal(book, "legal_aid", MONDAY)
    assert labels([*first, second, shared]) == ["A950", "A951", "A900", "A001"]
    assert [t.source for t in (*first, second, shared)] == [OFFLINE, OFFLINE, OFFLINE, LOCAL]
    with pytest.raises(ValueError, match="outside 1..4"):
        normal(book, "legal_aid", MONDAY, block=5)


def test_numbering_goes_on_after_a_restart_even_with_the_clock_set_back(data_dir: Path) -> None:
    database = open_database(data_dir)
    book = TicketBook(database, "kiosk-01")
    normal(book, "legal_aid", MONDAY)
    normal(book, "legal_aid", MONDAY + dt.timedelta(days=1))
    database.close()
    database = open_database(data_dir)
    book = TicketBook(database, "kiosk-01")
    try:
        assert book.latest_day() == dt.date(2026, 3, 3)
        after_restart = normal(book, "legal_aid", MONDAY + dt.timedelta(days=1, hours=1))
        clock_set_back = normal(book, "legal_aid", MONDAY)  # Monday's A002 is never issued again
        assert [(t.label, t.day) for t in (after_restart, clock_set_back)] == [("A002", dt.date(2026, 3, 3)), ("A003", dt.date(2026, 3, 3))]
        assert book.peek(RULES, "legal_aid", MONDAY) == "A004"
    finally:
        database.close()


def test_peek_does_not_issue(book: TicketBook) -> None:
    normal(book, "legal_aid", MONDAY)
    assert [book.peek(RULES, "legal_aid", MONDAY), book.peek(RULES, "legal_aid", MONDAY)] == ["A002", "A002"]
    assert book.peek(RULES, "mediation", MONDAY, category=PRIORITY) == "V001"
    assert book.peek(RULES, "legal_aid", MONDAY, block=1) == "A950"
    assert normal(book, "legal_aid", MONDAY).label == "A002"


def test_print_states_are_recorded(book: TicketBook) -> None:
    printed, failed, waiting = (normal(book, "legal_aid", MONDAY) for _ in range(3))
    book.mark_printed(printed.id)
    book.mark_print_failed(failed.id, "paper out\nat the printer")
    rows = {row.label: (row.print_state, row.print_note) for row in book.ledger(MONDAY.date(), MONDAY.date())}
    assert rows == {"A001": (PRINTED, ""), "A002": (FAILED, "paper out\\nat the printer"), "A003": (PENDING, "")}
    assert waiting.label == "A003"


def test_recover_after_a_stop(data_dir: Path) -> None:
    database = open_database(data_dir)
    book = TicketBook(database, "kiosk-01")
    printed, unconfirmed = normal(book, "legal_aid", MONDAY), normal(book, "legal_aid", MONDAY)
    book.mark_printed(printed.id)
    book.begin_request("req-answered", MONDAY)
    book.request_answered("req-answered")
    book.begin_request("req-given-up", MONDAY)
    book.request_abandoned("req-given-up")
    book.begin_request("req-cut-off", MONDAY)  # the kiosk is killed while it waits for the server
    database.close()
    database = open_database(data_dir)
    book = TicketBook(database, "kiosk-01")
    try:
        assert book.recover() == Recovered(abandoned_requests=1, not_printed=1)
        states = {row.label: row.print_state for row in book.ledger(MONDAY.date(), MONDAY.date())}
        assert states == {printed.label: PRINTED, unconfirmed.label: NOT_PRINTED}
        assert book.unreported() == ([], ["req-given-up", "req-cut-off"])
        assert book.recover() == Recovered(0, 0)
    finally:
        database.close()


def test_offline_tickets_and_abandoned_requests_wait_to_be_reported(book: TicketBook) -> None:
    local = normal(book, "legal_aid", MONDAY)
    offline = [normal(book, "legal_aid", MONDAY, block=1), book.issue(RULES, "legal_aid", PRIORITY, "elderly", None, MONDAY, block=1)]
    book.begin_request("req-1", MONDAY)
    book.request_abandoned("req-1")
    tickets, requests = book.unreported()
    assert ([t.id for t in tickets], requests) == ([t.id for t in offline], ["req-1"])
    assert tickets == offline
    assert local.id not in [t.id for t in tickets]
    book.mark_reported([offline[0].id], [])
    assert book.unreported() == ([offline[1]], ["req-1"])
    book.mark_reported([offline[1].id], ["req-1"])
    assert book.unreported() == ([], [])


def test_an_appointment_code_gives_one_ticket_a_day(book: TicketBook) -> None:
    first = book.issue(RULES, "legal_aid", APPOINTMENT, None, "123456", MONDAY)
    with pytest.raises(TicketRefused) as refused:
        book.issue(RULES, "legal_aid", APPOINTMENT, None, "123456", MONDAY + dt.timedelta(hours=2))
    assert refused.value.reason == APPOINTMENT_USED
    other = book.issue(RULES, "legal_aid", APPOINTMENT, None, "654321", MONDAY)
    assert labels([first, other]) == ["Y001", "Y002"]
    assert book.issue(RULES, "legal_aid", APPOINTMENT, None, "123456", MONDAY + dt.timedelta(days=1)).label == "Y001"


def test_server_tickets_are_kept_once(book: TicketBook, database: Database) -> None:
    server = Ticket("srv-1", "A007", "A", 7, MONDAY.date(), "legal_aid", NORMAL, None, None, MONDAY, "kiosk-01", SERVER, 3, 12.5)
    book.record(server)
    book.record(server)
    [row] = book.ledger(MONDAY.date(), MONDAY.date())
    assert (row.id, row.label, row.source, row.print_state) == ("srv-1", "A007", SERVER, PENDING)
    # A number the kiosk once printed for the server is not given again when it numbers alone.
    assert normal(book, "legal_aid", MONDAY).label == "A008"
    # The kiosk's own numbers are unique per day and letter, whatever writes them.
    with pytest.raises(sqlite3.IntegrityError):
        book.record(Ticket("other", "A008", "A", 8, MONDAY.date(), "legal_aid", NORMAL, None, None, MONDAY, "kiosk-01", LOCAL, None, None))


def test_wrong_requests_are_refused_before_anything_is_stored(book: TicketBook) -> None:
    with pytest.raises(KeyError):
        normal(book, "parking", MONDAY)
    with pytest.raises(ValueError, match="time zone"):
        normal(book, "legal_aid", dt.datetime(2026, 3, 2, 9, 0))
    with pytest.raises(ValueError, match="priority_kind"):
        book.issue(RULES, "legal_aid", PRIORITY, None, None, MONDAY)
    with pytest.raises(ValueError, match="priority_kind"):
        book.issue(RULES, "legal_aid", NORMAL, "elderly", None, MONDAY)
    with pytest.raises(ValueError, match="appointment_code"):
        book.issue(RULES, "legal_aid", APPOINTMENT, None, None, MONDAY)
    with pytest.raises(ValueError, match="category"):
        book.issue(RULES, "legal_aid", "vip", None, None, MONDAY)
    assert book.ledger(dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == []


def test_tickets_of_the_first_printing_issue_are_carried_over(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    with sqlite3.connect(data_dir / "kiosk.sqlite3") as first_issue:
        first_issue.executescript(
            "CREATE TABLE tickets (id TEXT PRIMARY KEY, day TEXT NOT NULL, service_id TEXT NOT NULL, prefix TEXT NOT NULL, "
            "number INTEGER NOT NULL, issued_at TEXT NOT NULL, kiosk_id TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'waiting', "
            "UNIQUE (day, prefix, number));"
            "INSERT INTO tickets VALUES ('old-1', '2026-03-02', 'legal_aid', 'A', 1, '2026-03-02T08:30:00', 'kiosk-01', 'waiting');"
        )
    database = open_database(data_dir)
    try:
        book = TicketBook(database, "kiosk-01")
        assert book.latest_day() == dt.date(2026, 3, 2)
        assert normal(book, "legal_aid", MONDAY).label == "A002"
        [old] = [row for row in book.ledger(MONDAY.date(), MONDAY.date()) if row.id == "old-1"]
        assert (old.id, old.label, old.source, old.print_state) == ("old-1", "A001", LOCAL, NOT_PRINTED)
    finally:
        database.close()
    open_database(data_dir).close()  # opening again changes nothing


def test_a_queue_with_its_own_width_numbers_and_blocks_in_it(book: TicketBook) -> None:
    wide = dataclasses.replace(RULES.queues["legal_aid"], digits=4)
    rules = dataclasses.replace(RULES, queues={**RULES.queues, "legal_aid": wide})
    shared = book.issue(rules, "legal_aid", NORMAL, None, None, MONDAY)
    offline = book.issue(rules, "legal_aid", NORMAL, None, None, MONDAY, 2)
    other = book.issue(rules, "consultation", NORMAL, None, None, MONDAY, 2)
    assert labels([shared, offline, other]) == ["A0001", "A9900", "B900"]


def test_a_day_the_server_numbered_is_not_left_by_a_stale_clock(book: TicketBook) -> None:
    served = Ticket("srv-9", "A031", "A", 31, MONDAY.date(), "legal_aid", NORMAL, None, None, MONDAY, "kiosk-01", SERVER, 0, None)
    book.record(served)
    stale = MONDAY - dt.timedelta(days=1)  # rebooted with yesterday's clock, the server out of reach
    offline = book.issue(RULES, "legal_aid", NORMAL, None, None, stale, 1)
    assert (offline.day, offline.label) == (MONDAY.date(), "A950"), "numbered on the day the windows call"


def test_the_kiosk_keeps_its_instance_id_and_the_servers_word_on_its_block(data_dir: Path) -> None:
    first = open_database(data_dir)
    book = TicketBook(first, "kiosk-01")
    instance = book.instance_id()
    book.set_block_conflict("[server] offline_block = 1: held by kiosk-02")
    first.close()
    again = open_database(data_dir)
    reopened = TicketBook(again, "kiosk-01")
    assert (reopened.instance_id(), reopened.block_conflict()) == (instance, "[server] offline_block = 1: held by kiosk-02")
    reopened.set_block_conflict("")
    assert reopened.block_conflict() == ""
    again.close()
