"""The steps ratings and complaints share: typing the queue number they are about, ticking what
applies (reasons, preset texts), and typing a call-back phone before submitting. Each flow's
screen (rating_ticket, rating_reasons, rating_phone, complaint_ticket, complaint_details,
complaint_phone) is a subclass that gives its words and says what comes next.

A queue number is a row of the letters numbers start with and the digits on the numeric keypad,
shown together large (B 007); the core says whether they make a ticket number. A call-back phone
is typed on the keypad without its confirm key: the screen's submit button sends the number with
the rest, or no number when none was typed. The typed digits show while typing; everything after
shows the number masked.
"""

from __future__ import annotations

from typing import Any

from kivy.lang import Builder
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.gridlayout import GridLayout

from kiosk.content import Text
from kiosk.feedback_desk import FeedbackDesk, FeedbackInvalid, NotStored, TicketRef
from kiosk.paths import SCREENS_DIR
from screens.common import ChoiceToggle, KioskScreen, RoundedButton
from screens.keypad import NumericKeypad

TICKET_DIGITS = 4  # queues.ini numbers tickets with 3 or 4 digits
PHONE_DIGITS = 12  # a landline with its area code: 0 and up to 11 more (kiosk/phone.py)


def problem_words(app: Any, problem: FeedbackInvalid) -> str:
    """The calm sentence for what the core refused (bad_phone, bad_ticket, bad_reasons, bad_presets)."""
    return str(app.tr(app.language, f"feedback_{problem.code}"))


class TicketKeypad(NumericKeypad):
    """The numeric keypad with the chosen letter in front of the digits on its display."""

    letter = StringProperty("")
    max_digits = NumericProperty(TICKET_DIGITS)
    group = NumericProperty(0)

    def shown(self, digits: str, group: float) -> str:
        return f"{self.letter} {digits}".strip()

    def on_letter(self, *_args: Any) -> None:
        self.property("digits").dispatch(self)  # the display shows the new letter at once


class PhoneKeypad(NumericKeypad):
    """Digits, Delete and Clear: what is typed goes with the screen's submit button."""

    max_digits = NumericProperty(PHONE_DIGITS)
    group = NumericProperty(0)

    def on_kv_post(self, _base_widget: Any) -> None:
        self.remove_widget(self.ids.key_confirm)


class LetterButton(RoundedButton):
    row = ObjectProperty(None)
    selected = BooleanProperty(False)


class LetterRow(GridLayout):
    """One button per letter; a tap chooses it (and only it)."""

    letters = ListProperty([])
    letter = StringProperty("")

    def on_letters(self, *_args: Any) -> None:
        self.clear_widgets()
        for letter in self.letters:
            self.add_widget(LetterButton(text=letter, row=self))
        self.choose(self.letter if self.letter in self.letters else "")

    def choose(self, letter: str) -> None:
        self.letter = letter
        for button in self.children:
            button.selected = button.text == letter


class FeedbackStep(KioskScreen):
    """A step of a rating or a complaint: ``draft`` in its params names the record being made;
    a new one starts the step empty, the same one (Back, a change of language) keeps what was typed."""

    status = StringProperty("")  # why what was typed cannot be used
    title = StringProperty("")
    hint = StringProperty("")
    draft = ""

    @property
    def desk(self) -> FeedbackDesk:
        return self.app.services.feedback

    def refresh(self) -> None:
        draft = str(self.params.get("draft", ""))
        if draft != self.draft:
            self.reset()
            self.draft = draft

    def reset(self) -> None:
        self.draft = ""
        self.status = ""


class TicketStep(FeedbackStep):
    """Which ticket the record is about: letter and digits, or skip."""

    skip_text = StringProperty("")

    def refresh(self) -> None:
        super().refresh()
        self.ids.letters.letters = list(self.desk.prefixes())

    def entered(self, _digits: str) -> None:
        try:
            ticket = self.desk.ticket_from_label(self.ids.letters.letter + self.ids.keypad.digits)
        except FeedbackInvalid as problem:
            self.status = problem_words(self.app, problem)
            return
        self.status = ""
        self.next_step(ticket)

    def skip(self) -> None:
        self.status = ""
        self.next_step(None)

    def next_step(self, ticket: TicketRef | None) -> None:
        """Go on with the ticket (None: skipped)."""
        raise NotImplementedError

    def reset(self) -> None:
        super().reset()
        self.ids.letters.choose("")
        self.ids.keypad.digits = ""


class ChoiceStep(FeedbackStep):
    """Choices to tick, any or none, then Next. What was ticked stays while the draft does."""

    columns = NumericProperty(1)
    note = StringProperty("")  # a word below the choices
    chosen: set[str] = set()

    def choices(self) -> tuple[str, ...]:
        """The codes to offer, in order."""
        raise NotImplementedError

    def choice_name(self, code: str) -> Text:
        raise NotImplementedError

    def refresh(self) -> None:
        super().refresh()
        app = self.app
        listing = self.ids.choices
        if not listing.children:
            for code in self.choices():
                listing.add_widget(StepChoice(code=code, selected=code in self.chosen))
        for toggle in listing.children:
            toggle.text = app.tc(app.language, self.choice_name(toggle.code))

    def toggle(self, toggle: ChoiceToggle) -> None:
        self.chosen ^= {toggle.code}
        toggle.selected = toggle.code in self.chosen

    def ticked(self) -> tuple[str, ...]:
        """What is ticked of the choices offered now, in their order."""
        return tuple(code for code in self.choices() if code in self.chosen)

    def go_on(self) -> None:
        """Next: the following step, with what was ticked."""
        raise NotImplementedError

    def release(self) -> None:
        self.ids.choices.clear_widgets()

    def reset(self) -> None:
        super().reset()
        self.chosen = set()
        for toggle in self.ids.choices.children:
            toggle.selected = False


class StepChoice(ChoiceToggle):
    """A choice of a ChoiceStep (feedback_steps.kv)."""


class PhoneStep(FeedbackStep):
    """The optional call-back phone, then Submit: the record is stored once, and only then shown."""

    busy = BooleanProperty(False)  # the record is being stored, or is stored: Submit takes no more taps
    summary = StringProperty("")  # what is being submitted, in a few words
    submit_text = StringProperty("")

    def submit(self) -> None:
        if self.busy:
            return
        self.busy = True
        stored: Any = None
        try:
            stored = self.store(self.ids.keypad.digits or None)
        except FeedbackInvalid as problem:
            self.status = problem_words(self.app, problem)
        except NotStored:  # the kiosk's disk: nothing was stored, Submit may be pressed again
            self.status = self.app.tr(self.app.language, "feedback_not_stored")
        finally:
            self.busy = stored is not None
        if stored is not None:
            self.status = ""
            self.stored(stored)

    def store(self, phone: str | None) -> Any:
        """Store the record with this phone (None: no call-back); raises FeedbackInvalid or NotStored."""
        raise NotImplementedError

    def stored(self, record: Any) -> None:
        """Show the stored record."""
        raise NotImplementedError

    def reset(self) -> None:
        super().reset()
        self.busy = False
        self.ids.keypad.digits = ""


KV_FILE = str(SCREENS_DIR / "feedback_steps.kv")
if KV_FILE not in Builder.files:
    Builder.load_file(KV_FILE)
