"""The one-time notification checklist (一次性告知单) of one service: the visitor sees the slip as
it will print, taps Print, and is told plainly whether it came out. When it cannot print, the
screen shows the checklist's QR code so the visitor can keep it on a phone."""

from __future__ import annotations

from typing import Any

from kiosk.printing import PrintDesk
from printers.qr import qr_image
from printers.receipt import Receipt
from printers.spooler import JobResult
from printers.status import PrinterState
from screens.common import GREEN, KioskScreen
from screens.pictures import texture_of

QR_DOTS = 300
REPEAT_GUARD_S = 3.0  # a second tap this soon after Print is the same wish, not a second copy


class ChecklistScreen(KioskScreen):
    receipt: Receipt | None = None
    job_id: int | None = None
    asked_at: float | None = None

    @property
    def desk(self) -> PrintDesk:
        return self.app.services.printing

    def refresh(self) -> None:
        app = self.app
        service_id = self.params.get("service_id", "")
        if self.unchanged(app.content.version, app.language, service_id, app.pt):
            return
        self.receipt = self.desk.checklist(app.content, service_id, app.language)
        self.ids.title.text = app.tc(app.language, app.content.service(service_id).name)
        self.ids.paper.texture = texture_of(self.desk.preview(self.receipt))
        self.ids.scroll.scroll_y = 1
        self.job_id = None
        self.show_outcome("", None)
        self.ids.print.text = app.tr(app.language, "checklist_print")
        self.ids.print.disabled = False

    def print_checklist(self) -> None:
        app = self.app
        now = app.services.monotonic()
        if self.receipt is None or self.job_id is not None:
            return  # a second tap while printing prints nothing more
        if self.asked_at is not None and now - self.asked_at < REPEAT_GUARD_S:
            return
        self.asked_at = now
        if not self.desk.printer.configured:
            self.show_outcome(app.tr(app.language, "print_no_printer"), self.receipt.summary.get("qr"))
            return
        self.ids.print.disabled = True
        self.show_outcome(app.tr(app.language, "checklist_printing"), None)
        self.job_id = self.desk.submit(self.receipt, app.on_main_thread(self.printed))

    def printed(self, result: JobResult) -> None:
        """Called on the screen's thread when the printer thread is done with the job."""
        if result.job_id != self.job_id:
            return  # the visitor has moved on; the journal has the outcome
        app = self.app
        self.job_id = None
        self.ids.print.disabled = False
        if result.printed:
            self.ids.print.text = app.tr(app.language, "checklist_print_again")
            self.show_outcome(app.tr(app.language, "checklist_printed"), None, GREEN)
            return
        reason = app.tr(app.language, f"printer_state_{PrinterState(result.outcome.status.state).value}")
        self.show_outcome(app.tr(app.language, "print_failed", reason=reason), result.receipt.summary.get("qr"))

    def show_outcome(self, text: str, qr: str | None, color: Any = (0.70, 0.15, 0.10, 1)) -> None:
        self.ids.outcome.text = text
        self.ids.outcome.color = color
        self.ids.qr.texture = texture_of(qr_image(qr, QR_DOTS)) if qr else None
        self.ids.qr.opacity = 1 if qr else 0

    def release(self) -> None:
        self.ids.paper.texture = None
        self.ids.qr.texture = None
        self.receipt = None

    def reset(self) -> None:
        self.job_id = None
        self.asked_at = None
