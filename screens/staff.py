"""Staff (工作人员): photo, name, position and whether each person is on duty, with the reason if not."""

from __future__ import annotations

from kivy.clock import Clock
from kivy.factory import Factory

from screens.common import KioskScreen


class StaffScreen(KioskScreen):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._line_up = Clock.create_trigger(self._same_height)

    def refresh(self) -> None:
        app = self.app
        self.ids.scroll.scroll_y = 1
        if self.unchanged(app.content.version, app.language):
            return
        grid = self.ids.grid
        grid.clear_widgets()
        for member in app.content.staff:
            card = Factory.StaffCard()
            card.photo = str(member.photo)
            card.name = app.tc(app.language, member.name)
            card.position = app.tc(app.language, member.position)
            card.window = app.tc(app.language, member.window)
            card.present = member.on_duty
            reason = app.tc(app.language, member.absence_reason)
            card.reason = app.tr(app.language, "staff_reason", reason=reason) if reason else ""
            card.ids.inner.bind(minimum_height=self._line_up)
            grid.add_widget(card)

    def release(self) -> None:
        self.ids.grid.clear_widgets()

    def _same_height(self, *_args: object) -> None:
        """Cards in a row line up at the top: every card takes the tallest card's height."""
        cards = self.ids.grid.children
        tallest = max((card.ids.inner.minimum_height for card in cards), default=0)
        for card in cards:
            card.height = tallest
