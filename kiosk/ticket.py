"""A queue ticket as the visitor holds it, and the reasons a ticket can be refused.

Made by the kiosk's own ledger (:mod:`kiosk.ticket_book`) or by the central server; shown on the
screen and printed by :mod:`printers.receipts`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Where the number came from.
SERVER, LOCAL, OFFLINE = "server", "local", "offline"
# Why no ticket was issued.
CLOSED, FULL, USED_UP = "closed", "full", "used_up"
UNKNOWN_APPOINTMENT, APPOINTMENT_USED, APPOINTMENT_OTHER_DAY, APPOINTMENT_MISSED = (
    "unknown_appointment",
    "appointment_used",
    "appointment_other_day",
    "appointment_missed",
)
# Appointment check-in needs the central server (or an appointments file) and has neither now.
APPOINTMENTS_UNAVAILABLE = "appointments_unavailable"
# Another kiosk of the center already uses this kiosk's [server] offline_block: staff must fix kiosk.ini.
BLOCK_TAKEN = "block_taken"
# The refusals the central server answers with (409 and one of these codes).
SERVER_REFUSALS = (
    CLOSED,
    FULL,
    USED_UP,
    UNKNOWN_APPOINTMENT,
    APPOINTMENT_USED,
    APPOINTMENT_OTHER_DAY,
    APPOINTMENT_MISSED,
    BLOCK_TAKEN,
)


@dataclass(frozen=True)
class Ticket:
    id: str  # a UUID made by the kiosk that asked for it
    label: str  # what is printed and called, e.g. "A001"
    prefix: str
    number: int
    day: dt.date  # the numbering day (local to the center)
    service_id: str
    category: str  # kiosk.queue_rules.CATEGORIES
    priority_kind: str | None  # kiosk.queue_rules.PRIORITY_KINDS for the green channel
    appointment_code: str | None
    issued_at: dt.datetime  # timezone-aware
    kiosk_id: str
    source: str  # SERVER, LOCAL or OFFLINE
    ahead: int | None  # people ahead in this queue; None when the kiosk cannot know
    wait_minutes: float | None  # estimated wait; None when there is no basis (暂无估计)


class TicketRefused(Exception):
    """No ticket: the service is closed, its daily cap is reached, or an appointment code fails."""

    def __init__(self, reason: str, next_open: dt.datetime | None = None, detail: str = "") -> None:
        super().__init__(detail or reason)
        self.reason = reason
        self.next_open = next_open  # local time the service opens again, when known
