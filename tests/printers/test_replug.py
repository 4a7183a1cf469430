"""A printer unplugged and plugged back, over the network (a listener on 127.0.0.1 that goes away
and comes back on the same port) and over serial (a pseudo-terminal closed, and a new one linked
at the same device path, as udev links a USB-serial adapter plugged in again).

The kiosk opens the printer afresh for each job and each status question, so nothing of the old
link is kept: while unplugged the state is offline (the heartbeat's word) and a job fails at once,
nothing sent; plugged back, the state is ok again and the next job prints. A job that failed is
never printed by itself later (its visitor was told and may be gone): staff print it again from
the admin screen, and it prints once.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import tty
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kiosk.database import Database
from kiosk.health import printer_word
from printers.journal import PRINTED, PrintJournal
from printers.printer import Printer
from printers.receipt import Receipt, TextLine
from printers.settings import PrinterSettings
from printers.spooler import JobResult, Spooler
from printers.status import PrinterStatus
from tests.printers import fake_printer as fake
from tests.printers.conftest import STATUS_TIMEOUT, TIMEOUT

WAIT = 5.0
FIRST, WHILE_UNPLUGGED, AFTER = (Receipt("ticket", f"A00{n}", 48, (TextLine(f"A00{n}"),), {}) for n in (1, 2, 3))


def encode(receipt: Receipt) -> bytes:
    return f"[{receipt.title}]".encode()


class Answers:
    """What the printer thread answers, one at a time."""

    def __init__(self) -> None:
        self.got: list[JobResult | PrinterStatus] = []
        self.came = threading.Event()

    def __call__(self, answer: JobResult | PrinterStatus) -> None:
        self.got.append(answer)
        self.came.set()

    def next(self) -> JobResult | PrinterStatus:
        assert self.came.wait(WAIT), "the printer thread did not answer"
        self.came.clear()
        return self.got[-1]


def state(spooler: Spooler, answers: Answers) -> str:
    """The printer's state as the heartbeat says it, asked through the printer thread."""
    spooler.ask_status(answers)
    status = answers.next()
    assert isinstance(status, PrinterStatus)
    return printer_word(status)


def job(submit: Callable[[Answers], object], answers: Answers) -> JobResult:
    submit(answers)
    result = answers.next()
    assert isinstance(result, JobResult)
    return result


@contextmanager
def running(settings: PrinterSettings, database: Database) -> Iterator[tuple[Spooler, PrintJournal]]:
    journal = PrintJournal(database)
    spooler = Spooler(Printer(settings), journal, encode, lambda: dt.datetime(2026, 11, 24, 10, 15))
    spooler.start()
    try:
        yield spooler, journal
    finally:
        spooler.stop()


def unplug_and_replug(spooler: Spooler, journal: PrintJournal, unplug: Callable[[], None], replug: Callable[[], None]) -> int:
    """The common story: a job, the printer gone, a job while gone, the printer back, a reprint
    of the failed job and a new one. Returns the failed job's id."""
    answers = Answers()
    assert state(spooler, answers) == "ok"
    assert job(lambda done: spooler.submit(FIRST, done), answers).printed
    unplug()
    assert state(spooler, answers) == "offline"
    failed = job(lambda done: spooler.submit(WHILE_UNPLUGGED, done), answers)
    assert not failed.printed and printer_word(failed.outcome.status) == "offline"
    replug()
    assert state(spooler, answers) == "ok"
    assert job(lambda done: spooler.submit(AFTER, done), answers).printed  # the next visitor's ticket prints
    assert job(lambda done: spooler.reprint(failed.job_id, done), answers).printed  # staff reprint the failed one
    assert journal.counts()[PRINTED] == 3 and journal.get(failed.job_id).attempts == 2
    return failed.job_id


def test_a_network_printer_switched_off_and_on_again(database: Database) -> None:
    first = fake.FakeNetworkPrinter(fake.OK)
    first.thread.start()
    settings = PrinterSettings(type="network", host=first.host, port=first.port, timeout=TIMEOUT, status_timeout=STATUS_TIMEOUT)
    back: list[fake.FakeNetworkPrinter] = []

    def replug() -> None:
        printer = fake.FakeNetworkPrinter(fake.OK, port=first.port)
        printer.thread.start()
        back.append(printer)

    try:
        with running(settings, database) as (spooler, journal):
            unplug_and_replug(spooler, journal, first.stop, replug)
    finally:
        first.stop()
        for printer in back:
            printer.stop()
    assert first.job_bytes() == b"[A001]"
    assert back[0].job_bytes() == b"[A003][A002]"  # each once, nothing of the time it was gone


class SerialLink:
    """A pseudo-terminal played by a fake serial printer, reached through a symlink as udev makes one."""

    def __init__(self, link: Path) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.master)
        tty.setraw(self.slave)
        link.unlink(missing_ok=True)
        link.symlink_to(os.ttyname(self.slave))
        self.link = link
        self.printer = fake.FakeSerialPrinter(self.master, fake.OK)
        self.printer.thread.start()
        self.plugged = True

    def pull_out(self) -> None:
        """The adapter is pulled: its device and its link disappear."""
        if not self.plugged:
            return
        self.plugged = False
        self.printer.stop()
        os.close(self.master)
        os.close(self.slave)
        self.link.unlink(missing_ok=True)


def test_a_serial_printer_unplugged_and_plugged_back_at_the_same_device_path(database: Database, tmp_path: Path) -> None:
    device = tmp_path / "kiosk-printer"
    links = [SerialLink(device)]
    settings = PrinterSettings(type="serial", device=str(device), baudrate=115200, timeout=TIMEOUT, status_timeout=STATUS_TIMEOUT)
    try:
        with running(settings, database) as (spooler, journal):
            unplug_and_replug(spooler, journal, links[0].pull_out, lambda: links.append(SerialLink(device)))
        assert links[1].printer.job_bytes() == b"[A003][A002]"
    finally:
        for link in links:
            link.pull_out()
    assert links[0].printer.job_bytes() == b"[A001]"
