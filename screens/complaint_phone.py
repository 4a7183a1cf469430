"""投诉建议, last step: an optional phone number for the center's call-back, typed on the keypad,
then Submit. The receipt shows only once the core has the complaint on disk. The layout is the
phone step's (screens/feedback_steps.kv).

``params``: ``draft``, ``kind``, ``category``, ``ticket`` (TicketRef or None) and ``presets``.
"""

from __future__ import annotations

from kiosk.feedback_desk import StoredComplaint
from screens.complaint import subject_words
from screens.feedback_steps import PhoneStep


class ComplaintPhoneScreen(PhoneStep):
    def refresh(self) -> None:
        super().refresh()
        app = self.app
        ticked = len(self.params.get("presets", ()))
        subject = subject_words(app, self.params.get("kind", ""), self.params.get("category", ""))
        self.summary = f"{subject} · {app.tr(app.language, 'complaint_ticked', count=ticked)}" if subject else ""

    def store(self, phone: str | None) -> StoredComplaint:
        params = self.params
        presets = params.get("presets", ())
        return self.desk.complain(self.draft, params.get("kind", ""), params.get("category", ""), presets, phone, params.get("ticket"))

    def stored(self, record: StoredComplaint) -> None:
        self.app.show("complaint_done", complaint=record)
