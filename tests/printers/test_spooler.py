"""The print journal and the printer thread: a job is on disk before it is printed, its state
says truthfully what happened, failed jobs can be printed again, and a crash leaves no job that
claims to be printing."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.content import Content
from kiosk.database import Database, open_database
from kiosk.i18n import Strings
from kiosk.printing import PREVIEW_FOLDER, PrintDesk
from printers.journal import FAILED, INTERRUPTED, NOT_STARTED, PRINTED, PRINTING, QUEUED, PrintJournal
from printers.printer import Printer
from printers.receipt import Receipt, TextLine
from printers.settings import PrinterSettings
from printers.spooler import JobResult, Spooler
from printers.status import PrinterState, PrinterStatus
from tests.printers import escpos_decode as dec
from tests.printers import fake_printer as fake
from tests.printers.conftest import STATUS_TIMEOUT, TIMEOUT, IniWriter, encoder_for

NOW = dt.datetime(2026, 3, 2, 9, 30)
WAIT = 5.0
RECEIPT = Receipt("ticket", "A001 法律援助", 48, (TextLine("A001", "center", big=True),), {"number": "A001"})


def clock() -> dt.datetime:
    return NOW


def network_settings(printer: fake.FakeNetworkPrinter) -> PrinterSettings:
    return PrinterSettings(type="network", host=printer.host, port=printer.port, timeout=TIMEOUT, status_timeout=STATUS_TIMEOUT)


class Results:
    """Collects on_done calls from the printer thread."""

    def __init__(self) -> None:
        self.results: list[JobResult] = []
        self.done = threading.Event()

    def __call__(self, result: JobResult) -> None:
        self.results.append(result)
        self.done.set()

    def wait(self) -> JobResult:
        assert self.done.wait(WAIT), "on_done was not called"
        self.done.clear()
        return self.results[-1]


def state_on_disk(database: Database, job_id: int) -> tuple[str, str]:
    """The job's state as another connection (another process) reads it from the file."""
    with sqlite3.connect(database.path) as other:
        row = other.execute("SELECT state, reason FROM print_jobs WHERE id = ?", (job_id,)).fetchone()
    return row[0], row[1]


def test_submit_journals_before_the_printer_thread_runs(database: Database, tmp_path: Path) -> None:
    journal = PrintJournal(database)
    settings = PrinterSettings(type="file", path=tmp_path / "out.bin")
    spooler = Spooler(Printer(settings), journal, encoder_for(settings).encode, clock)
    spooler.start()
    gate, busy = threading.Event(), threading.Event()

    def hold(status: PrinterStatus) -> None:  # keeps the printer thread busy until the gate opens
        busy.set()
        gate.wait(WAIT)

    spooler.ask_status(hold)
    try:
        assert busy.wait(WAIT)
        results = Results()
        job_id = spooler.submit(RECEIPT, results)
        assert state_on_disk(database, job_id) == (QUEUED, "")
        assert (tmp_path / "out.bin").read_bytes() == b""  # opened by the status question, nothing printed yet
    finally:
        gate.set()
    result = results.wait()
    assert result.job_id == job_id and result.printed and result.receipt == RECEIPT
    assert result.outcome.status.state is PrinterState.NO_STATUS
    assert state_on_disk(database, job_id) == (PRINTED, "")
    job = journal.get(job_id)
    assert (job.attempts, job.bytes) == (1, len((tmp_path / "out.bin").read_bytes()))
    assert dec.texts(dec.decode((tmp_path / "out.bin").read_bytes())) == ["A001"]
    thread = spooler.thread
    assert thread is not None
    spooler.stop()
    assert not thread.is_alive() and spooler.thread is None


