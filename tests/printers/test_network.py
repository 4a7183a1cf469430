"""A network printer played by a TCP listener on 127.0.0.1: a job counts as printed only when
the printer confirmed it; a silent, paperless or vanished printer is told apart, quickly."""

from __future__ import annotations

import socket
import time

import pytest

from printers.printer import Printer
from printers.settings import PrinterSettings
from printers.status import PrinterState
from tests.printers import fake_printer as fake
from tests.printers.conftest import STATUS_TIMEOUT, TIMEOUT

QUERIES = b"\x10\x04\x01\x10\x04\x02\x10\x04\x04"
JOB = b"\x1b@" + "法律援助 A001\n".encode("gbk") + bytes(range(0x20, 0x80)) * 40 + b"\x1dVB\x00"
BOUND = 5.0  # seconds: far above status_timeout, far below the write timeout (TIMEOUT)


def network(printer: fake.FakeNetworkPrinter, **keys: object) -> PrinterSettings:
    values: dict[str, object] = {"timeout": TIMEOUT, "status_timeout": STATUS_TIMEOUT, **keys}
    return PrinterSettings(type="network", host=printer.host, port=printer.port, **values)  # type: ignore[arg-type]


def test_ok_printer_gets_the_job_and_confirms_it() -> None:
    with fake.FakeNetworkPrinter(fake.OK) as printer:
        outcome = Printer(network(printer)).send(JOB)
    assert outcome.printed
    assert outcome.status.state is PrinterState.READY
    assert printer.data() == QUERIES + JOB + QUERIES  # status, the job, status again
    assert printer.connections == 1


def test_paper_near_end_still_prints_and_says_so() -> None:
    with fake.FakeNetworkPrinter(fake.NEAR_END) as printer:
        outcome = Printer(network(printer)).send(JOB)
    assert outcome.printed
    assert outcome.status.state is PrinterState.PAPER_NEAR_END
    assert printer.job_bytes() == JOB


@pytest.mark.parametrize(("replies", "state"), [(fake.NO_PAPER, PrinterState.PAPER_OUT), (fake.COVER_OPEN, PrinterState.COVER_OPEN)])
def test_a_printer_that_cannot_print_gets_only_status_queries(replies: fake.Replies, state: PrinterState) -> None:
    with fake.FakeNetworkPrinter(replies) as printer:
        outcome = Printer(network(printer)).send(JOB)
    assert not outcome.printed
    assert outcome.status.state is state
    assert outcome.reason.startswith(f"not sent: {state.value}: ")
    assert printer.data() == QUERIES


def test_a_silent_printer_is_no_answer_quickly() -> None:
    with fake.FakeNetworkPrinter(fake.SILENT) as printer:
        started = time.monotonic()
        outcome = Printer(network(printer)).send(JOB)
        elapsed = time.monotonic() - started
        status = Printer(network(printer)).status()
    assert not outcome.printed
    assert outcome.status.state is PrinterState.NO_ANSWER
    assert "no reply to status query 10 04 01" in outcome.reason
    assert elapsed < BOUND
    assert printer.data() == b"\x10\x04\x01" * 2  # one question per attempt; the job never went
    assert status.state is PrinterState.NO_ANSWER


def test_invalid_status_bytes_are_no_answer() -> None:
    with fake.FakeNetworkPrinter({1: b"\xff", 2: b"\x12", 4: b"\x12"}) as printer:
        outcome = Printer(network(printer)).send(JOB)
    assert not outcome.printed
    assert outcome.status.state is PrinterState.NO_ANSWER
    assert "invalid reply ff" in outcome.status.detail
    assert printer.job_bytes() == b""


def test_a_printer_that_hangs_up_during_the_job_is_not_printed() -> None:
    big_job = JOB * 20
    with fake.FakeNetworkPrinter(fake.OK, hang_up_after=len(QUERIES) + 500) as printer:
        started = time.monotonic()
        outcome = Printer(network(printer)).send(big_job)
        elapsed = time.monotonic() - started
        assert printer.hung_up.wait(BOUND)
    assert not outcome.printed
    assert outcome.status.state is PrinterState.DISCONNECTED
    assert outcome.reason.startswith("not printed: disconnected: ")
    assert elapsed < BOUND
    assert len(printer.job_bytes()) == 500


def test_a_printer_that_hangs_up_right_after_the_job_is_not_confirmed() -> None:
    """The writes "succeed" (the bytes are in the kernel), but nobody is there: not printed."""
    with fake.FakeNetworkPrinter(fake.OK, hang_up_after=len(QUERIES) + len(JOB)) as printer:
        outcome = Printer(network(printer)).send(JOB)
    assert not outcome.printed
    assert outcome.status.state is PrinterState.DISCONNECTED
    assert printer.job_bytes() == JOB


def test_nobody_listening_is_disconnected() -> None:
    with socket.create_server(("127.0.0.1", 0)) as spare:
        port = spare.getsockname()[1]
    settings = PrinterSettings(type="network", host="127.0.0.1", port=port, timeout=TIMEOUT, status_timeout=STATUS_TIMEOUT)
    status = Printer(settings).status()
    assert status.state is PrinterState.DISCONNECTED
    assert status.detail.startswith(f"cannot connect to 127.0.0.1:{port}: ")
    outcome = Printer(settings).send(JOB)
    assert not outcome.printed and outcome.status.state is PrinterState.DISCONNECTED


def test_status_of_a_ready_printer() -> None:
    with fake.FakeNetworkPrinter(fake.OK) as printer:
        status = Printer(network(printer)).status()
    assert status.state is PrinterState.READY
    assert printer.data() == QUERIES
