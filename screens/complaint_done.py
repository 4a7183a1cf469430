"""投诉建议, the result: shown only after the core has stored the complaint on disk. Its receipt
number large, a QR code to add the details on a phone (a kiosk has no Chinese input), a button
to print the receipt with its outcome, and the call-back phone masked.

``params``: ``complaint`` (the StoredComplaint the core returned).
"""

from __future__ import annotations

import logging
from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from kiosk.feedback_desk import FeedbackDesk, StoredComplaint
from printers.spooler import JobResult
from printers.status import PrinterState
from screens.common import GREEN, KioskScreen
from screens.pictures import texture_of
from screens.ticket_number import square_qr

NAVY = (0.08, 0.20, 0.40, 1)
HOME_AFTER_S = 60  # seconds without a touch before the kiosk goes home: time to scan and to print
DONE_GUARD_S = 1.5  # Done ignores a tap this soon: the second half of a double tap on Submit
PROBLEM_COLOR = (0.60, 0.25, 0.05, 1)
log = logging.getLogger(__name__)


class ComplaintDoneScreen(KioskScreen):
    receipt = StringProperty("")
    phone_masked = StringProperty("")
    printed_once = BooleanProperty(False)  # the print button then offers another copy
    complaint: StoredComplaint | None = None
    outcome: tuple[str, str, Any] = ("", "", NAVY)  # the words' key, the printer state's, and their colour
    printing = False
    request = 0  # counts print requests: the outcome of an earlier visitor's is not shown
    shown_at = 0.0

    @property
    def desk(self) -> FeedbackDesk:
        return self.app.services.feedback

    def refresh(self) -> None:
        app = self.app
        complaint: StoredComplaint | None = self.params.get("complaint")
        if complaint is None:
            return
        if self.complaint is None or complaint.id != self.complaint.id:
            self.forget()
            self.complaint = complaint
            self.shown_at = app.services.monotonic()
            self.receipt = complaint.receipt
            self.phone_masked = complaint.phone_masked or ""
        self.show_outcome(*self.outcome)  # in the language now chosen
        url = self.desk.complaint_url(complaint.id)
        if self.ids.qr.texture is None and url:
            self.ids.qr.texture = texture_of(square_qr(url))
        app.go_home_after(HOME_AFTER_S)

    def print_receipt(self) -> None:
        """One tap, one receipt: the button waits while the printer works."""
        app = self.app
        if self.complaint is None or self.printing:
            return
        if not app.services.printing.printer.configured:
            self.show_outcome("complaint_no_printer", "", PROBLEM_COLOR)
            return
        self.printing = True
        self.ids.print.disabled = True
        self.show_outcome("complaint_printing")
        self.request += 1
        request = self.request
        on_done = app.on_main_thread(lambda result: self.printed(request, result))
        try:
            self.desk.print_complaint_receipt(self.complaint, app.language, on_done)
        except Exception:  # noqa: BLE001 - the complaint stands even when its receipt cannot be made
            log.exception("cannot print the receipt of complaint %s", self.complaint.receipt)
            self.printing = False
            self.ids.print.disabled = False
            self.show_outcome("complaint_print_failed", PrinterState.OFFLINE.value, PROBLEM_COLOR)

    def printed(self, request: int, result: JobResult) -> None:
        """On the screen's thread when the printer is done with the receipt."""
        if request != self.request:
            return  # the visitor has moved on; the journal has the outcome
        self.printing = False
        self.ids.print.disabled = False
        if result.printed:
            self.printed_once = True
            self.show_outcome("complaint_printed", "", GREEN)
            return
        self.show_outcome("complaint_print_failed", PrinterState(result.outcome.status.state).value, PROBLEM_COLOR)

    def show_outcome(self, key: str, state: str = "", color: Any = NAVY) -> None:
        """What became of the print: ``key`` of the words, with the printer's ``state`` as the reason."""
        app = self.app
        self.outcome = (key, state, color)
        reason = app.tr(app.language, f"printer_state_{state}") if state else ""
        self.ids.outcome.text = app.tr(app.language, key, reason=reason) if key else ""
        self.ids.outcome.color = color

    def done(self) -> None:
        if self.app.services.monotonic() - self.shown_at >= DONE_GUARD_S:
            self.app.home()

    def release(self) -> None:
        self.ids.qr.texture = None

    def forget(self) -> None:
        self.request += 1
        self.complaint = None
        self.printing = False
        self.printed_once = False
        self.receipt = ""
        self.phone_masked = ""
        self.outcome = ("", "", NAVY)
        self.ids.qr.texture = None
        self.ids.print.disabled = False
        self.ids.outcome.text = ""

    def reset(self) -> None:
        self.forget()
