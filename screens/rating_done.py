"""提交成功: shown only after the core has stored the rating on disk. Thanks, the ticket rated and,
for a call-back, the phone masked. Home follows by itself after a few seconds.

``params``: ``rating`` (the StoredRating the core returned).
"""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.feedback_desk import StoredRating
from screens.common import KioskScreen

HOME_AFTER_S = 8  # seconds without a touch before the kiosk goes home by itself
DONE_GUARD_S = 1.5  # Done ignores a tap this soon: the second half of a double tap on a level


class RatingDoneScreen(KioskScreen):
    ticket_label = StringProperty("")
    phone_masked = StringProperty("")
    shown_at = 0.0

    def refresh(self) -> None:
        app = self.app
        rating: StoredRating | None = self.params.get("rating")
        if rating is None:
            return
        if self.unchanged(rating.id):
            return
        self.shown_at = app.services.monotonic()
        self.ticket_label = rating.ticket.label if rating.ticket else ""
        self.phone_masked = rating.phone_masked or ""
        app.go_home_after(HOME_AFTER_S)

    def done(self) -> None:
        if self.app.services.monotonic() - self.shown_at >= DONE_GUARD_S:
            self.app.home()

    def reset(self) -> None:
        self.ticket_label = ""
        self.phone_masked = ""
