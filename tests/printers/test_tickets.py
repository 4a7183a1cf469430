"""Queue tickets: a number per service per day, stored before it is shown."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.content import Content
from kiosk.database import Database
from kiosk.tickets import TicketBook, service_prefix

MORNING = dt.datetime(2026, 3, 2, 9, 0)


def test_numbers_count_per_service_per_day(database: Database, content: Content) -> None:
    book = TicketBook(database, "kiosk-01")
    first_id, second_id = content.services[0].id, content.services[1].id
    a1 = book.issue(content, first_id, MORNING)
    a2 = book.issue(content, first_id, MORNING + dt.timedelta(minutes=1))
    b1 = book.issue(content, second_id, MORNING + dt.timedelta(minutes=2))
    a3 = book.issue(content, first_id, MORNING + dt.timedelta(minutes=3))
    assert [a1.number, a2.number, b1.number, a3.number] == ["A001", "A002", "B001", "A003"]
    assert [a1.waiting_ahead, a2.waiting_ahead, b1.waiting_ahead, a3.waiting_ahead] == [0, 1, 0, 2]
    assert len({a1.id, a2.id, b1.id, a3.id}) == 4
    tomorrow = book.issue(content, first_id, MORNING + dt.timedelta(days=1))
    assert (tomorrow.number, tomorrow.waiting_ahead) == ("A001", 0)


def test_peek_does_not_issue(database: Database, content: Content) -> None:
    book = TicketBook(database, "kiosk-01")
    service = content.services[0].id
    book.issue(content, service, MORNING)
    peeked = [book.peek(content, service, MORNING), book.peek(content, service, MORNING)]
    assert [(t.number, t.waiting_ahead, t.id) for t in peeked] == [("A002", 1, "preview")] * 2
    assert book.issue(content, service, MORNING).number == "A002"
    with database.lock:
        assert database.connection.execute("SELECT COUNT(*) FROM tickets").fetchone()[0] == 2


def test_issued_tickets_are_on_disk(database: Database, content: Content) -> None:
    import sqlite3

    ticket = TicketBook(database, "kiosk-07").issue(content, content.services[2].id, MORNING)
    with sqlite3.connect(database.path) as other:
        row = other.execute("SELECT day, prefix, number, kiosk_id, state FROM tickets WHERE id = ?", (ticket.id,)).fetchone()
    assert row == ("2026-03-02", "C", 1, "kiosk-07", "waiting")


def test_unknown_service_is_refused(database: Database, content: Content) -> None:
    with pytest.raises(KeyError):
        TicketBook(database, "k").issue(content, "parking", MORNING)
    assert service_prefix(content, content.services[1].id) == "B"
