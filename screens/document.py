"""A scrolling document: scope, commitments, contact, notices, work rules or one service's detail.

The words come from :class:`kiosk.documents.DocumentBuilder`; this screen only draws the blocks.
Blocks sit in a RecycleView, so only those in sight are drawn: a long document opens in one
frame and holds little memory. Each block's height is measured with the font before drawing.
"""

from __future__ import annotations

from typing import Any

from kivy.core.text import Label as CoreLabel
from kivy.core.window import Window

from kiosk.documents import Block, Document, DocumentBuilder
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


def text_height(text: str, width: float, font_size: float, bold: bool = False) -> float:
    """The height a KioskLabel of this width gives this text."""
    if not text or width <= 0:
        return 0.0
    label = CoreLabel(text=text, font_size=font_size, text_size=(width, None), line_height=LINE_HEIGHT, bold=bold)
    return float(label.render()[1])


def block_height(block: Block, width: float, px: float, pt: float) -> float:
    """The height of one block's view, ``width`` being the document's text column."""
    if block.kind == "heading":
        return text_height(block.text, width, TEXT_SIZE["heading"] * pt, bold=True) + HEADING_GAP * px
    if block.kind in MARK_WIDTH:
        text_width = width - MARK_WIDTH[block.kind] * pt - MARK_GAP[block.kind] * px
        mark = MARK_WIDTH[block.kind] * pt if block.kind == "step" else 0
        return max(mark, text_height(block.text, text_width, BODY_SIZE * pt))
    if block.kind == "field":
        column = width - FIELD_GAP * px
        label = text_height(block.label, column * FIELD_LABEL_SHARE, BODY_SIZE * pt, bold=True)
        return max(label, text_height(block.text, column * (1 - FIELD_LABEL_SHARE), BODY_SIZE * pt))
    return text_height(block.text, width, TEXT_SIZE.get(block.kind, BODY_SIZE) * pt)


class DocumentScreen(KioskScreen):
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
        width = self.column_width()
        key = (app.content.version, app.language, app.services.now().date(), tuple(sorted(self.params.items())), app.pt, width)
        if not self.unchanged(*key):
            document = self.document()
            self.ids.title.text = document.title
            scroll.data = [self._view_data(block, width) for block in document.blocks]
        scroll.scroll_y = 1

    def _view_data(self, block: Block, width: float) -> dict[str, Any]:
        app = self.app
        return {
            "viewclass": BLOCK_VIEWS[block.kind],
            "text": block.text,
            "label": block.label,
            "height": block_height(block, width, app.px, app.pt),
        }

    def column_width(self) -> float:
        """The width of the text column, known before the screen is laid out (see document.kv)."""
        app = self.app
        return float(Window.width - 2 * PAGE_PADDING * app.px - self.ids.body.padding[2])

    def on_size(self, *_args: Any) -> None:
        """A new window size changes every block's height: measure again."""
        if self.manager is not None and self.manager.current == self.name:
            self.refresh()
