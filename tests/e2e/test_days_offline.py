"""The central server gone for three days (on a fast clock), then back as a real ``kiosk-server run``.

Meanwhile the kiosk keeps working: it numbers from its offline block and stores every rating and
complaint. Its outbox keeps everything (a daily prune forgets nothing that was not sent) and the
sync keeps trying: after each failed round nothing waits longer than 5 minutes of the clock. When
the server returns, one round of sync and one report deliver everything, each record once.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from kiosk.config import load_config
from kiosk.outbox import BACKOFF_CAP_SECONDS, PENDING
from kiosk.services import make_services
from kiosk.ticket import OFFLINE
from server.models import complaints, ratings, tickets
from tests.e2e.conftest import ServerProcess, rows_by_id, write_kiosk_ini
from tests.kiosk.feedback_helpers import Clock
from tests.server.center import register_test_kiosks_at

DAYS = 3
STEP_S = (60, 3600)  # the clock moves this much between two sync rounds (rounds of a sync_interval between are idle)
VISITOR_EVERY = 2  # rounds between two visitors
SERVICES = ("consultation", "legal_aid", "mediation")
ROUNDS_AFTER = 10  # a bound: a round sends its batches until none is due, so one should do


def test_three_days_without_the_server_lose_nothing_and_deliver_everything_once(tmp_path: Path, open_content: Path) -> None:
    seed = random.randrange(1_000_000)
    chance = random.Random(seed)
    db_url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    register_test_kiosks_at(db_url)
    server = ServerProcess(db_url, open_content)  # not started: the server is gone
    clock = Clock(dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=DAYS))  # ends at the server's now: nothing from the future
    config = load_config(write_kiosk_ini(tmp_path / "kiosk-01", open_content, server.url, pull_content="no"))
    services = make_services(config, now=clock)
    feedback, desk = services.feedback, services.tickets
    outbox, worker, reporter = feedback.outbox, feedback.worker, desk.reporter
    assert worker is not None and reporter is not None
    outbox.chance = random.Random(seed)

    rated: list[str] = []
    filed: dict[str, str] = {}  # id -> receipt
    issued: dict[str, tuple[str, str]] = {}  # id -> (day, label)
    end = clock.now + dt.timedelta(days=DAYS)
    day = clock.now.date()
    rounds = due_rounds = 0  # rounds since the first rating, at least 5 minutes after the one before
    step = 0.0
    while clock.now < end:
        rounds += 1
        if rated and step >= BACKOFF_CAP_SECONDS:
            due_rounds += 1
        if rounds % VISITOR_EVERY == 0:
            visitor = rounds // VISITOR_EVERY
            ticket = desk.take(SERVICES[visitor % len(SERVICES)])
            assert ticket.source == OFFLINE
            issued[ticket.id] = (ticket.day.isoformat(), ticket.label)
            if visitor % 3:
                rated.append(feedback.rate(feedback.new_draft(), "very_satisfied", ticket=feedback.ticket_from_issued(ticket)).id)
            else:
                complaint = feedback.complain(feedback.new_draft(), "complaint", "efficiency", ["long_wait"])
                filed[complaint.id] = complaint.receipt
        problem = worker.sync_once().problem
        assert "cannot reach the server" in problem, f"round {rounds} (seed {seed}): {problem}"
        now = clock.now.timestamp()
        latest = outbox.db.connection.execute("SELECT MAX(next_attempt_at) FROM outbox WHERE state = ?", (PENDING,)).fetchone()[0]
        assert latest is None or latest <= now + BACKOFF_CAP_SECONDS, f"a record waits longer than 5 minutes (seed {seed})"
        if clock.now.date() != day:  # what the kiosk does at each start: forget what was sent long ago
            day = clock.now.date()
            assert outbox.prune() == 0
        step = chance.uniform(*STEP_S)
        clock.advance(step)

    counts = outbox.counts()
    assert (counts.pending + counts.in_flight, counts.sent, counts.failed) == (len(rated) + len(filed), 0, 0), f"seed {seed}"
    first = outbox.get(rated[0])
    assert first is not None and first.attempts >= due_rounds > DAYS * 24, "a round that was due did not try again"
    assert len(desk.book.unreported()[0]) == len(issued)

    server.start()
    try:
        clock.advance(BACKOFF_CAP_SECONDS)  # at most 5 minutes later every record is due again
        for _ in range(ROUNDS_AFTER):
            if worker.sync_once().problem == "" and outbox.waiting() == 0:
                break
        reporter.report_now()
        assert worker.sync_once(due_only=False).sent == 0  # again: nothing more to send
        assert reporter.report_now() is None
        counts = outbox.counts()
        assert (counts.sent, counts.pending + counts.in_flight, counts.failed) == (len(rated) + len(filed), 0, 0), f"seed {seed}"
        assert desk.book.unreported() == ([], [])
    finally:
        server.stop()
        outbox.db.close()

    assert set(rows_by_id(db_url, ratings)) == set(rated), f"seed {seed}"
    assert {i: row["receipt"] for i, row in rows_by_id(db_url, complaints).items()} == filed, f"seed {seed}"
    stored_tickets = rows_by_id(db_url, tickets)
    assert {i: (row["day"], row["label"]) for i, row in stored_tickets.items()} == issued, f"seed {seed}"
    assert {row["source"] for row in stored_tickets.values()} == {OFFLINE}
