"""The outbox of ratings and complaints: stored once per id, claimed in batches under a lease, put
back with a bounded backoff or the server's Retry-After, kept as failed when refused alone, and
never losing a confirmed record to a restart or to kill -9."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from kiosk.database import Database, open_database
from kiosk.outbox import (
    BACKOFF_CAP_SECONDS,
    COMPLAINT,
    FAILED,
    IN_FLIGHT,
    LEASE_SECONDS,
    PENDING,
    RATING,
    RETRY_AFTER_CAP_SECONDS,
    SENT,
    Outbox,
    backoff_seconds,
)
from kiosk.paths import PROJECT_DIR
from tests.kiosk.feedback_helpers import Clock

KILLS = 20
RUN_MS = (0, 200)  # each child stores records this long before SIGKILL
WAIT_TIMEOUT = 10.0


def rating(record_id: str, level: str = "satisfied") -> dict[str, object]:
    return {"id": record_id, "created_at": "2026-11-21T10:15:00+08:00", "level": level, "reasons": [], "phone": None}


def add_ratings(outbox: Outbox, count: int) -> list[str]:
    ids = [str(uuid.uuid4()) for _ in range(count)]
    for record_id in ids:
        assert outbox.add(RATING, record_id, rating(record_id))
    return ids


def states(outbox: Outbox, ids: list[str]) -> list[str]:
    records = [outbox.get(record_id) for record_id in ids]
    return [record.state if record else "missing" for record in records]


# ----- adding


def test_adding_the_same_id_twice_stores_it_once_with_its_first_content(outbox: Outbox) -> None:
    record_id = str(uuid.uuid4())
    assert outbox.add(RATING, record_id, rating(record_id, "satisfied")) is True
    assert outbox.add(RATING, record_id, rating(record_id, "dissatisfied")) is False
    record = outbox.get(record_id)
    assert record is not None
    assert (record.kind, record.state, record.attempts, record.payload) == (RATING, PENDING, 0, rating(record_id, "satisfied"))
    assert outbox.counts().pending == 1


def test_a_record_survives_closing_and_reopening_the_database(tmp_path: Path) -> None:
    record_id = str(uuid.uuid4())
    first = open_database(tmp_path / "data")
    Outbox(first).add(COMPLAINT, record_id, {"id": record_id, "receipt": "20261121-kiosk-01-001", "presets": ["long_wait"]})
    first.close()
    again = open_database(tmp_path / "data")
    try:
        record = Outbox(again).get(record_id)
    finally:
        again.close()
    assert record is not None
    assert (record.kind, record.payload["presets"]) == (COMPLAINT, ["long_wait"])


def test_adding_inside_a_callers_transaction_commits_and_rolls_back_with_it(database: Database, outbox: Outbox) -> None:
    kept, dropped = str(uuid.uuid4()), str(uuid.uuid4())
    with database.lock:
        database.connection.execute("BEGIN IMMEDIATE")
        assert outbox.add_in_transaction(RATING, kept, rating(kept))
        database.connection.execute("COMMIT")
        database.connection.execute("BEGIN IMMEDIATE")
        assert outbox.add_in_transaction(RATING, dropped, rating(dropped))
        database.connection.execute("ROLLBACK")
    assert (outbox.get(kept) is not None, outbox.get(dropped)) == (True, None)
    with pytest.raises(RuntimeError, match="expected an open transaction, got none"):
        outbox.add_in_transaction(RATING, dropped, rating(dropped))
    with pytest.raises(ValueError, match="kind: expected one of rating, complaint, got 'note'"):
        outbox.add("note", dropped, {})


# ----- claiming, leases and recovery


def test_claims_take_the_oldest_records_of_one_kind_in_batches(outbox: Outbox) -> None:
    ids = add_ratings(outbox, 7)
    complaint_id = str(uuid.uuid4())
    outbox.add(COMPLAINT, complaint_id, {"id": complaint_id})
    first = outbox.claim(RATING, 3)
    second = outbox.claim(RATING, 3)
    third = outbox.claim(RATING, 3)
    assert [r.id for r in first] == ids[:3] and [r.id for r in second] == ids[3:6] and [r.id for r in third] == ids[6:]
    assert outbox.claim(RATING, 3) == []
    assert states(outbox, ids) == [IN_FLIGHT] * 7
    assert [r.id for r in outbox.claim(COMPLAINT)] == [complaint_id]
    counts = outbox.counts()
    assert (counts.pending, counts.in_flight, counts.sent, counts.failed) == (0, 8, 0, 0)


def test_a_lease_that_ran_out_gives_the_records_to_the_next_claim(outbox: Outbox, clock: Clock) -> None:
    ids = add_ratings(outbox, 2)
    assert len(outbox.claim(RATING)) == 2  # a sender that then died
    clock.advance(LEASE_SECONDS - 1)
    assert outbox.claim(RATING) == []  # still held
    clock.advance(2)
    assert [r.id for r in outbox.claim(RATING)] == ids


def test_a_clock_set_back_does_not_hold_a_lease_for_days(outbox: Outbox, clock: Clock) -> None:
    ids = add_ratings(outbox, 1)
    outbox.claim(RATING)
    clock.advance(-24 * 3600)
    assert [r.id for r in outbox.claim(RATING)] == ids


def test_start_up_puts_records_left_in_flight_back_to_pending(tmp_path: Path, clock: Clock) -> None:
    database = open_database(tmp_path / "data")
    ids = add_ratings(Outbox(database, clock), 3)
    Outbox(database, clock).claim(RATING)
    database.close()  # the kiosk stopped while sending
    database = open_database(tmp_path / "data")
    try:
        outbox = Outbox(database, clock)
        assert outbox.recover() == 3
        assert states(outbox, ids) == [PENDING] * 3
        assert [r.id for r in outbox.claim(RATING)] == ids
    finally:
        database.close()


def test_two_processes_never_claim_the_same_record(tmp_path: Path, clock: Clock) -> None:
    kiosk, command = open_database(tmp_path / "data"), open_database(tmp_path / "data")  # two connections, as two processes
    try:
        ids = add_ratings(Outbox(kiosk, clock), 10)
        by_kiosk = Outbox(kiosk, clock).claim(RATING, 4)
        by_command = Outbox(command, clock).claim(RATING)
        assert [r.id for r in by_kiosk] + [r.id for r in by_command] == ids
    finally:
        kiosk.close()
        command.close()


# ----- outcomes


def test_sent_records_stay_sent_and_the_time_of_the_sync_is_kept(outbox: Outbox, clock: Clock) -> None:
    ids = add_ratings(outbox, 3)
    outbox.claim(RATING)
    outbox.mark_sent(ids[:2])
    outbox.retry_later(ids, "no answer")  # a late failure of the same batch changes nothing sent
    assert states(outbox, ids) == [SENT, SENT, PENDING]
    counts = outbox.counts()
    assert (counts.pending, counts.sent, counts.last_sync) == (1, 2, clock().timestamp())


def test_a_sent_record_no_longer_holds_the_call_back_phone_on_the_kiosk(outbox: Outbox) -> None:
    """The phone is for the follow-up, which the center does from the server: once the server has
    it, the kiosk's copy goes; a record still waiting keeps it, or it could never be sent."""
    sent, waiting = str(uuid.uuid4()), str(uuid.uuid4())
    for record_id in (sent, waiting):
        assert outbox.add(RATING, record_id, {**rating(record_id, "dissatisfied"), "reasons": ["attitude"], "phone": "13812345678"})
    outbox.claim(RATING)
    outbox.mark_sent([sent])
    payloads = {record_id: record.payload for record_id in (sent, waiting) if (record := outbox.get(record_id))}
    assert payloads[sent] == {**rating(sent, "dissatisfied"), "reasons": ["attitude"], "phone": None}
    assert payloads[waiting]["phone"] == "13812345678"
    with outbox.db.lock:
        raw = b"".join(bytes(row[0], "utf-8") for row in outbox.db.connection.execute("SELECT payload FROM outbox"))
    assert raw.count(b"13812345678") == 1


