"""投诉建议: tick the preset texts that fit the chosen category, any or none; the call-back phone
and Submit come next (complaint_phone). There is no Chinese input on a kiosk: the citizen's own
words come from the phone page the result's QR code opens (with a central server), as the screen
says. The layout is the choice step's (screens/feedback_steps.kv).

``params``: ``draft``, ``kind``, ``category`` and ``ticket`` (TicketRef or None).
"""

from __future__ import annotations

from kiosk.content import Text
from kiosk.feedback import CATEGORY_PRESETS, PRESETS
from screens.complaint import subject_words
from screens.feedback_steps import ChoiceStep


class ComplaintDetailsScreen(ChoiceStep):
    def refresh(self) -> None:
        super().refresh()
        app = self.app
        self.title = subject_words(app, self.params.get("kind", ""), self.params.get("category", ""))
        # The draft becomes the complaint's id: where its phone page has an address, the result shows its QR code.
        self.note = app.tr(app.language, "complaint_details_more") if self.desk.complaint_url(self.draft) else ""

    def choices(self) -> tuple[str, ...]:
        return CATEGORY_PRESETS.get(str(self.params.get("category", "")), ())

    def choice_name(self, code: str) -> Text:
        return PRESETS[code]

    def go_on(self) -> None:
        params = {key: self.params.get(key) for key in ("draft", "kind", "category", "ticket")}
        self.app.show("complaint_phone", presets=self.ticked(), **params)
