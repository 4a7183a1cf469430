"""A numeric keypad for visitors: ten large digit keys, Delete, Clear and a confirm key, with what
was typed shown large above them. Used for appointment codes (and phone numbers next).

The screen that holds it listens to ``on_confirm(digits)``; ``busy`` greys the keys while the
screen works on what was confirmed, so one tap is one request.
"""

from __future__ import annotations

from typing import Any

from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.paths import SCREENS_DIR

DELETE, CLEAR, CONFIRM = "delete", "clear", "confirm"


def typed(digits: str, key: str, max_digits: int) -> str:
    """The digits after pressing ``key``: a digit is added (up to ``max_digits``), Delete takes
    the last one away, Clear takes all."""
    if key == CLEAR:
        return ""
    if key == DELETE:
        return digits[:-1]
    if len(key) == 1 and key.isdigit() and len(digits) < max_digits:
        return digits + key
    return digits


def grouped(digits: str, size: int) -> str:
    """Digits in groups for reading aloud and checking: 123 456."""
    if size <= 0:
        return digits
    return " ".join(digits[i : i + size] for i in range(0, len(digits), size))


class NumericKeypad(BoxLayout):
    digits = StringProperty("")
    max_digits = NumericProperty(12)
    group = NumericProperty(3)  # shown in groups of this many digits; 0 shows them run together
    placeholder = StringProperty("")  # shown, grey, while nothing is typed
    confirm_text = StringProperty("")  # the confirm key's words; empty: 确定 / OK
    busy = BooleanProperty(False)

    __events__ = ("on_confirm",)

    def press(self, key: str) -> None:
        if self.busy:
            return
        if key == CONFIRM:
            if self.digits:
                self.dispatch("on_confirm", self.digits)
            return
        self.digits = typed(self.digits, key, int(self.max_digits))

    def shown(self, digits: str, group: float) -> str:
        return grouped(digits, int(group))

    def on_confirm(self, digits: str) -> Any:
        """Default handler: the screen binds its own."""


KV_FILE = str(SCREENS_DIR / "keypad.kv")
if KV_FILE not in Builder.files:
    Builder.load_file(KV_FILE)
