"""Killing the kiosk with SIGKILL at any moment while it issues tickets: 50 kills at random
moments, each restart on the same data folder. No number is given twice on one day, the numbers
have no gaps, and every number the screen showed is in the ledger."""

from __future__ import annotations

import datetime as dt
import random
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from kiosk.database import open_database
from kiosk.paths import PROJECT_DIR
from kiosk.ticket_book import PENDING, TicketBook
from tests.kiosk.issue_child import KIOSK_ID, RULES

KILLS = 50
RUN_MS = (20, 300)  # each child lives this long, start-up included, before SIGKILL
WAIT_TIMEOUT = 10.0


def run_and_kill(data_dir: Path, lifetime: float) -> list[tuple[str, str, str]]:
    """Start a child on ``data_dir``, kill it after ``lifetime`` seconds; the (id, day, label) it showed."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.kiosk.issue_child", str(data_dir)],
        cwd=PROJECT_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        time.sleep(lifetime)
        child.send_signal(signal.SIGKILL)
        out, err = child.communicate(timeout=WAIT_TIMEOUT)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL, f"the child ended on its own ({child.returncode}): {err.decode()[-500:]}"
    shown = []
    for line in out.decode().split("\n")[:-1]:  # the last piece has no newline yet: never shown
        if line != "ready":
            ticket_id, day, label = line.split(" ")
            shown.append((ticket_id, day, label))
    return shown


def test_kill_9_while_issuing_never_duplicates_or_loses_a_number(tmp_path: Path) -> None:
    seed = random.randrange(1_000_000)
    chance = random.Random(seed)
    data_dir = tmp_path / "data"
    shown: list[tuple[str, str, str]] = []
    for _ in range(KILLS):
        shown += run_and_kill(data_dir, chance.uniform(*RUN_MS) / 1000)
    assert len(shown) > KILLS, f"too few tickets issued to prove anything (seed {seed})"

    database = open_database(data_dir)
    try:
        book = TicketBook(database, KIOSK_ID)
        book.recover()
        rows = book.ledger(dt.date(2000, 1, 1), dt.date(2100, 1, 1))
    finally:
        database.close()
    stored = {row.id: (row.day.isoformat(), row.label) for row in rows}
    missing = [ticket for ticket in shown if stored.get(ticket[0]) != (ticket[1], ticket[2])]
    assert missing == [], f"shown but not in the ledger (seed {seed})"
    repeated = [key for key, count in Counter((row.day, row.label) for row in rows).items() if count > 1]
    assert repeated == [], f"one number twice on one day (seed {seed})"
    by_range: defaultdict[tuple[dt.date, str, bool], list[int]] = defaultdict(list)
    for row in rows:
        number = int(row.label[1:])
        by_range[(row.day, row.label[0], number > RULES.shared_ceiling())].append(number)
    for (day, prefix, offline), numbers in by_range.items():
        first = RULES.offline_block(1).start if offline else 1
        assert sorted(numbers) == list(range(first, first + len(numbers))), f"gap in {prefix} on {day} (seed {seed})"
    assert [row.label for row in rows if row.print_state == PENDING] == [], "recover() left a print pending"
