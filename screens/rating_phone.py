"""After a bad rating's reasons: an optional phone number for the center's call-back, typed on the
keypad, then Submit. "Submitted" shows only once the core has the rating on disk. The layout is
the phone step's (screens/feedback_steps.kv).

``params``: ``draft``, ``ticket`` (TicketRef or None), ``level`` and ``reasons`` (codes).
"""

from __future__ import annotations

from kiosk.feedback import LEVEL_NAMES, REASON_NAMES
from kiosk.feedback_desk import StoredRating
from screens.feedback_steps import PhoneStep


class RatingPhoneScreen(PhoneStep):
    def refresh(self) -> None:
        super().refresh()
        app = self.app
        level = LEVEL_NAMES.get(str(self.params.get("level", "")))
        reasons = [app.tc(app.language, REASON_NAMES[reason]) for reason in self.params.get("reasons", ())]
        words = [app.tc(app.language, level)] if level else []
        self.summary = " · ".join(words + (["、".join(reasons) if app.language == "zh_CN" else ", ".join(reasons)] if reasons else []))

    def store(self, phone: str | None) -> StoredRating:
        params = self.params
        return self.desk.rate(self.draft, params.get("level", ""), params.get("reasons", ()), phone, params.get("ticket"))

    def stored(self, record: StoredRating) -> None:
        self.app.show("rating_done", rating=record)
