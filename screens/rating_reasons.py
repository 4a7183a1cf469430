"""After 不满意 or 非常不满意: what went wrong, any of the reasons or none; the call-back phone
and Submit come next (rating_phone). The layout is the choice step's (screens/feedback_steps.kv).

``params``: ``draft``, ``ticket`` (TicketRef or None) and ``level`` (one of the bad levels).
"""

from __future__ import annotations

from kiosk.content import Text
from kiosk.feedback import LEVEL_NAMES, REASON_NAMES, REASONS
from screens.feedback_steps import ChoiceStep


class RatingReasonsScreen(ChoiceStep):
    def refresh(self) -> None:
        super().refresh()
        app = self.app
        level = LEVEL_NAMES.get(str(self.params.get("level", "")))
        self.hint = f"{app.tc(app.language, level)} · {app.tr(app.language, 'rating_reasons_hint')}" if level else ""

    def choices(self) -> tuple[str, ...]:
        return REASONS

    def choice_name(self, code: str) -> Text:
        return REASON_NAMES[code]

    def go_on(self) -> None:
        params = {key: self.params.get(key) for key in ("draft", "ticket", "level")}
        self.app.show("rating_phone", reasons=self.ticked(), **params)
