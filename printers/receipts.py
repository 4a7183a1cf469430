"""The receipts a citizen takes home (queue ticket, material checklist, complaint receipt) and the
printer's test page, laid out as data.

Each builder turns content and a few facts into a :class:`~printers.receipt.Receipt` already
wrapped for the paper width (Chinese counted as two columns). Nothing here knows about bytes,
connections or screens: the same receipt is encoded for the printer and drawn as a preview.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kiosk.content import Center, Service, Text
from kiosk.feedback import CATEGORY_NAMES, KIND_NAMES, PRESETS
from kiosk.i18n import Strings
from kiosk.queue_rules import APPOINTMENT, NORMAL
from kiosk.wait_estimate import shown_minutes
from printers.columns import text_columns, wrap_columns
from printers.receipt import Element, Feed, QrCode, Receipt, Rule, TextLine

TICK_BOX = "□"
TEST_QR = "https://kiosk.example.org/t/test"  # the test page's QR code when tickets carry none


@dataclass(frozen=True)
class TicketFacts:
    """What a queue ticket says about itself."""

    ticket_id: str
    number: str
    issued_at: dt.datetime
    ahead: int | None  # None when the kiosk cannot know (numbering on its own)
    wait_minutes: float | None  # None when there is no basis for an estimate
    category: str = NORMAL
    priority_kind: str | None = None


@dataclass(frozen=True)
class ComplaintFacts:
    """What a complaint receipt says: the codes of kiosk.feedback, and the phone only masked."""

    receipt: str  # the receipt number, e.g. 20261121-kiosk-01-007
    created_at: dt.datetime
    kind: str
    category: str
    presets: tuple[str, ...]
    phone_masked: str | None
    ticket_label: str | None


class ReceiptWriter:
    """Lays out receipts in one language for paper ``columns`` wide."""

    def __init__(self, strings: Strings, language: str, columns: int) -> None:
        self.strings, self.language, self.columns = strings, language, columns
        self.elements: list[Element] = []

    # ----- the receipts

    def ticket(self, center: Center, service: Service, facts: TicketFacts, url: str) -> Receipt:
        self.elements = []
        self.centered(self.c(center.name), bold=True)
        self.centered(self.c(service.name), big=True)  # no rule above: a ticket must stay small (600 bytes)
        self.centered(self.t("receipt_ticket_number_label"))
        self.centered(facts.number, big=True)
        self.elements.append(Rule())
        self.paragraph(self.t("receipt_issued_at", time=_minute(facts.issued_at)))
        if facts.category != NORMAL:
            self.paragraph(self.category_line(facts))
        self.paragraph(self.waiting_line(facts.ahead, facts.wait_minutes))
        self.paragraph(self.t("receipt_window", window=self.c(service.window)))
        self.paragraph(self.t("receipt_keep_ticket"))
        if url:  # no QR code without an address (no ticket_url and no central server)
            self.elements.append(QrCode(url))
            self.centered(self.t("receipt_ticket_qr"))
        self.elements.append(Rule())
        self.paragraph(self.t("receipt_hours", hours=_first_line(self.c(center.hours))))
        self.paragraph(self.t("receipt_supervision", phone=center.supervision_phone))
        title = f"{facts.number} {self.c(service.name)}"
        summary = {"number": facts.number, "service": self.c(service.name), "qr": url, "ticket_id": facts.ticket_id}
        return Receipt("ticket", title, self.columns, tuple(self.elements), summary)

    def receipt_number(self, number: str) -> None:
        """A complaint's receipt number in big print: on one line when it fits, else its day and
        the rest on two; a part too long even for that is printed in normal size."""
        parts = [number] if text_columns(number) <= self.columns // 2 else [number[:9], number[9:]]  # "20261121-" and the rest
        for part in parts:
            self.centered(part, bold=True, big=text_columns(part) <= self.columns // 2)

    def category_line(self, facts: TicketFacts) -> str:
        if facts.category == APPOINTMENT:
            return self.t("receipt_appointment")
        kind = self.t(f"priority_{facts.priority_kind}") if facts.priority_kind else ""
        return self.t("receipt_green_channel", kind=kind).strip()

    def waiting_line(self, ahead: int | None, wait_minutes: float | None) -> str:
        """People ahead and the estimate; 暂无估计 where there is no basis."""
        if ahead is None:
            return self.t("receipt_wait_unknown")
        if ahead == 0:
            return self.t("receipt_next_up")
        if wait_minutes is None:
            return self.t("receipt_ahead_no_estimate", count=ahead)
        return self.t("receipt_ahead_and_wait", count=ahead, minutes=shown_minutes(wait_minutes))

    def checklist(self, center: Center, service: Service, printed_at: dt.datetime, url: str) -> Receipt:
        self.elements = []
        self.centered(self.t("checklist_title"), bold=True)
        self.centered(self.c(center.name))
        self.elements.append(Rule())
        self.centered(self.c(service.name), big=True)
        self.labelled("label_for_whom", self.c(service.for_whom))
        self.heading("label_conditions")
        for number, condition in enumerate(service.conditions, start=1):
            self.item(f"{number}. ", self.c(condition))
        self.heading("label_materials")
        if not service.materials:
            self.paragraph(self.t("no_materials"))
        for material in service.materials:
            form = self.t(f"form_{material.form}")
            line = self.t("material_line", name=self.c(material.name), form=form, copies=material.copies)
            self.item(f"{TICK_BOX} ", line, bold=True)
            if material.note:
                self.item("  ", self.c(material.note))
        self.heading("label_steps")
        for number, step in enumerate(service.steps, start=1):
            self.item(f"{number}. ", self.c(step))
        self.elements.append(Rule())
        self.labelled("label_time_limit", self.c(service.time_limit))
        self.labelled("label_fees", self.c(service.fees))
        if service.basis:
            self.heading("label_basis")
            for law, articles in _articles_by_law(service, self.language):
                separator = ", " if self.language == "en" else "、"
                gap = " " if self.language == "en" else ""
                self.item("· ", f"{law}{gap}{separator.join(articles)}")
        self.elements.append(Rule())
        self.labelled("label_window", f"{self.c(service.window)} {self.c(service.department)}")
        self.labelled("label_phone", center.phone)
        self.labelled("label_supervision_phone", center.supervision_phone)
        self.labelled("receipt_printed_label", _minute(printed_at))
        self.elements.append(QrCode(url))
        self.centered(self.t("checklist_qr"))
        title = f"{self.t('checklist_title')} {self.c(service.name)}"
        return Receipt("checklist", title, self.columns, tuple(self.elements), {"service": self.c(service.name), "qr": url})

    def complaint(self, center: Center, facts: ComplaintFacts, url: str) -> Receipt:
        """The receipt of a complaint or suggestion: its number, what was ticked, the promise of an
        answer and, with a central server, the QR code to add the details on a phone."""
        self.elements = []
        self.centered(self.c(center.name), bold=True)
        self.centered(self.t("receipt_complaint_title"), bold=True)
        self.elements.append(Rule())
        self.centered(self.t("receipt_complaint_number"))
        self.receipt_number(facts.receipt)
        self.elements.append(Rule())
        self.paragraph(self.t("receipt_complaint_time", time=_minute(facts.created_at)))
        self.paragraph(self.t("receipt_complaint_kind", kind=self.c(KIND_NAMES[facts.kind])))
        self.paragraph(self.t("receipt_complaint_category", category=self.c(CATEGORY_NAMES[facts.category])))
        if facts.ticket_label:
            self.paragraph(self.t("receipt_complaint_ticket", label=facts.ticket_label))
        if facts.presets:
            self.paragraph_bold(self.t("receipt_complaint_presets"))
            for code in facts.presets:
                self.item("· ", self.c(PRESETS[code]))
        if facts.phone_masked:
            self.paragraph(self.t("receipt_complaint_phone", phone=facts.phone_masked))
        self.elements.append(Rule())
        self.paragraph(self.t("receipt_complaint_promise"))
        if url:
            self.elements.append(QrCode(url))
            self.centered(self.t("receipt_complaint_qr"))
        self.paragraph(self.t("receipt_complaint_keep"))
        self.paragraph(self.t("receipt_supervision", phone=center.supervision_phone))
        title = f"{self.t('receipt_complaint_title')} {facts.receipt}"
        return Receipt("complaint", title, self.columns, tuple(self.elements), {"receipt": facts.receipt, "qr": url})

    def test_page(self, center: Center, settings_lines: list[str], printed_at: dt.datetime, url: str) -> Receipt:
        url = url or TEST_QR
        self.elements = []
        self.centered(self.t("test_title"), bold=True)
        self.centered(self.c(center.name))
        self.elements.append(Rule())
        for line in settings_lines:
            self.paragraph(line)
        self.elements.append(Rule())
        self.paragraph(self.t("test_chinese"))
        self.paragraph("ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789")
        self.elements.append(TextLine(_ruler(self.columns)))
        self.centered("12348", big=True)
        self.elements.append(QrCode(url))
        self.centered(self.t("test_qr"))
        self.paragraph(self.t("receipt_printed_at", time=_minute(printed_at)))
        return Receipt("test", self.t("test_title"), self.columns, tuple(self.elements), {"qr": url})

    # ----- the pieces

    def t(self, key: str, **values: object) -> str:
        return self.strings.get(key, self.language, **values)

    def c(self, text: Text) -> str:
        return text.get(self.language)

    def centered(self, text: str, bold: bool = False, big: bool = False) -> None:
        width = self.columns // 2 if big else self.columns
        for line in wrap_columns(text, width):
            self.elements.append(TextLine(line, "center", bold, big))

    def paragraph(self, text: str) -> None:
        for line in wrap_columns(text, self.columns):
            self.elements.append(TextLine(line))

    def heading(self, key: str) -> None:
        colon = ":" if self.language == "en" else "："
        self.elements.append(Feed())
        self.paragraph_bold(self.t(key) + colon)

    def paragraph_bold(self, text: str) -> None:
        for line in wrap_columns(text, self.columns):
            self.elements.append(TextLine(line, bold=True))

    def labelled(self, label_key: str, value: str) -> None:
        colon = ": " if self.language == "en" else "："
        self.paragraph(f"{self.t(label_key)}{colon}{value}")

    def item(self, marker: str, text: str, bold: bool = False) -> None:
        """A list item: the marker, then the text with its later lines under the text."""
        indent = text_columns(marker)
        lines = wrap_columns(text, self.columns - indent)
        for index, line in enumerate(lines):
            prefix = marker if index == 0 else " " * indent
            self.elements.append(TextLine(prefix + line, bold=bold))


def _articles_by_law(service: Service, language: str) -> list[tuple[str, list[str]]]:
    """The legal basis as (law, [articles]) in the order the laws first appear."""
    grouped: dict[str, list[str]] = {}
    for basis in service.basis:
        grouped.setdefault(basis.law.get(language), []).append(basis.article.get(language))
    return list(grouped.items())


def _minute(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0].strip()


def _ruler(columns: int) -> str:
    return "".join(str(number % 10) for number in range(1, columns + 1))
