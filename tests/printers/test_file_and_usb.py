"""Output to a file (bytes appended, job after job; a stalled device node times out) and USB
(each missing piece named in one plain message, never an exception out of status())."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import usb.backend.libusb0
import usb.backend.libusb1
from escpos.printer import Usb

from printers.connections import PrinterFault, make_connection
from printers.connections.usb import UsbConnection
from printers.printer import Printer
from printers.settings import PrinterSettings
from printers.status import PrinterState

JOB_1 = b"\x1b@\x1c&" + "第一张".encode("gbk") + b"\n\x1c."
JOB_2 = b"\x1b@\x1c&" + "第二张".encode("gbk") + b"\n\x1c."
LIBUSB = "USB printing needs libusb, which is not installed (apt install libusb-1.0-0)"
PYUSB = "USB printing needs pyusb, which is not installed (pip install pyusb)"


def test_file_jobs_are_appended(tmp_path: Path) -> None:
    path = tmp_path / "out" / "printer.bin"
    printer = Printer(PrinterSettings(type="file", path=path))
    first, second = printer.send(JOB_1), printer.send(JOB_2)
    assert first.printed and second.printed
    assert first.status.state is PrinterState.NO_STATUS
    assert path.read_bytes() == JOB_1 + JOB_2
    assert printer.status().state is PrinterState.NO_STATUS


def test_file_without_a_path_is_not_configured() -> None:
    outcome = Printer(PrinterSettings(type="file", path=None)).send(JOB_1)
    assert not outcome.printed
    assert outcome.status.state is PrinterState.NOT_CONFIGURED


def test_a_file_that_cannot_be_opened_is_disconnected(tmp_path: Path) -> None:
    outcome = Printer(PrinterSettings(type="file", path=tmp_path)).send(JOB_1)  # a folder
    assert not outcome.printed
    assert outcome.status.state is PrinterState.DISCONNECTED
    assert outcome.status.detail.startswith(f"cannot open {tmp_path}: ")


def test_a_stalled_device_node_times_out(tmp_path: Path) -> None:
    """A device node that stops taking data (a FIFO nobody reads) fails the job in about the timeout."""
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # there, but never reads
    try:
        started = time.monotonic()
        outcome = Printer(PrinterSettings(type="file", path=fifo, timeout=0.5)).send(b"x" * 1_000_000)
        elapsed = time.monotonic() - started
    finally:
        os.close(reader)
    assert not outcome.printed
    assert outcome.status.state is PrinterState.NO_ANSWER
    assert outcome.reason == f"not printed: no_answer: {fifo} took no data for 0.5 s"
    assert elapsed < 5.0


def test_type_none_is_not_configured() -> None:
    settings = PrinterSettings(type="none")
    printer = Printer(settings)
    assert not printer.configured
    assert printer.status().state is PrinterState.NOT_CONFIGURED
    outcome = printer.send(JOB_1)
    assert not outcome.printed and outcome.reason == "no printer is configured"
    with pytest.raises(PrinterFault, match="type = none"):
        make_connection(settings)


# ----- USB

USB_SETTINGS = PrinterSettings(type="usb", vendor_id=0x0416, product_id=0x5011, timeout=1.0)


def libusb_missing() -> bool:
    return usb.backend.libusb1.get_backend() is None and usb.backend.libusb0.get_backend() is None


@pytest.mark.skipif(not libusb_missing(), reason="libusb is installed here")
def test_usb_without_libusb_says_so() -> None:
    with pytest.raises(PrinterFault) as raised:
        UsbConnection(USB_SETTINGS).open()
    assert (raised.value.state, raised.value.detail) == ("disconnected", LIBUSB)
    status = Printer(USB_SETTINGS).status()
    assert (status.state, status.detail) == (PrinterState.DISCONNECTED, LIBUSB)
    outcome = Printer(USB_SETTINGS).send(JOB_1)
    assert not outcome.printed and outcome.reason == f"not printed: disconnected: {LIBUSB}"


def test_usb_without_pyusb_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    # python-escpos's own probe for pyusb (third-party availability check)
    monkeypatch.setattr(Usb, "is_usable", staticmethod(lambda: False))
    with pytest.raises(PrinterFault) as raised:
        UsbConnection(USB_SETTINGS).open()
    assert (raised.value.state, raised.value.detail) == ("disconnected", PYUSB)
    status = Printer(USB_SETTINGS).status()
    assert (status.state, status.detail) == (PrinterState.DISCONNECTED, PYUSB)
