"""A receipt as plain data: the lines of one slip of paper, already laid out for its width.

A :class:`Receipt` is what the layout (:mod:`printers.receipts`) produces and what the encoder
(:mod:`printers.encoder`) and the preview (:mod:`printers.preview`) both read, so the paper and
its picture cannot disagree. Receipts are stored as JSON in the print journal for reprints.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class TextLine:
    """One printed line that fits the paper; ``big`` is double width and double height."""

    text: str
    align: str = "left"
    bold: bool = False
    big: bool = False


@dataclass(frozen=True)
class Rule:
    """A dividing line across the paper."""


@dataclass(frozen=True)
class Feed:
    """Empty lines."""

    lines: int = 1


@dataclass(frozen=True)
class QrCode:
    """A QR code, centred, holding ``data`` (a URL)."""

    data: str


Element = TextLine | Rule | Feed | QrCode
KINDS: dict[str, type] = {"text": TextLine, "rule": Rule, "feed": Feed, "qr": QrCode}
KIND_OF = {cls: name for name, cls in KINDS.items()}


@dataclass(frozen=True)
class Receipt:
    """A slip for paper ``columns`` wide (48 on 80 mm, 32 on 58 mm).

    ``kind`` is ticket, checklist, complaint or test; ``title`` says in a few words what it is (for the
    admin screen's job list); ``summary`` holds what a screen shows when the paper cannot be
    printed (for a ticket: its number and the QR data).
    """

    kind: str
    title: str
    columns: int
    elements: tuple[Element, ...]
    summary: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        elements = [{"kind": KIND_OF[type(e)], **asdict(e)} for e in self.elements]
        data = {"kind": self.kind, "title": self.title, "columns": self.columns, "summary": self.summary, "elements": elements}
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Receipt:
        data = json.loads(text)
        elements = tuple(_element(item) for item in data["elements"])
        return cls(data["kind"], data["title"], int(data["columns"]), elements, dict(data.get("summary", {})))

    def texts(self) -> list[str]:
        """Every text line, in order (what a person reads on the paper)."""
        return [e.text for e in self.elements if isinstance(e, TextLine)]

    def qr_codes(self) -> list[str]:
        return [e.data for e in self.elements if isinstance(e, QrCode)]


def _element(item: dict[str, Any]) -> Element:
    values = dict(item)
    kind = KINDS[values.pop("kind")]
    element: Element = kind(**values)
    return element
