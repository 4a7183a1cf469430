"""The printer's real-time status (``DLE EOT n``), read and validated by us.

python-escpos 3.1 reads "no reply" as "paper OK"; here a reply counts only when it is one byte
with the fixed bits ESC/POS promises (bits 0 and 7 clear, bits 1 and 4 set), and no reply is
its own state. Paper out, paper near its end, cover open, offline, no answer and connection lost
are told apart, so the kiosk can say the right thing to a visitor and to staff.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Protocol

ASK_PRINTER = b"\x10\x04\x01"  # DLE EOT 1: printer status (bit 3: offline)
ASK_OFFLINE_CAUSE = b"\x10\x04\x02"  # DLE EOT 2: bit 2 cover open, bit 5 stopped for paper, bit 6 error
ASK_PAPER = b"\x10\x04\x04"  # DLE EOT 4: bits 2-3 paper near end, bits 5-6 paper out


class PrinterState(str, Enum):
    READY = "ready"
    PAPER_NEAR_END = "paper_near_end"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"
    NO_ANSWER = "no_answer"
    DISCONNECTED = "disconnected"
    NO_STATUS = "no_status"  # output to a file: written is all we can know
    NOT_CONFIGURED = "not_configured"

    @property
    def can_print(self) -> bool:
        return self in (PrinterState.READY, PrinterState.PAPER_NEAR_END, PrinterState.NO_STATUS)


@dataclass(frozen=True)
class PrinterStatus:
    state: PrinterState
    detail: str = ""

    @property
    def can_print(self) -> bool:
        return self.state.can_print

    def __str__(self) -> str:
        return f"{self.state.value}: {self.detail}" if self.detail else self.state.value


class Asker(Protocol):
    def ask(self, query: bytes, timeout: float) -> bytes | None: ...


def valid_reply(reply: bytes | None) -> int | None:
    """The status byte, or None when the reply is missing or not a status byte."""
    if reply is None or len(reply) != 1:
        return None
    byte = reply[0]
    if (byte & 0x81) == 0 and (byte & 0x12) == 0x12:
        return byte
    return None


def read_status(connection: Asker, timeout: float) -> PrinterStatus:
    """Ask the three status questions and say what the printer is doing."""
    replies: dict[bytes, int] = {}
    for query in (ASK_PRINTER, ASK_OFFLINE_CAUSE, ASK_PAPER):
        reply = connection.ask(query, timeout)
        byte = valid_reply(reply)
        if byte is None:
            what = "no reply" if not reply else f"an invalid reply {reply.hex(' ')}"
            return PrinterStatus(PrinterState.NO_ANSWER, f"{what} to status query {query.hex(' ')} within {timeout:g} s")
        replies[query] = byte
    return interpret(replies[ASK_PRINTER], replies[ASK_OFFLINE_CAUSE], replies[ASK_PAPER])


def interpret(printer: int, offline_cause: int, paper: int) -> PrinterStatus:
    """The state from the three validated status bytes, most urgent first."""
    if offline_cause & 0x04:
        return PrinterStatus(PrinterState.COVER_OPEN, "the cover is open")
    if paper & 0x60 or offline_cause & 0x20:
        return PrinterStatus(PrinterState.PAPER_OUT, "the paper roll is empty")
    if offline_cause & 0x40:
        return PrinterStatus(PrinterState.OFFLINE, "the printer reports an error (cutter or head)")
    if printer & 0x08:
        return PrinterStatus(PrinterState.OFFLINE, "the printer is offline")
    if paper & 0x0C:
        return PrinterStatus(PrinterState.PAPER_NEAR_END, "the paper roll is nearly empty")
    return PrinterStatus(PrinterState.READY)
