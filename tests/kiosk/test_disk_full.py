"""The disk nearly full: a kiosk process whose files may not grow (RLIMIT_FSIZE, as a full disk)
refuses ratings, complaints and tickets calmly (one line, nothing confirmed), keeps every record
it confirmed, leaves a database that passes ``PRAGMA integrity_check``, starts again on the full
disk, and stores again once space is freed. A database that refuses writes neither leaves a
print unanswered nor stops the sync thread."""

from __future__ import annotations

import datetime as dt
import random
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.database import Database, open_database
from kiosk.outbox import RATING, SENT, Outbox
from kiosk.paths import PROJECT_DIR, SAMPLE_CONTENT_DIR
from kiosk.server_session import ServerAccess
from kiosk.sync_client import SyncClient
from kiosk.sync_worker import SyncWorker
from kiosk.ticket_book import TicketBook
from printers.journal import QUEUED, PrintJournal
from printers.printer import Printer
from printers.receipt import Receipt, TextLine
from printers.settings import PrinterSettings
from printers.spooler import JobResult, Spooler
from printers.status import PrinterState
from tests.kiosk.feedback_helpers import Clock
from tests.kiosk.feedback_server import KIOSK_ID, TOKEN, feedback_server

MARGINS = (
    64 * 1024,
    512 * 1024,
)  # what the files may still grow by (a few to some dozens of records): the disk fills at another write each run
CHILD_TIMEOUT = 120.0
WAIT = 10.0
DISK_WORDS = ("database or disk is full", "disk I/O error")


def write_ini(folder: Path) -> Path:
    path = folder / "kiosk.ini"
    path.write_text(
        f"[kiosk]\nid = kiosk-full\ncontent_dir = {SAMPLE_CONTENT_DIR}\ndata_dir = data\n"
        "[printer]\ntype = file\npath = printer-output.bin\npreview = no\n",
        encoding="utf-8",
    )
    return path


def run_child(config: Path, margin: int) -> tuple[list[str], str]:
    child = subprocess.run(
        [sys.executable, "-m", "tests.kiosk.disk_full_child", str(config), str(margin)],
        cwd=PROJECT_DIR,
        capture_output=True,
        timeout=CHILD_TIMEOUT,
    )
    err = child.stderr.decode()
    assert child.returncode == 0, f"the child failed ({child.returncode}, margin {margin}): {err[-2000:]}"
    return child.stdout.decode().splitlines(), err


def test_a_full_disk_refuses_calmly_keeps_what_was_confirmed_and_recovers(tmp_path: Path) -> None:
    margin = random.randrange(*MARGINS)
    seen = f"margin {margin} bytes"
    lines, err = run_child(write_ini(tmp_path), margin)
    assert "Traceback" not in err, f"{seen}: {err[-2000:]}"  # every failure was handled where it happened, threads too
    for marker in ("ready", "full", "restarted", "after", "done"):
        assert marker in lines, f"the child never said {marker!r} ({seen})"
    full, after = lines.index("full"), lines.index("after")
    words = [line.split(" ") for line in lines]
    refusals = [line.split(" ", 2) for line in lines[:full] if line.startswith("refused ")]
    assert {kind for _, kind, _ in refusals} == {"rating", "complaint", "ticket"}, seen
    for _, kind, message in refusals:  # one line naming the disk; ratings and complaints as the screens' NotStored
        assert message.startswith("OperationalError: " if kind == "ticket" else "NotStored: "), f"{seen}: {message}"
        assert any(word in message for word in DISK_WORDS), f"{seen}: {message}"
    assert [w for w in words if w[0] == "print-hung"] == [], f"a print never answered ({seen})"
    assert [w[0] for w in words[after + 1 :]] == ["rating", "complaint", "ticket", "printed", "done"], f"space was freed, yet: {seen}"
    assert words[-2][2] == "yes"

    ratings = [w[1] for w in words if w[0] == "rating"]
    complaints = {w[1]: w[2] for w in words if w[0] == "complaint"}
    tickets = {w[1]: (w[2], w[3]) for w in words if w[0] == "ticket"}
    database = open_database(tmp_path / "data")
    try:
        assert [tuple(row) for row in database.connection.execute("PRAGMA integrity_check")] == [("ok",)], seen
        outbox = Outbox(database)
        assert [i for i in ratings if (record := outbox.get(i)) is None or record.kind != RATING] == [], f"confirmed, not stored ({seen})"
        receipts = dict(database.connection.execute("SELECT id, receipt FROM complaint_receipts").fetchall())
        assert {i: receipts.get(i) for i in complaints} == complaints, seen
        assert [i for i in complaints if outbox.get(i) is None] == [], seen
        book = TicketBook(database, "kiosk-full")
        ledger = {row.id: (row.day.isoformat(), row.label) for row in book.ledger(dt.date(2000, 1, 1), dt.date(2100, 1, 1))}
        assert {i: ledger.get(i) for i in tickets} == tickets, seen
        assert [key for key, count in Counter(ledger.values()).items() if count > 1] == [], f"one number twice on one day ({seen})"
    finally:
        database.close()


