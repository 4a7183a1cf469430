"""A scrolling document: scope, commitments, contact, notices, work rules or one service's detail.

The words come from :class:`kiosk.documents.DocumentBuilder`; this screen only draws the blocks.
"""

from __future__ import annotations

from kivy.factory import Factory

from kiosk.documents import Document, DocumentBuilder
from screens.common import KioskScreen

BLOCK_WIDGETS = {
    "heading": "DocHeading",
    "paragraph": "DocParagraph",
    "bullet": "DocBullet",
    "step": "DocStep",
    "field": "DocField",
    "note": "DocNote",
}


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
        key = (app.content.version, app.language, app.services.now().date(), tuple(sorted(self.params.items())))
        if self.unchanged(*key):
            self.ids.scroll.scroll_y = 1
            return
        document = self.document()
        self.ids.title.text = document.title
        body = self.ids.body
        body.clear_widgets()
        for block in document.blocks:
            widget = getattr(Factory, BLOCK_WIDGETS[block.kind])()
            widget.text = block.text
            widget.label = block.label
            body.add_widget(widget)
        self.ids.scroll.scroll_y = 1
