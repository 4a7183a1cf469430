"""投诉建议, optional step: the queue number the complaint or suggestion is about, typed as its
letter and digits, or skipped; the preset texts come next. The layout is the ticket step's
(screens/feedback_steps.kv).

``params``: ``draft``, ``kind`` and ``category`` (chosen on the complaint screen).
"""

from __future__ import annotations

from kiosk.feedback_desk import TicketRef
from screens.complaint import subject_words
from screens.feedback_steps import TicketStep


class ComplaintTicketScreen(TicketStep):
    def refresh(self) -> None:
        super().refresh()
        self.title = subject_words(self.app, self.params.get("kind", ""), self.params.get("category", ""))

    def next_step(self, ticket: TicketRef | None) -> None:
        params = {key: self.params.get(key) for key in ("draft", "kind", "category")}
        self.app.show("complaint_details", ticket=ticket, **params)