def test_a_failed_try_waits_out_its_backoff_unless_everything_is_asked_for(outbox: Outbox, clock: Clock) -> None:
    [record_id] = add_ratings(outbox, 1)
    outbox.claim(RATING)
    delay = outbox.retry_later([record_id], "http://server/api/v1/ratings: cannot reach the server (ConnectionError)")
    assert 0 <= delay <= 2
    record = outbox.get(record_id)
    assert record is not None
    assert (record.state, record.attempts, record.error) == (
        PENDING,
        1,
        "http://server/api/v1/ratings: cannot reach the server (ConnectionError)",
    )
    if delay > 0.01:
        assert outbox.claim(RATING) == []
        assert [r.id for r in outbox.claim(RATING, due_only=False)] == [record_id]  # kiosk sync does not wait
        outbox.retry_later([record_id], "no answer")
    clock.advance(BACKOFF_CAP_SECONDS + 1)
    assert [r.id for r in outbox.claim(RATING)] == [record_id]


def test_the_servers_retry_after_is_honoured_and_bounded(outbox: Outbox, clock: Clock) -> None:
    first, second = add_ratings(outbox, 2)
    outbox.claim(RATING)
    assert outbox.retry_later([first], "HTTP 429", retry_after=120) == 120
    assert outbox.retry_later([second], "HTTP 429", retry_after=10**9) == RETRY_AFTER_CAP_SECONDS
    clock.advance(119)
    assert outbox.claim(RATING) == []
    clock.advance(1)
    assert [r.id for r in outbox.claim(RATING)] == [first]
    outbox.mark_sent([first])
    clock.advance(RETRY_AFTER_CAP_SECONDS - 121)
    assert outbox.claim(RATING) == []
    clock.advance(1)
    assert [r.id for r in outbox.claim(RATING)] == [second]


