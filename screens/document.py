"""A scrolling document: scope, commitments, contact, notices, work rules or one service's detail.

The words come from :class:`kiosk.documents.DocumentBuilder`; this screen only draws the blocks.
Blocks sit in a RecycleView, so only those in sight are drawn: a long document opens in one
frame and holds little memory. Each block's height is measured with the font before drawing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kivy.core.text import Label as CoreLabel
from kivy.core.window import Window
from kivy.properties import BooleanProperty

from kiosk.documents import Block, Document, DocumentBuilder
from kiosk.linebreak import wrap
from screens.common import KioskScreen

BLOCK_VIEWS = {
    "heading": "DocHeading",
    "paragraph": "DocParagraph",
    "bullet": "DocBullet",
    "step": "DocStep",
    "field": "DocField",
    "note": "DocNote",
}
LINE_HEIGHT = 1.2  # as KioskLabel in common.kv
# Per block kind, as laid out in document.kv: text size, bold, and the width taken beside the text.
TEXT_SIZE = {"heading": 42, "note": 30}
BODY_SIZE = 34
HEADING_GAP = 24
MARK_WIDTH = {"bullet": 34, "step": 56}  # in text units (app.pt)
MARK_GAP = {"bullet": 12, "step": 16}  # in layout units (app.px)
FIELD_GAP = 20
FIELD_LABEL_SHARE = 0.32
PAGE_PADDING = 40  # left and right of the page, in layout units


class TextMeasure:
    """Character widths and text heights with the kiosk's font, as a KioskLabel draws them."""

    def __init__(self) -> None:
        self.widths: dict[tuple[float, bool, str], float] = {}
        self.fonts: dict[tuple[float, bool], CoreLabel] = {}

    def font(self, font_size: float, bold: bool) -> CoreLabel:
        key = (font_size, bold)
        if key not in self.fonts:
            self.fonts[key] = CoreLabel(font_size=font_size, bold=bold)
        return self.fonts[key]

    def char_width(self, font_size: float, bold: bool) -> Callable[[str], float]:
        font = self.font(font_size, bold)

        def width(char: str) -> float:
            key = (font_size, bold, char)
            if key not in self.widths:
                self.widths[key] = float(font.get_extents(char)[0])
            return self.widths[key]

        return width

    def fit(self, text: str, width: float, font_size: float, bold: bool = False) -> tuple[str, float]:
        """The text wrapped for this width (Chinese line-breaking rules) and its height."""
        if not text or width <= 0:
            return text, 0.0
        wrapped = wrap(text, width, self.char_width(font_size, bold))
        label = CoreLabel(text=wrapped, font_size=font_size, text_size=(width, None), line_height=LINE_HEIGHT, bold=bold)
        return wrapped, float(label.render()[1])


def layout_block(block: Block, width: float, px: float, pt: float, measure: TextMeasure) -> dict[str, Any]:
    """The view data of one block: its wrapped text and label, and its height."""
    if block.kind == "heading":
        text, height = measure.fit(block.text, width, TEXT_SIZE["heading"] * pt, bold=True)
        return {"text": text, "label": "", "height": height + HEADING_GAP * px}
    if block.kind in MARK_WIDTH:
        text, height = measure.fit(block.text, width - MARK_WIDTH[block.kind] * pt - MARK_GAP[block.kind] * px, BODY_SIZE * pt)
        mark = MARK_WIDTH[block.kind] * pt if block.kind == "step" else 0
        return {"text": text, "label": block.label, "height": max(mark, height)}
    if block.kind == "field":
        column = width - FIELD_GAP * px
        label, label_height = measure.fit(block.label, column * FIELD_LABEL_SHARE, BODY_SIZE * pt, bold=True)
        text, height = measure.fit(block.text, column * (1 - FIELD_LABEL_SHARE), BODY_SIZE * pt)
        return {"text": text, "label": label, "height": max(label_height, height)}
    text, height = measure.fit(block.text, width, TEXT_SIZE.get(block.kind, BODY_SIZE) * pt)
    return {"text": text, "label": "", "height": height}


class DocumentScreen(KioskScreen):
    has_checklist = BooleanProperty(False)  # a service's detail offers its checklist to print

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.measure = TextMeasure()

    def document(self) -> Document:
        app = self.app
        builder = DocumentBuilder(app.content, app.services.strings, app.language)
        kind = self.params.get("kind", "scope")
        if kind == "service":
            return builder.service(app.content.service(self.params["service_id"]))
        if kind == "notices":
            return builder.notices(app.services.now().date())
        return {"scope": builder.scope, "commitments": builder.commitments, "contact": builder.contact, "rules": builder.rules}[kind]()

    def refresh(self) -> None:
        app = self.app
        scroll = self.ids.scroll
        self.has_checklist = self.params.get("kind") == "service"
        width = self.column_width()
        key = (app.content.version, app.language, app.services.now().date(), tuple(sorted(self.params.items())), app.pt, width)
        if not self.unchanged(*key):
            document = self.document()
            self.ids.title.text = document.title
            scroll.data = [
                {"viewclass": BLOCK_VIEWS[block.kind], **layout_block(block, width, app.px, app.pt, self.measure)}
                for block in document.blocks
            ]
        scroll.scroll_y = 1

    def release(self) -> None:
        self.ids.scroll.data = []

    def column_width(self) -> float:
        """The width of the text column, known before the screen is laid out (see document.kv)."""
        app = self.app
        return float(Window.width - 2 * PAGE_PADDING * app.px - self.ids.body.padding[2])

    def on_size(self, *_args: Any) -> None:
        """A new window size changes every block's height: measure again."""
        if self.manager is not None and self.manager.current == self.name:
            self.refresh()
