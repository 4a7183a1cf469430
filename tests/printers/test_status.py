"""Status bytes: only a valid ESC/POS status byte counts, and each state is told apart."""

from __future__ import annotations

import pytest

from printers.status import ASK_OFFLINE_CAUSE, ASK_PAPER, ASK_PRINTER, PrinterState, PrinterStatus, interpret, read_status, valid_reply
from tests.printers import fake_printer as fake


@pytest.mark.parametrize("reply", [b"\x12", b"\x16", b"\x1e", b"\x32", b"\x72", b"\x7e"])
def test_valid_status_bytes(reply: bytes) -> None:
    assert valid_reply(reply) == reply[0]


@pytest.mark.parametrize(
    "reply",
    [None, b"", b"\x00", b"\xff", b"\x13", b"\x92", b"\x02", b"\x10", b"\x12\x12", b"\x16\x12"],
    ids=["none", "empty", "00", "ff", "bit0", "bit7", "no-bit4", "no-bit1", "two-bytes", "two-bytes-b"],
)
def test_invalid_replies(reply: bytes | None) -> None:
    assert valid_reply(reply) is None


@pytest.mark.parametrize(
    ("replies", "state", "can_print"),
    [
        (fake.OK, PrinterState.READY, True),
        (fake.NEAR_END, PrinterState.PAPER_NEAR_END, True),
        (fake.NO_PAPER, PrinterState.PAPER_OUT, False),
        (fake.COVER_OPEN, PrinterState.COVER_OPEN, False),
        ({1: b"\x1e", 2: b"\x12", 4: b"\x12"}, PrinterState.OFFLINE, False),  # offline, no cause given
        ({1: b"\x1e", 2: b"\x52", 4: b"\x12"}, PrinterState.OFFLINE, False),  # an error (cutter, head)
        ({1: b"\x16", 2: b"\x12", 4: b"\x72"}, PrinterState.PAPER_OUT, False),  # paper sensor alone
        ({1: b"\x1e", 2: b"\x36", 4: b"\x72"}, PrinterState.COVER_OPEN, False),  # cover open beats paper out
    ],
)
def test_interpret(replies: dict[int, bytes], state: PrinterState, can_print: bool) -> None:
    status = interpret(replies[1][0], replies[2][0], replies[4][0])
    assert status.state is state
    assert status.can_print is can_print
    assert state is PrinterState.READY or status.detail


class Scripted:
    """Answers the three questions from a table (None: no answer)."""

    def __init__(self, replies: dict[bytes, bytes | None]) -> None:
        self.replies = replies
        self.asked: list[bytes] = []

    def ask(self, query: bytes, timeout: float) -> bytes | None:
        self.asked.append(query)
        return self.replies.get(query)


def test_read_status_ready_asks_all_three() -> None:
    asker = Scripted({ASK_PRINTER: b"\x16", ASK_OFFLINE_CAUSE: b"\x12", ASK_PAPER: b"\x12"})
    assert read_status(asker, 0.3) == PrinterStatus(PrinterState.READY)
    assert asker.asked == [ASK_PRINTER, ASK_OFFLINE_CAUSE, ASK_PAPER]


def test_read_status_no_answer_stops_at_the_first_silence() -> None:
    asker = Scripted({})
    status = read_status(asker, 0.3)
    assert status.state is PrinterState.NO_ANSWER and not status.can_print
    assert status.detail == "no reply to status query 10 04 01 within 0.3 s"
    assert asker.asked == [ASK_PRINTER]


@pytest.mark.parametrize(("reply", "shown"), [(b"\x00", "00"), (b"\xff", "ff"), (b"\x12\x12", "12 12")])
def test_read_status_invalid_reply_is_no_answer_and_says_what_came(reply: bytes, shown: str) -> None:
    asker = Scripted({ASK_PRINTER: b"\x16", ASK_OFFLINE_CAUSE: reply, ASK_PAPER: b"\x12"})
    status = read_status(asker, 0.3)
    assert status.state is PrinterState.NO_ANSWER
    assert status.detail == f"an invalid reply {shown} to status query 10 04 02 within 0.3 s"
    assert str(status) == f"no_answer: {status.detail}"


def test_file_output_can_print_without_status() -> None:
    assert PrinterState.NO_STATUS.can_print
    assert not PrinterState.NOT_CONFIGURED.can_print and not PrinterState.DISCONNECTED.can_print
