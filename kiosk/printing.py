"""The kiosk's printing desk: makes receipts from the content in use, keeps a PNG preview of
each job, and hands jobs to the printer thread. Used by the app and by ``kiosk print``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from kiosk.config import KioskConfig
from kiosk.content import Content
from kiosk.database import Database
from kiosk.i18n import Strings
from kiosk.paths import BUNDLED_BOLD_FONT, BUNDLED_FONT
from kiosk.ticket import Ticket
from printers.encoder import ReceiptEncoder
from printers.journal import PrintJournal
from printers.preview import PaperRenderer
from printers.printer import Printer
from printers.receipt import Receipt
from printers.receipts import ReceiptWriter, TicketFacts
from printers.spooler import JobCallback, JobResult, Spooler

PREVIEW_FOLDER = "print-previews"
PREVIEWS_KEPT = 200


class PrintDesk:
    def __init__(self, config: KioskConfig, strings: Strings, database: Database, now: Callable[[], dt.datetime] = dt.datetime.now) -> None:
        self.config, self.strings, self.now = config, strings, now
        self.settings = config.printer
        # The kiosk's font, which `kiosk check` proved covers the content (the bundled subset may
        # lack a rare name character that a center's own font has); bold only with the bundled one.
        bold = BUNDLED_BOLD_FONT if config.font == BUNDLED_FONT else config.font
        self.renderer = PaperRenderer(self.settings.dots, config.font, bold)
        self.encoder = ReceiptEncoder(self.settings, self.renderer)
        self.journal = PrintJournal(database)
        self.printer = Printer(self.settings)
        self.spooler = Spooler(self.printer, self.journal, self.encode_and_keep_preview, now)
        self.preview_dir = config.data_dir / PREVIEW_FOLDER

    # ----- receipts

    def writer(self, language: str) -> ReceiptWriter:
        return ReceiptWriter(self.strings, language, self.settings.columns)

    def ticket(self, content: Content, ticket: Ticket, language: str) -> Receipt:
        facts = TicketFacts(
            ticket.id, ticket.label, ticket.issued_at, ticket.ahead, ticket.wait_minutes, ticket.category, ticket.priority_kind
        )
        service = content.service(ticket.service_id)
        return self.writer(language).ticket(content.center, service, facts, self.settings.ticket_qr(ticket.id))

    def checklist(self, content: Content, service_id: str, language: str) -> Receipt:
        service = content.service(service_id)
        return self.writer(language).checklist(content.center, service, self.now(), self.settings.checklist_qr(service_id))

    def test_page(self, content: Content, language: str) -> Receipt:
        settings = self.settings
        lines = [
            f"{settings.describe()}",
            f"profile {settings.profile}, {settings.paper_width} mm, {settings.columns} columns",
            f"text {settings.text_mode}, QR {'native' if settings.native_qr else 'image'}, cut {'on' if settings.can_cut else 'off'}",
            f"kiosk {self.config.kiosk_id}",
        ]
        return self.writer(language).test_page(content.center, lines, self.now(), settings.ticket_qr("test"))

    # ----- pictures and bytes

    def preview(self, receipt: Receipt) -> Image.Image:
        return self.renderer.render(receipt)

    def encode(self, receipt: Receipt) -> bytes:
        return self.encoder.encode(receipt)

    def encode_and_keep_preview(self, receipt: Receipt) -> bytes:
        """The job's bytes; with ``preview = yes`` also its picture in the data folder."""
        if self.settings.preview:
            self.keep_preview(receipt)
        return self.encode(receipt)

    def keep_preview(self, receipt: Receipt) -> Path:
        self.preview_dir.mkdir(parents=True, exist_ok=True)
        stamp = self.now().strftime("%Y%m%d-%H%M%S-%f")
        path = self.preview_dir / f"{stamp}-{receipt.kind}.png"
        self.preview(receipt).save(path)
        for old in sorted(self.preview_dir.glob("*.png"))[:-PREVIEWS_KEPT]:
            old.unlink(missing_ok=True)
        return path

    # ----- jobs

    def submit(self, receipt: Receipt, on_done: JobCallback | None = None) -> int:
        return self.spooler.submit(receipt, on_done)

    def print_now(self, receipt: Receipt) -> JobResult:
        """Journal and print on this thread (the command line's way)."""
        job_id = self.journal.add(receipt, self.now())
        return self.spooler.run(job_id)
