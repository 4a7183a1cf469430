"""The visitor's new queue number, large enough to read from a few metres: the service, the green
channel or appointment, people ahead, the wait estimate (or 暂无估计), the ticket's QR code and
whether the ticket printed. The number is valid whether or not it printed. The screen returns
home by itself after ``ticket_show_seconds`` without a touch; a small button rates the service
of this ticket.

``params``: ``ticket`` (a :class:`kiosk.ticket.Ticket`, already on disk). Showing a ticket the
screen has not shown yet sends it to the printer.
"""

from __future__ import annotations

import logging

from kivy.properties import StringProperty
from PIL import Image

from kiosk.ticket import Ticket
from kiosk.ticket_desk import TicketDesk
from printers.qr import qr_image
from printers.spooler import JobResult
from screens.common import KioskScreen
from screens.pictures import texture_of
from screens.ticket_words import ahead_words, kind_words, ticket_wait_words

QR_DOTS = 384  # the receipt's module size; the screen shows the code square and scaled up
QR_SCALE = 2
DONE_GUARD_S = 2.0  # Done ignores a tap this soon: the second half of a double tap on a service
PRINTING, PRINTED, NOT_PRINTED = "printing", "printed", "not_printed"
OUTCOME_KEYS = {PRINTING: "number_printing", PRINTED: "number_printed", NOT_PRINTED: "number_print_failed"}
log = logging.getLogger(__name__)


def square_qr(url: str) -> Image.Image:
    """The ticket's QR code as on the slip, cut square around its quiet zone and enlarged with
    sharp edges, for a phone's camera at arm's length."""
    slip = qr_image(url, QR_DOTS)
    side = slip.height
    left = (slip.width - side) // 2
    square = slip.crop((left, 0, left + side, side))
    return square.resize((side * QR_SCALE, side * QR_SCALE), Image.Resampling.NEAREST)


class TicketNumberScreen(KioskScreen):
    print_state = StringProperty("")  # PRINTING, PRINTED or NOT_PRINTED
    ticket: Ticket | None = None
    shown_at = 0.0

    @property
    def desk(self) -> TicketDesk:
        return self.app.services.tickets

    def refresh(self) -> None:
        app = self.app
        ticket: Ticket | None = self.params.get("ticket")
        if ticket is None:
            return
        if self.ticket is None or ticket.id != self.ticket.id:
            self.ticket = ticket
            self.shown_at = app.services.monotonic()
            self.print_ticket(ticket)
        if self.ids.qr.texture is None:
            self.ids.qr.texture = texture_of(square_qr(self.desk.ticket_qr_url(ticket)))
        strings, language = app.services.strings, app.language
        self.ids.number.text = ticket.label
        self.ids.service.text = app.tc(language, app.content.service(ticket.service_id).name)
        self.ids.kind.text = kind_words(strings, language, ticket)
        self.ids.ahead.text = ahead_words(strings, language, ticket)
        self.ids.wait.text = ticket_wait_words(strings, language, ticket)
        app.go_home_after(app.ticket_show_seconds)

    def print_ticket(self, ticket: Ticket) -> None:
        app = self.app
        self.print_state = PRINTING
        try:
            self.desk.print_ticket(ticket, app.language, app.on_main_thread(self.printed))
        except Exception:  # noqa: BLE001 - the number stands even when its slip cannot be made
            log.exception("cannot print ticket %s", ticket.label)
            self.print_state = NOT_PRINTED

    def printed(self, result: JobResult) -> None:
        """On the screen's thread when the printer is done with the ticket."""
        if self.ticket is None or result.receipt.summary.get("ticket_id") != self.ticket.id:
            return  # an earlier visitor's ticket
        self.print_state = PRINTED if result.printed else NOT_PRINTED

    def outcome_text(self, language: str, state: str) -> str:
        return self.app.tr(language, OUTCOME_KEYS[state]) if state in OUTCOME_KEYS else ""

    def done(self) -> None:
        if self.app.services.monotonic() - self.shown_at >= DONE_GUARD_S:
            self.app.home()

    def rate(self) -> None:
        """服务评价 of this ticket (the same guard as Done against the end of a double tap)."""
        if self.ticket is not None and self.app.services.monotonic() - self.shown_at >= DONE_GUARD_S:
            self.app.rate_service(self.ticket)

    def release(self) -> None:
        """The picture goes; the ticket stays, so coming back from its rating prints nothing again."""
        self.ids.qr.texture = None

    def reset(self) -> None:
        self.release()
        self.ticket = None
        self.print_state = ""