def test_a_failed_job_is_printed_again_once_the_paper_is_in(database: Database) -> None:
    journal = PrintJournal(database)
    with fake.FakeNetworkPrinter(fake.NO_PAPER) as printer:
        settings = network_settings(printer)
        spooler = Spooler(Printer(settings), journal, encoder_for(settings).encode, clock)
        spooler.start()
        try:
            results = Results()
            job_id = spooler.submit(RECEIPT, results)
            first = results.wait()
            assert not first.printed
            assert first.outcome.status.state is PrinterState.PAPER_OUT
            state, reason = state_on_disk(database, job_id)
            assert state == FAILED
            assert reason == "not sent: paper_out: the paper roll is empty"
            assert printer.job_bytes() == b""  # only status questions went to the printer
            printer.replies = dict(fake.OK)  # staff put a new roll in
            spooler.reprint(job_id, results)
            second = results.wait()
        finally:
            spooler.stop()
    assert second.printed and second.job_id == job_id
    assert state_on_disk(database, job_id) == (PRINTED, "")
    assert journal.get(job_id).attempts == 2
    assert printer.job_bytes() == encoder_for(settings).encode(RECEIPT)
    assert journal.counts() == {QUEUED: 0, PRINTING: 0, PRINTED: 1, FAILED: 0}


def test_status_questions_go_through_the_printer_thread(database: Database) -> None:
    with fake.FakeNetworkPrinter(fake.COVER_OPEN) as printer:
        settings = network_settings(printer)
        spooler = Spooler(Printer(settings), PrintJournal(database), encoder_for(settings).encode, clock)
        spooler.start()
        got: list[PrinterStatus] = []
        done = threading.Event()

        def keep(status: PrinterStatus) -> None:
            got.append(status)
            done.set()

        spooler.ask_status(keep)
        assert done.wait(WAIT)
        spooler.stop()
    assert got[0].state is PrinterState.COVER_OPEN
    assert spooler.last_status.state is PrinterState.COVER_OPEN


def test_recover_after_a_crash_fails_what_was_printing_or_queued(tmp_path: Path) -> None:
    database = open_database(tmp_path / "data")
    journal = PrintJournal(database)
    printing, queued, printed = journal.add(RECEIPT, NOW), journal.add(RECEIPT, NOW), journal.add(RECEIPT, NOW)
    journal.start(printing, NOW)
    journal.start(printed, NOW)
    journal.printed(printed, 10, NOW)
    database.close()  # the kiosk stops here, without another word
    restarted = open_database(tmp_path / "data")
    try:
        later = NOW + dt.timedelta(minutes=5)
        assert PrintJournal(restarted).recover(later) == 2
        jobs = {job.id: job for job in PrintJournal(restarted).jobs()}
    finally:
        restarted.close()
    assert (jobs[printing].state, jobs[printing].reason) == (FAILED, INTERRUPTED)
    assert (jobs[queued].state, jobs[queued].reason) == (FAILED, NOT_STARTED)
    assert (jobs[printed].state, jobs[printed].reason) == (PRINTED, "")
    assert jobs[printing].updated_at == NOW + dt.timedelta(minutes=5)
    assert jobs[printing].receipt == RECEIPT  # kept whole for the reprint


def test_a_receipt_that_cannot_be_encoded_fails_alone(database: Database, tmp_path: Path) -> None:
    journal = PrintJournal(database)
    settings = PrinterSettings(type="file", path=tmp_path / "out.bin")

    def encode(receipt: Receipt) -> bytes:
        if receipt.kind == "broken":
            raise ValueError("no such font")
        return encoder_for(settings).encode(receipt)

    spooler = Spooler(Printer(settings), journal, encode, clock)
    spooler.start()
    results = Results()
    try:
        bad = spooler.submit(Receipt("broken", "x", 48, ()), results)
        assert not results.wait().printed
        good = spooler.submit(RECEIPT, results)
        assert results.wait().printed
    finally:
        spooler.stop()
    assert journal.get(bad).state == FAILED
    assert journal.get(bad).reason == "not printed: cannot encode the receipt (no such font)"
    assert journal.get(good).state == PRINTED


