"""服务评价: the five levels of the national standard (非常满意 ... 非常不满意) as large buttons, each
with a face from a smile to a frown and from green to red. A good level is stored at once; a bad
one asks what went wrong first (rating_reasons). "Submitted" shows only once the core has the
rating on disk; when the kiosk cannot store it, the screen says so and the levels wait for a tap.

``params``: ``draft`` (one per rating), ``ticket`` (a TicketRef, or None for an anonymous rating).
"""

from __future__ import annotations

from kivy.properties import BooleanProperty, ColorProperty, NumericProperty, StringProperty

from kiosk.feedback import BAD_LEVELS, BASICALLY_SATISFIED, DISSATISFIED, LEVELS, SATISFIED, VERY_DISSATISFIED, VERY_SATISFIED
from kiosk.feedback_desk import FeedbackDesk, FeedbackInvalid, NotStored, StoredRating, TicketRef
from screens.common import KioskScreen, RoundedButton
from screens.feedback_steps import problem_words

# How each level looks: the face's mood (1 smiles, -1 frowns) and its colour, green to red.
LOOKS = {
    VERY_SATISFIED: (1.0, (0.20, 0.62, 0.30, 1)),
    SATISFIED: (0.55, (0.55, 0.74, 0.25, 1)),
    BASICALLY_SATISFIED: (0.0, (0.98, 0.76, 0.18, 1)),
    DISSATISFIED: (-0.55, (0.95, 0.52, 0.18, 1)),
    VERY_DISSATISFIED: (-1.0, (0.86, 0.24, 0.20, 1)),
}


class LevelButton(RoundedButton):
    """A level's button: its face and its name (rating.kv)."""

    level = StringProperty("")
    mood = NumericProperty(0.0)
    tint = ColorProperty((0, 0, 0, 1))


class RatingScreen(KioskScreen):
    busy = BooleanProperty(False)  # the rating is being stored, or is stored: the levels take no more taps
    status = StringProperty("")  # why the rating was not stored
    ticket_label = StringProperty("")  # the ticket rated, or "" for an anonymous rating
    draft = ""

    @property
    def desk(self) -> FeedbackDesk:
        return self.app.services.feedback

    @property
    def ticket(self) -> TicketRef | None:
        return self.params.get("ticket")

    def refresh(self) -> None:
        draft = str(self.params.get("draft", ""))
        if draft != self.draft:
            self.draft = draft
            self.busy = False
            self.status = ""
        self.ticket_label = self.ticket.label if self.ticket else ""
        listing = self.ids.levels
        if not listing.children:
            for level in LEVELS:
                mood, color = LOOKS[level]
                listing.add_widget(LevelButton(level=level, mood=mood, tint=color))

    def choose(self, level: str) -> None:
        """One tap, one rating: a bad level asks what went wrong; a good one is stored now."""
        if self.busy:
            return
        app = self.app
        if level in BAD_LEVELS:
            app.show("rating_reasons", draft=self.draft, ticket=self.ticket, level=level)
            return
        self.busy = True
        stored: StoredRating | None = None
        try:
            stored = self.desk.rate(self.draft, level, ticket=self.ticket)
        except FeedbackInvalid as problem:
            self.status = problem_words(app, problem)
        except NotStored:  # the kiosk's disk: nothing was stored, the citizen may try again
            self.status = app.tr(app.language, "feedback_not_stored")
        finally:
            self.busy = stored is not None
        if stored is not None:
            self.status = ""
            app.show("rating_done", rating=stored)

    def release(self) -> None:
        self.ids.levels.clear_widgets()

    def reset(self) -> None:
        self.draft = ""
        self.busy = False
        self.status = ""
