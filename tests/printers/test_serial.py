"""A serial printer on a real pseudo-terminal pair: the test answers DLE EOT on the master side.
A stalled port makes the write time out; nothing ever blocks for good."""

from __future__ import annotations

import os
import select
import time

import pytest

from printers.printer import Printer
from printers.settings import PrinterSettings
from printers.status import PrinterState
from tests.printers import fake_printer as fake
from tests.printers.conftest import STATUS_TIMEOUT, TIMEOUT

QUERIES = b"\x10\x04\x01\x10\x04\x02\x10\x04\x04"
JOB = b"\x1b@" + "法律援助 A001\n".encode("gbk") + b"\x1dVB\x00"
BIG_JOB = bytes(range(256)) * 400  # 100 KB: far more than a pseudo-terminal buffers
BOUND = 5.0
PtyPair = tuple[int, int, str]


def serial_settings(device: str, **keys: object) -> PrinterSettings:
    values: dict[str, object] = {"timeout": TIMEOUT, "status_timeout": STATUS_TIMEOUT, "baudrate": 115200, **keys}
    return PrinterSettings(type="serial", device=device, **values)  # type: ignore[arg-type]


def drain(fd: int, limit: float = 2.0) -> bytes:
    """Everything readable on ``fd`` now (bounded in time)."""
    out = b""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and select.select([fd], [], [], 0.2)[0]:
        out += os.read(fd, 65536)
    return out


@pytest.mark.parametrize("flow_control", ["none", "rtscts", "xonxoff"])
def test_ok_serial_printer_prints_and_confirms(pty_pair: PtyPair, flow_control: str) -> None:
    master, _slave, device = pty_pair
    with fake.FakeSerialPrinter(master, fake.OK) as printer:
        outcome = Printer(serial_settings(device, flow_control=flow_control)).send(JOB)
    assert outcome.printed
    assert outcome.status.state is PrinterState.READY
    assert printer.data() == QUERIES + JOB + QUERIES


def test_paper_out_sends_nothing_but_the_questions(pty_pair: PtyPair) -> None:
    master, _slave, device = pty_pair
    with fake.FakeSerialPrinter(master, fake.NO_PAPER) as printer:
        outcome = Printer(serial_settings(device)).send(JOB)
    assert not outcome.printed
    assert outcome.status.state is PrinterState.PAPER_OUT
    assert printer.data() == QUERIES


def test_a_silent_serial_printer_is_no_answer_quickly(pty_pair: PtyPair) -> None:
    master, _slave, device = pty_pair
    with fake.FakeSerialPrinter(master, fake.SILENT) as printer:
        started = time.monotonic()
        outcome = Printer(serial_settings(device)).send(JOB)
        elapsed = time.monotonic() - started
    assert not outcome.printed
    assert outcome.status.state is PrinterState.NO_ANSWER
    assert elapsed < BOUND
    assert printer.data() == b"\x10\x04\x01"


def test_a_stalled_port_times_out_and_the_rest_of_the_job_is_dropped(pty_pair: PtyPair) -> None:
    """The printer answers its status, then takes no more data: the write gives up after
    write_timeout, the job is failed, and closing the port neither hangs nor leaves the rest of
    the job in the buffer to print later, after the kiosk said it failed."""
    master, _slave, device = pty_pair
    settings = serial_settings(device, timeout=0.5)
    with fake.FakeSerialPrinter(master, fake.OK, stall_after_queries=3) as printer:
        started = time.monotonic()
        outcome = Printer(settings).send(BIG_JOB)
        elapsed = time.monotonic() - started
        assert printer.stalled.is_set()
    assert not outcome.printed
    assert outcome.status.state is PrinterState.NO_ANSWER
    assert outcome.reason == "not printed: no_answer: the printer took no data for 0.5 s"
    assert elapsed < BOUND
    # The printer takes data again: what reaches it is at most what the kernel's line discipline
    # (4096 bytes) had already read, not the many kilobytes the kiosk had queued in the port.
    late = drain(master)
    assert len(late) <= 4096


def test_a_missing_device_is_disconnected(tmp_path: os.PathLike[str]) -> None:
    status = Printer(serial_settings(f"{tmp_path}/ttyUSB9")).status()
    assert status.state is PrinterState.DISCONNECTED
    assert status.detail.startswith(f"cannot open {tmp_path}/ttyUSB9: ")


def test_status_over_serial(pty_pair: PtyPair) -> None:
    master, _slave, device = pty_pair
    with fake.FakeSerialPrinter(master, fake.COVER_OPEN):
        status = Printer(serial_settings(device)).status()
    assert status.state is PrinterState.COVER_OPEN
