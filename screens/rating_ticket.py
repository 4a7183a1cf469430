"""服务评价, first step: which ticket the rating is about. The visitor taps the number's letter
and types its digits, or skips to rate without a ticket (a rating may be anonymous); the levels
come next. The layout is the ticket step's (screens/feedback_steps.kv).

``params``: ``draft`` (one per rating being made, from the feedback desk).
"""

from __future__ import annotations

from kiosk.feedback_desk import TicketRef
from screens.feedback_steps import TicketStep


class RatingTicketScreen(TicketStep):
    def next_step(self, ticket: TicketRef | None) -> None:
        self.app.show("rating", draft=self.draft, ticket=ticket)
