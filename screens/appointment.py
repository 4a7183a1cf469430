"""Appointment check-in (预约签到): the visitor types the appointment code on the keypad and gets
a queue number, shown on the number screen. A code that fails (unknown, used, another day,
missed) is answered with one calm sentence saying what to do next, and the code stays on the
keypad to correct.
"""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.ticket import Ticket, TicketRefused
from kiosk.ticket_desk import TicketDesk
from screens.common import KioskScreen
from screens.keypad import NumericKeypad  # noqa: F401 - registers the keypad for appointment.kv
from screens.ticket_words import refusal_words


class AppointmentScreen(KioskScreen):
    status = StringProperty("")
    problem = BooleanProperty(False)  # the status says why there is no number
    request = 0  # counts requests: the answer to an older one (the visitor left) is dropped

    @property
    def desk(self) -> TicketDesk:
        return self.app.services.tickets

    def refresh(self) -> None:
        if self.ids.keypad.busy:
            return
        self.say("")

    def check_in(self, code: str) -> None:
        """The keypad's confirm key: one tap, one check-in (the keypad waits meanwhile)."""
        keypad = self.ids.keypad
        if keypad.busy:
            return
        app = self.app
        keypad.busy = True
        self.say(app.tr(app.language, "appointment_checking"))
        self.request += 1
        request = self.request
        app.in_background(lambda: self.desk.check_in(code), lambda ticket, error: self.checked_in(request, ticket, error))

    def checked_in(self, request: int, ticket: Ticket | None, error: Exception | None) -> None:
        if request != self.request:
            if ticket is not None:
                self.desk.not_shown(ticket)  # the visitor had gone: recorded, never silently skipped
            return
        app = self.app
        self.ids.keypad.busy = False
        if ticket is not None:
            self.ids.keypad.digits = ""
            self.say("")
            app.show("ticket_number", ticket=ticket)
        elif isinstance(error, TicketRefused):
            self.say(refusal_words(app.services.strings, app.language, error, app.services.now()), problem=True)
        else:
            self.say(app.tr(app.language, "ticket_failed"), problem=True)

    def say(self, text: str, problem: bool = False) -> None:
        self.status = text
        self.problem = problem

    def step_back(self) -> bool:
        return bool(self.ids.keypad.busy)  # Back waits while the code is being checked

    def reset(self) -> None:
        self.request += 1
        self.ids.keypad.busy = False
        self.ids.keypad.digits = ""
        self.say("")
