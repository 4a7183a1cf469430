"""Faults between the kiosk and the central server, with real processes on 127.0.0.1.

The kiosk process is killed with SIGKILL at random moments while citizens rate and complain and its
sync worker sends, and the ``kiosk-server run`` process is stopped and started again in between: at
the end the server holds exactly the records the kiosk confirmed (no fewer, no more, each once).
A server that answers 500 and then does not answer at all loses nothing, and the kiosk waits
longer after each failed try.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from kiosk.config import load_config
from kiosk.database import open_database
from kiosk.feedback import BAD_LEVELS
from kiosk.outbox import COMPLAINT, PENDING, RATING, SENT, Outbox, Record
from kiosk.paths import PROJECT_DIR
from kiosk.services import make_services
from server.models import complaints, follow_ups, kiosks, ratings
from tests.e2e.conftest import ServerProcess, rows_by_id, server_rows, write_kiosk_ini
from tests.server.center import Clock

KILLS = 5  # the server is stopped and started again during the 2nd and the 5th
RUN_S = (0.5, 2.5)  # each kiosk process lives this long, start-up included, before SIGKILL
RESTART_EVERY = 3  # the server stops during every third run, at a random moment, and starts after the kill
RECORDS_PER_RUN = 100_000  # more than a run makes before it is killed
PAUSE_MS = 10  # between two citizens' records
WAIT_S = 20.0
KIOSK = Path(sys.executable).parent / "kiosk"


@dataclass(frozen=True)
class OutboxRow:
    kind: str
    state: str
    payload: dict[str, Any]


def start_kiosk(config: Path, records: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "tests.e2e.feedback_child", str(config), str(records), str(PAUSE_MS)]
    return subprocess.Popen(command, cwd=PROJECT_DIR, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def sleep_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.monotonic()))


def confirmed_lines(out: bytes) -> dict[str, str]:
    """The records a kiosk process confirmed, id -> kind; the last piece has no newline yet: never confirmed."""
    found = {}
    for line in out.decode().split("\n")[:-1]:
        if line not in ("ready", "done"):
            kind, record_id = line.split(" ")
            found[record_id] = kind
    return found


def run_and_kill(config: Path, server: ServerProcess, lifetime: float, stop_server_at: float | None) -> dict[str, str]:
    """One life of the kiosk process, ended by SIGKILL after ``lifetime`` s; the server stopped
    ``stop_server_at`` s into it (and started again after the kill). Returns what it confirmed."""
    started = time.monotonic()
    child = start_kiosk(config, RECORDS_PER_RUN)
    try:
        if stop_server_at is not None:
            sleep_until(started + stop_server_at)
            server.stop()
        sleep_until(started + lifetime)
        child.send_signal(signal.SIGKILL)
        out, err = child.communicate(timeout=WAIT_S)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate(timeout=WAIT_S)
        if stop_server_at is not None:
            server.start()
    assert child.returncode == -signal.SIGKILL, f"the kiosk process ended on its own ({child.returncode}): {err.decode()[-500:]}"
    return confirmed_lines(out)


def outbox_rows(data_dir: Path) -> dict[str, OutboxRow]:
    database = open_database(data_dir)
    try:
        rows = database.connection.execute("SELECT id, kind, state, payload FROM outbox").fetchall()
    finally:
        database.close()
    return {row["id"]: OutboxRow(row["kind"], row["state"], json.loads(row["payload"])) for row in rows}


def test_killed_kiosk_and_restarted_server_end_with_exactly_the_confirmed_records(
    tmp_path: Path, open_content: Path, server_process: ServerProcess, db_url: str
) -> None:
    seed = random.randrange(1_000_000)
    chance = random.Random(seed)
    config = write_kiosk_ini(tmp_path / "kiosk-01", open_content, server_process.url, sync_interval="1")
    confirmed: dict[str, str] = {}
    for run in range(KILLS):
        lifetime = chance.uniform(*RUN_S)
        stop_server_at = chance.uniform(0, lifetime) if run % RESTART_EVERY == 1 else None
        confirmed.update(run_and_kill(config, server_process, lifetime, stop_server_at))
    assert len(confirmed) > 4 * KILLS, f"too few records to prove anything (seed {seed})"

    last = start_kiosk(config, 0)  # started and stopped as the app does: what a kill left in flight is pending again
    out, err = last.communicate(b"\n", timeout=WAIT_S)
    assert (last.returncode, out.decode().split()) == (0, ["ready", "done"]), err.decode()[-500:]
    sent_by_workers = sum(row.state == SENT for row in outbox_rows(config.parent / "data").values())
    assert sent_by_workers > 0, f"the sync workers delivered nothing while the kiosk ran (seed {seed})"
    flush = subprocess.run([str(KIOSK), "sync", "--config", str(config)], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=60)
    assert (flush.returncode, flush.stderr) == (0, ""), f"seed {seed}: {flush.stdout} {flush.stderr}"
    assert flush.stdout.endswith(", pending 0, failed 0\n")

    kept = outbox_rows(config.parent / "data")
    assert {row.state for row in kept.values()} == {SENT}
    stored_ratings, stored_complaints = rows_by_id(db_url, ratings), rows_by_id(db_url, complaints)
    assert set(stored_ratings) == {i for i, row in kept.items() if row.kind == RATING}, f"seed {seed}"
    assert set(stored_complaints) == {i for i, row in kept.items() if row.kind == COMPLAINT}, f"seed {seed}"
    stored = {**{i: RATING for i in stored_ratings}, **{i: COMPLAINT for i in stored_complaints}}
    assert [i for i, kind in confirmed.items() if stored.get(i) != kind] == [], f"confirmed but not on the server (seed {seed})"
    never_confirmed = set(stored) - set(confirmed)
    assert len(never_confirmed) <= KILLS, f"stored, never confirmed, more than one per kill (seed {seed})"

    assert all(stored_ratings[i]["level"] == kept[i].payload["level"] for i in stored_ratings)
    assert all(stored_complaints[i]["receipt"] == kept[i].payload["receipt"] for i in stored_complaints), "a receipt number used twice"
    follow = {(row["record_kind"], row["record_id"]) for row in server_rows(db_url, follow_ups)}
    bad = {(RATING, i) for i, row in stored_ratings.items() if row["level"] in BAD_LEVELS}
    assert follow == bad | {(COMPLAINT, i) for i in stored_complaints}


# ----- a server that fails for a while


REFUSE = {  # the server's database refuses new complaints, so the server answers them with HTTP 500
    "sqlite": ["CREATE TRIGGER refuse_complaints BEFORE INSERT ON complaints BEGIN SELECT RAISE(ABORT, 'the disk is full'); END"],
    "postgresql": [
        "CREATE FUNCTION refuse_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the disk is full'; END $$",
        "CREATE TRIGGER refuse_complaints BEFORE INSERT ON complaints FOR EACH ROW EXECUTE FUNCTION refuse_insert()",
    ],
}
ACCEPT = {"sqlite": ["DROP TRIGGER refuse_complaints"], "postgresql": ["DROP TRIGGER refuse_complaints ON complaints"]}


def run_sql(db_url: str, statements: dict[str, list[str]]) -> None:
    engine = create_engine(db_url)
    try:
        with engine.begin() as connection:
            for statement in statements[engine.dialect.name]:
                connection.execute(text(statement))
    finally:
        engine.dispose()


@pytest.fixture
def clock() -> Clock:
    """The kiosk's clock, moved by the test to the moment a retry is due (the server keeps its own)."""
    return Clock(dt.datetime.now(dt.timezone.utc))