def test_a_driver_error_fails_the_job_and_still_calls_back(database: Database) -> None:
    """A host name the socket library refuses raises TypeError deep inside python-escpos: the job
    is failed with that reason and on_done still comes (the screen is never left waiting)."""
    journal = PrintJournal(database)
    settings = PrinterSettings(type="network", host="printer\x00", port=9100, timeout=TIMEOUT, status_timeout=STATUS_TIMEOUT)
    spooler = Spooler(Printer(settings), journal, encoder_for(settings).encode, clock)
    spooler.start()
    results = Results()
    try:
        job_id = spooler.submit(RECEIPT, results)
        result = results.wait()
    finally:
        spooler.stop()
    assert not result.printed
    assert result.outcome.status.state is PrinterState.DISCONNECTED
    assert journal.get(job_id).state == FAILED
    assert "TypeError" in journal.get(job_id).reason


# ----- the kiosk's printing desk


@pytest.fixture
def desk_for(write_ini: IniWriter, strings: Strings, database: Database) -> object:
    def make(**printer: object) -> PrintDesk:
        config = load_config(write_ini(**printer))
        return PrintDesk(config, strings, database, clock)

    return make


def test_print_now_through_a_network_printer(write_ini: IniWriter, strings: Strings, tmp_path: Path, content: Content) -> None:
    with fake.FakeNetworkPrinter(fake.OK) as printer:
        config = load_config(write_ini(type="network", host="127.0.0.1", port=printer.port, status_timeout=STATUS_TIMEOUT))
        database = open_database(config.data_dir)
        try:
            desk = PrintDesk(config, strings, database, clock)
            receipt = desk.checklist(content, "legal_aid", "zh_CN")
            result = desk.print_now(receipt)
            job = desk.journal.get(result.job_id)
        finally:
            database.close()
    assert result.printed
    assert (job.state, job.bytes) == (PRINTED, len(printer.job_bytes()))
    assert dec.texts(dec.decode(printer.job_bytes()))[0] == "一次性告知单"
    assert [qr.data for qr in dec.qr_codes(dec.decode(printer.job_bytes()))] == ["https://kiosk.example.org/checklist/legal_aid"]
    previews = list((tmp_path / "data" / PREVIEW_FOLDER).glob("*-checklist.png"))
    assert len(previews) == 1  # preview = yes by default: the job's picture is kept


def test_print_now_to_a_silent_printer_is_failed_with_the_reason(write_ini: IniWriter, strings: Strings, content: Content) -> None:
    with fake.FakeNetworkPrinter(fake.SILENT) as printer:
        config = load_config(write_ini(type="network", host="127.0.0.1", port=printer.port, status_timeout=STATUS_TIMEOUT, preview="no"))
        database = open_database(config.data_dir)
        try:
            desk = PrintDesk(config, strings, database, clock)
            result = desk.print_now(desk.test_page(content, "en"))
            job = desk.journal.get(result.job_id)
        finally:
            database.close()
    assert not result.printed
    assert result.outcome.status.state is PrinterState.NO_ANSWER
    assert job.state == FAILED and job.reason.startswith("not sent: no_answer: no reply to status query 10 04 01")
    assert not (config.data_dir / PREVIEW_FOLDER).exists()


def test_the_desk_draws_rare_characters_with_the_kiosk_font(write_ini: IniWriter, strings: Strings, database: Database) -> None:
    """A name outside GBK (刘䶮) is printed as a picture; with a configured full font (the kiosk's
    own, which `kiosk check` verified) the two rare characters are real glyphs, not two equal
    missing-glyph boxes from the bundled subset."""
    from tests.printers.conftest import SYSTEM_FONT

    path = write_ini()
    path.write_text(path.read_text(encoding="utf-8") + f"\n[display]\nfont = {SYSTEM_FONT}\n", encoding="utf-8")
    desk = PrintDesk(load_config(path), strings, database, clock)
    first, second = (desk.renderer.line_image(TextLine(char)) for char in ("䶮", "𠮷"))
    assert first.getbbox() is not None
    assert not dec.same_pixels(first, second)
