"""The clock jumping, as when NTP corrects a kiosk whose clock was wrong by an hour or a day.

Set back, a record put back after a failed try is due at once (it never waits for a moment that
moved further away), and a lease ends at once. Set forward, nothing is lost: leases a dead sender
took run out, waiting records are kept and only sent ones are pruned. Ticket numbers and complaint
receipts are never given twice on one day, whichever way the clock went. (The idle timeout, the
staff gesture, the PIN lockout and the screens' double-tap guards run on the monotonic clock,
``KioskServices.monotonic``, which no correction moves.)
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.database import DATABASE_NAME, open_database
from kiosk.outbox import BACKOFF_CAP_SECONDS, OUTBOX_SCHEMA, PENDING, RATING, RETRY_AFTER_CAP_SECONDS, SENT_KEPT_DAYS, Outbox
from kiosk.paths import SAMPLE_CONTENT_DIR
from kiosk.services import KioskServices, make_services
from tests.kiosk.feedback_helpers import SHANGHAI, Clock

HOUR, DAY = 3600.0, 24 * 3600.0
TUESDAY_MORNING = dt.datetime(2026, 11, 24, 10, 15, tzinfo=SHANGHAI)


def add_ratings(outbox: Outbox, count: int) -> list[str]:
    ids = [str(uuid.uuid4()) for _ in range(count)]
    for record_id in ids:
        outbox.add(RATING, record_id, {"id": record_id, "created_at": "2026-11-21T10:15:00+08:00", "level": "satisfied", "reasons": []})
    return ids


@pytest.mark.parametrize("back", [5 * 60, 30 * 60, DAY], ids=["5 minutes", "half an hour", "a day"])
def test_a_clock_set_back_never_makes_a_record_wait_longer_than_its_backoff(outbox: Outbox, clock: Clock, back: float) -> None:
    backed_off, rate_limited = add_ratings(outbox, 2)
    for _ in range(12):  # many failed tries: the backoff's ceiling is at its cap of 5 minutes
        clock.advance(RETRY_AFTER_CAP_SECONDS + 1)
        outbox.claim(RATING)
        outbox.retry_later([backed_off], "cannot reach the server")
        outbox.retry_later([rate_limited], "HTTP 429", retry_after=RETRY_AFTER_CAP_SECONDS)
    assert outbox.claim(RATING) == []  # both wait, one up to 5 minutes, the other an hour
    clock.advance(-back)
    assert sorted(r.id for r in outbox.claim(RATING)) == sorted([backed_off, rate_limited]), "due at once after the clock went back"
    outbox.retry_later([backed_off, rate_limited], "cannot reach the server")
    clock.advance(BACKOFF_CAP_SECONDS)  # from the corrected clock on, the ordinary backoff
    assert sorted(r.id for r in outbox.claim(RATING)) == sorted([backed_off, rate_limited])


def test_a_clock_set_forward_loses_nothing_and_a_dead_senders_lease_runs_out(outbox: Outbox, clock: Clock) -> None:
    sent, waiting, held = add_ratings(outbox, 3)
    outbox.claim(RATING)
    outbox.mark_sent([sent])
    outbox.retry_later([waiting], "cannot reach the server")
    outbox.claim(RATING)  # taken by a sender that then died, without a word
    clock.advance((SENT_KEPT_DAYS + 10) * DAY)  # a clock left in the past is corrected: months ahead
    assert outbox.prune() == 1  # only what the server has
    assert sorted(r.id for r in outbox.claim(RATING)) == sorted([waiting, held])
    outbox.retry_later([waiting, held], "cannot reach the server")
    counts = outbox.counts()
    assert (counts.pending, counts.in_flight, counts.sent, counts.failed) == (2, 0, 0, 0)
    assert [record.state for i in (waiting, held) if (record := outbox.get(i))] == [PENDING, PENDING]
    assert outbox.get(sent) is None


def test_an_outbox_of_an_older_kiosk_gets_the_time_of_the_last_try(tmp_path: Path, clock: Clock) -> None:
    data = tmp_path / "data"
    data.mkdir()
    with sqlite3.connect(data / DATABASE_NAME) as older:  # as the kiosk of issue 5 left it: a record backing off
        older.executescript(OUTBOX_SCHEMA.replace("    tried_at REAL NOT NULL DEFAULT 0,\n", ""))
        older.execute(
            "INSERT INTO outbox (id, kind, payload, attempts, next_attempt_at, created_at) VALUES ('r1', 'rating', '{}', 3, ?, 0)",
            (clock().timestamp() + BACKOFF_CAP_SECONDS,),
        )
    older.close()
    database = open_database(data)
    try:
        outbox = Outbox(database, clock)
        assert [r.id for r in outbox.claim(RATING)] == ["r1"]  # due at once, once
        outbox.retry_later(["r1"], "cannot reach the server")
        clock.advance(-HOUR)
        assert [r.id for r in outbox.claim(RATING)] == ["r1"]
    finally:
        database.close()


@pytest.fixture
def services(tmp_path: Path) -> Iterator[tuple[KioskServices, Clock]]:
    """The kiosk's real services on the sample content, numbering on its own, on a clock the test moves."""
    ini = tmp_path / "kiosk.ini"
    ini.write_text(
        f"[kiosk]\nid = kiosk-jump\ncontent_dir = {SAMPLE_CONTENT_DIR}\ndata_dir = data\n[printer]\ntype = file\npreview = no\n",
        encoding="utf-8",
    )
    clock = Clock(TUESDAY_MORNING)
    made = make_services(load_config(ini), clock)
    yield made, clock
    made.feedback.outbox.db.close()


def test_ticket_numbers_and_complaint_receipts_are_never_given_twice_on_a_day_when_the_clock_jumps(
    services: tuple[KioskServices, Clock],
) -> None:
    made, clock = services
    tickets, feedback = made.tickets, made.feedback

    def take_and_file() -> tuple[str, str, str]:
        ticket = tickets.take("consultation")
        complaint = feedback.complain(feedback.new_draft(), "suggestion", "environment", [])
        return str(ticket.day), ticket.label, complaint.receipt

    given = [take_and_file(), take_and_file()]
    clock.now -= dt.timedelta(days=1)  # NTP sets back a clock that ran a day ahead: Monday morning again
    given.append(take_and_file())
    clock.now = TUESDAY_MORNING + dt.timedelta(minutes=5)  # and the day after it is Tuesday again
    given.append(take_and_file())

    assert [(day, label) for day, label, _ in given] == [("2026-11-24", f"A00{n}") for n in range(1, 5)], "numbering never goes back a day"
    receipts = [receipt for _, _, receipt in given]
    assert receipts == [
        "20261124-kiosk-jump-001",
        "20261124-kiosk-jump-002",
        "20261123-kiosk-jump-001",  # Monday's first: no other complaint was filed on Monday
        "20261124-kiosk-jump-003",
    ]
    ledger = tickets.book.ledger(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert [key for key, count in Counter((row.day, row.label) for row in ledger).items() if count > 1] == []