@pytest.mark.parametrize("attempts", [1, 2, 3, 5, 8, 9, 20, 1000])
def test_backoff_is_a_random_wait_up_to_a_doubling_ceiling_of_at_most_five_minutes(attempts: int) -> None:
    ceiling = min(300.0, 2.0 * 2 ** (attempts - 1))
    delays = [backoff_seconds(attempts, random.Random(seed)) for seed in range(300)]
    assert all(0 <= delay <= ceiling for delay in delays)
    assert max(delays) > 0.9 * ceiling and min(delays) < 0.1 * ceiling  # full jitter: the whole range is used


def test_each_failed_try_counts_and_raises_the_ceiling(outbox: Outbox, clock: Clock) -> None:
    [record_id] = add_ratings(outbox, 1)
    for attempt in range(1, 12):
        clock.advance(RETRY_AFTER_CAP_SECONDS + 1)
        assert [r.id for r in outbox.claim(RATING)] == [record_id]
        assert outbox.retry_later([record_id], "HTTP 503") <= min(300.0, 2.0 * 2 ** (attempt - 1))
    record = outbox.get(record_id)
    assert record is not None and record.attempts == 11


def test_a_record_refused_alone_is_kept_as_failed_and_never_sent_again(outbox: Outbox, clock: Clock) -> None:
    bad, good = add_ratings(outbox, 2)
    outbox.claim(RATING)
    outbox.mark_failed([bad], "HTTP 422 invalid: ratings.0.level: expected one of ..., got 'great'")
    outbox.retry_later([good], "no answer")
    clock.advance(RETRY_AFTER_CAP_SECONDS + 1)
    assert [r.id for r in outbox.claim(RATING, due_only=False)] == [good]
    record = outbox.get(bad)
    assert record is not None
    assert (record.state, record.error) == (FAILED, "HTTP 422 invalid: ratings.0.level: expected one of ..., got 'great'")
    assert outbox.counts().failed == 1


def test_the_last_error_is_one_line_until_cleared(outbox: Outbox) -> None:
    outbox.set_error("http://server/api/v1/ratings: HTTP 401 unauthorized:\nno token")
    assert outbox.counts().last_error == "http://server/api/v1/ratings: HTTP 401 unauthorized:\\nno token"
    outbox.set_error("")
    assert outbox.counts().last_error == ""


def test_sent_records_are_forgotten_after_90_days_and_waiting_ones_never(outbox: Outbox, clock: Clock) -> None:
    old, recent, waiting = add_ratings(outbox, 3)
    outbox.claim(RATING)
    outbox.mark_sent([old])
    clock.advance(2 * 24 * 3600)
    outbox.mark_sent([recent])
    outbox.retry_later([waiting], "no answer")
    clock.advance(89 * 24 * 3600)
    assert outbox.prune() == 1
    assert states(outbox, [old, recent, waiting]) == ["missing", SENT, PENDING]


# ----- kill -9


def run_and_kill(data_dir: Path, lifetime: float) -> list[str]:
    """Start a child on ``data_dir``, kill it ``lifetime`` seconds after it is ready; the ids it confirmed."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.kiosk.outbox_child", str(data_dir)], cwd=PROJECT_DIR, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == b"ready\n", "the child did not start"
        time.sleep(lifetime)
        child.send_signal(signal.SIGKILL)
        out, err = child.communicate(timeout=WAIT_TIMEOUT)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL, f"the child ended on its own ({child.returncode}): {err.decode()[-500:]}"
    return out.decode().split("\n")[:-1]  # the last piece has no newline: never confirmed


def test_kill_9_while_storing_never_loses_a_confirmed_record_nor_half_writes_one(tmp_path: Path) -> None:
    seed = random.randrange(1_000_000)
    chance = random.Random(seed)
    data_dir = tmp_path / "data"
    confirmed: list[str] = []
    for _ in range(KILLS):
        confirmed += run_and_kill(data_dir, chance.uniform(*RUN_MS) / 1000)
    assert len(confirmed) > KILLS, f"too few records stored to prove anything (seed {seed})"

    database = open_database(data_dir)
    try:
        assert database.connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        outbox = Outbox(database)
        outbox.recover()
        rows = database.connection.execute("SELECT id, kind, payload, state FROM outbox").fetchall()
    finally:
        database.close()
    stored = {row["id"]: row for row in rows}
    missing = [record_id for record_id in confirmed if record_id not in stored]
    assert missing == [], f"confirmed but not in the outbox (seed {seed})"
    for row in rows:
        payload = json.loads(row["payload"])  # whole JSON, or this raises
        assert (payload["id"], row["kind"], payload["level"]) == (row["id"], RATING, "very_dissatisfied")
    assert IN_FLIGHT not in {row["state"] for row in rows}, "recover() left a record in flight"
