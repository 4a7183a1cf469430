"""投诉建议, first steps: a complaint or a suggestion, then what it is about (the categories of
kiosk/feedback.py). The ticket, the preset texts and the call-back phone follow.

``params``: ``draft`` (one per complaint being made); ``step = "category"`` with ``kind`` shows
the categories of that kind.
"""

from __future__ import annotations

from typing import Any

from kivy.factory import Factory

from kiosk.feedback import CATEGORIES, CATEGORY_NAMES, COMPLAINT_KINDS, KIND_NAMES
from screens.common import KioskScreen

CATEGORY_STEP = "category"


def subject_words(app: Any, kind: str, category: str) -> str:
    """投诉 · 办事效率: what the visitor chose, the title of the complaint's next steps."""
    if kind not in KIND_NAMES or category not in CATEGORY_NAMES:
        return ""
    return f"{app.tc(app.language, KIND_NAMES[kind])} · {app.tc(app.language, CATEGORY_NAMES[category])}"


class ComplaintScreen(KioskScreen):
    @property
    def step(self) -> str:
        return str(self.params.get("step", ""))

    @property
    def kind(self) -> str:
        return str(self.params.get("kind", ""))

    def refresh(self) -> None:
        app = self.app
        if self.step == CATEGORY_STEP:
            self.ids.title.text = app.tc(app.language, KIND_NAMES[self.kind])
            self.ids.hint.text = app.tr(app.language, "complaint_category_hint")
        else:
            self.ids.title.text = app.tr(app.language, "complaint_title")
            self.ids.hint.text = app.tr(app.language, "complaint_hint")
        if self.unchanged(self.step, self.kind):
            return
        self.ids.scroll.scroll_y = 1
        listing = self.ids.listing
        listing.clear_widgets()
        if self.step == CATEGORY_STEP:
            for category in CATEGORIES:
                button = Factory.CategoryButton()
                button.code = category
                listing.add_widget(button)
        else:
            for kind in COMPLAINT_KINDS:
                button = Factory.KindButton()
                button.code = kind
                listing.add_widget(button)

    def choose_kind(self, kind: str) -> None:
        self.app.show("complaint", draft=self.params.get("draft", ""), step=CATEGORY_STEP, kind=kind)

    def choose_category(self, category: str) -> None:
        self.app.show("complaint_ticket", draft=self.params.get("draft", ""), kind=self.kind, category=category)

    def release(self) -> None:
        self.ids.listing.clear_widgets()
