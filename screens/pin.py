"""The staff PIN pad: a numeric keypad in front of the admin screen."""

from __future__ import annotations

from kivy.properties import StringProperty

from screens.common import KioskScreen

MAX_DIGITS = 8


class PinScreen(KioskScreen):
    digits = StringProperty("")
    status = StringProperty("")

    def refresh(self) -> None:
        self.digits = ""
        self.status = ""
        self._show_lock()

    def press(self, key: str) -> None:
        if key == "clear":
            self.digits = ""
        elif key == "delete":
            self.digits = self.digits[:-1]
        elif key == "enter":
            self.submit()
        elif len(self.digits) < MAX_DIGITS:
            self.digits += key

    def submit(self) -> None:
        app = self.app
        pin, self.digits = self.digits, ""
        if app.enter_pin(pin):
            return
        self.status = app.tr(app.language, "pin_wrong")
        self._show_lock()

    def _show_lock(self) -> None:
        app = self.app
        seconds = app.pin_gate.seconds_locked()
        if seconds:
            self.status = app.tr(app.language, "pin_locked", seconds=seconds)

    def reset(self) -> None:
        self.digits = ""
        self.status = ""