def test_a_failing_server_loses_nothing_and_the_kiosk_waits_longer_each_time(
    tmp_path: Path, open_content: Path, server_process: ServerProcess, db_url: str, clock: Clock
) -> None:
    services = make_services(load_config(write_kiosk_ini(tmp_path / "kiosk-01", open_content, server_process.url)), now=clock)
    desk = services.feedback
    outbox, worker = desk.outbox, desk.worker
    assert worker is not None
    outbox.chance = random.Random(5)  # the jitter, fixed so that the waits below are always the same
    rated = desk.rate(desk.new_draft(), "very_dissatisfied", ["attitude"], "13812345678")
    filed = [desk.complain(desk.new_draft(), "complaint", "attitude", ["rude"]), desk.complain(desk.new_draft(), "suggestion", "other", [])]
    ids = [complaint.id for complaint in filed]

    def kept() -> list[Record]:
        records = [outbox.get(i) for i in ids]
        assert all(record is not None for record in records)
        return [record for record in records if record is not None]

    def next_try() -> float:
        row = outbox.db.connection.execute("SELECT MAX(next_attempt_at) FROM outbox WHERE state = ?", (PENDING,)).fetchone()
        return float(row[0])

    def fail_once(expected: str, server_up: bool) -> float:
        """A round that fails on the complaints; returns how long the kiosk now waits."""
        tried_at = clock.now.timestamp()
        attempts = kept()[0].attempts
        assert worker.sync_once().problem.startswith(expected)
        assert [(r.state, r.attempts) for r in kept()] == [(PENDING, attempts + 1)] * 2
        assert all(r.error.startswith(expected) for r in kept())
        wait = next_try() - tried_at
        assert 0 <= wait <= 2.0 * 2**attempts  # full jitter under a ceiling that doubles: 2 s, 4 s, 8 s ...
        clock.now += dt.timedelta(seconds=wait / 2)  # half way: not due yet, so not sent again
        assert worker.drain().sent == 0
        assert (worker.heartbeat() == "") == server_up  # a server that is up hears what waits
        assert [r.attempts for r in kept()] == [attempts + 1] * 2
        clock.now = dt.datetime.fromtimestamp(next_try(), dt.timezone.utc) + dt.timedelta(milliseconds=1)  # due (a clock has microseconds)
        return wait

    run_sql(db_url, REFUSE)
    waits = [fail_once(f"{server_process.url}/api/v1/complaints: HTTP 500 server_error", True) for _ in range(4)]
    assert [row["id"] for row in server_rows(db_url, ratings)] == [rated.id]  # the ratings went through meanwhile
    fleet = rows_by_id(db_url, kiosks)["kiosk-01"]
    assert fleet["outbox_depth"] == 2  # the heartbeats of the rounds that waited

    server_process.stop()
    waits += [fail_once(f"{server_process.url}/api/v1/complaints: cannot reach the server", False) for _ in range(2)]
    assert waits == sorted(waits) and waits[-1] > 2 * 2**3  # each wait longer than the last (the jitter's seed fixes them)
    run_sql(db_url, ACCEPT)
    server_process.start()

    assert worker.sync_once().sent == 2
    assert [r.state for r in kept()] == [SENT, SENT]
    stored = rows_by_id(db_url, complaints)
    assert {i: row["receipt"] for i, row in stored.items()} == {c.id: c.receipt for c in filed}
    assert len(server_rows(db_url, follow_ups)) == 3  # the bad rating and both complaints, once each
    fleet = rows_by_id(db_url, kiosks)["kiosk-01"]
    assert fleet["outbox_depth"] == 0
    assert Outbox(outbox.db).counts().last_error == ""
    outbox.db.close()