# ----- a database that refuses every write (PRAGMA query_only: SQLite's own refusal, at once)


def wait_until(done: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT
    while not done():
        assert time.monotonic() < deadline, "still not so after the bound"
        time.sleep(0.02)


def refusing_writes(database: Database, refuse: bool) -> None:
    with database.lock:
        database.connection.execute(f"PRAGMA query_only = {'ON' if refuse else 'OFF'}")


def test_a_journal_that_cannot_record_a_job_prints_nothing_and_still_answers(tmp_path: Path) -> None:
    database = open_database(tmp_path / "data")
    output = tmp_path / "out.bin"
    journal = PrintJournal(database)
    spooler = Spooler(Printer(PrinterSettings(type="file", path=output)), journal, lambda receipt: b"A001\n")
    spooler.start()
    gate, busy, answered = threading.Event(), threading.Event(), threading.Event()
    answers: list[JobResult] = []

    def hold(_status: object) -> None:  # keeps the printer thread busy until the gate opens
        busy.set()
        gate.wait(WAIT)

    def done(result: JobResult) -> None:
        answers.append(result)
        answered.set()

    spooler.ask_status(hold)
    try:
        assert busy.wait(WAIT)
        job_id = spooler.submit(Receipt("ticket", "A001", 48, (TextLine("A001"),), {}), done)  # journalled
        refusing_writes(database, True)  # then the disk fills, before the printer thread gets to it
        gate.set()
        assert answered.wait(WAIT), "the printer thread never answered"
    finally:
        gate.set()
        spooler.stop()
        refusing_writes(database, False)
    [result] = answers
    assert not result.printed and result.outcome.status.state is PrinterState.OFFLINE
    assert result.outcome.reason.startswith("not printed: offline: the kiosk cannot record print jobs: ")
    assert output.read_bytes() == b""  # not a byte printed that the journal could not record (the status question opened it)
    assert journal.get(job_id).state == QUEUED  # as it was: the next start reports it not printed
    database.close()


def test_a_job_the_journal_cannot_take_is_answered_as_not_printed(tmp_path: Path) -> None:
    database = open_database(tmp_path / "data")
    output = tmp_path / "out.bin"
    spooler = Spooler(Printer(PrinterSettings(type="file", path=output)), PrintJournal(database), lambda receipt: b"A001\n")
    spooler.start()
    answered = threading.Event()
    answers: list[JobResult] = []

    def done(result: JobResult) -> None:
        answers.append(result)
        answered.set()

    refusing_writes(database, True)  # the disk is full before the visitor taps Print
    try:
        job_id = spooler.submit(Receipt("checklist", "legal_aid", 48, (TextLine("legal_aid"),), {}), done)
        assert answered.wait(WAIT), "the screen would say 'printing' for ever"
    finally:
        spooler.stop()
        refusing_writes(database, False)
    [result] = answers
    assert job_id == 0 and not result.printed and result.outcome.status.state is PrinterState.OFFLINE
    assert result.outcome.reason.startswith("not printed: offline: the kiosk cannot record print jobs: ")
    assert not output.exists() or output.read_bytes() == b""
    database.close()


def test_the_sync_thread_outlives_a_database_that_refuses_writes(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    database = open_database(tmp_path / "data")
    outbox = Outbox(database, Clock(), random.Random(3))
    record_id = str(uuid.uuid4())
    outbox.add(RATING, record_id, {"id": record_id, "created_at": "2026-11-21T10:15:00+08:00", "level": "satisfied", "reasons": []})
    refusing_writes(database, True)
    with feedback_server() as server:
        worker = SyncWorker(outbox, SyncClient(server.url, KIOSK_ID, ServerAccess(TOKEN)), 0.05)
        worker.start()
        try:
            wait_until(lambda: any(r.name == "kiosk.sync_worker" and r.levelname == "ERROR" for r in caplog.records))
            assert record_id not in server.stored  # the round failed: the rating could not even be claimed
            refusing_writes(database, False)  # space was freed
            worker.wake()
            assert server.received.wait(WAIT), "the sync thread stopped when the database refused a write"
        finally:
            worker.stop()
    record = outbox.get(record_id)
    assert record is not None and record.state == SENT
    database.close()
