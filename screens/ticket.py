"""Taking a queue number (取号): one large button per ticketed service with its waiting count and
wait estimate, and the green channel (绿色通道) for those served first.

``params``: ``step = "green"`` shows the five green-channel choices; ``priority_kind`` (chosen
there) makes the service buttons take priority tickets. A closed or full service says calmly when
numbers are given again and offers its material checklist instead. The number is taken on a
worker thread (it may wait on the central server) while the screen says 正在取号…; one tap is one
ticket. The ticket then shows on the number screen.
"""

from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import BooleanProperty, StringProperty

from kiosk.queue_rules import NORMAL, PRIORITY, PRIORITY_KINDS
from kiosk.ticket import Ticket, TicketRefused
from kiosk.ticket_desk import QueueStatus, TicketDesk
from screens.common import KioskScreen
from screens.ticket_words import queue_words, refusal_words, unavailable_words

REPEAT_GUARD_S = 3.0  # a tap this soon after a ticket was issued is the same wish, not a second ticket
GREEN_STEP = "green"


class TicketScreen(KioskScreen):
    busy = BooleanProperty(False)  # a number is being taken: every button waits
    show_green = BooleanProperty(True)  # the green-channel button above the services
    status = StringProperty("")  # 正在取号…, or why no number was given
    problem = BooleanProperty(False)  # the status says why there is no number
    overview: list[QueueStatus] = []  # the last known state of the queues
    loaded = False  # whether the overview has been read since the screen was shown
    request = 0  # counts requests: the answer to an older one (the visitor left) is dropped
    taken_at: float | None = None

    @property
    def desk(self) -> TicketDesk:
        return self.app.services.tickets

    @property
    def step(self) -> str:
        return str(self.params.get("step", ""))

    @property
    def priority_kind(self) -> str | None:
        return self.params.get("priority_kind")

    def refresh(self) -> None:
        app = self.app
        self.ids.scroll.scroll_y = 1
        if self.busy:
            return  # a number is being taken: a change of language or text size must not lose it
        if self.unchanged(app.content.version, app.language, self.step, self.priority_kind, app.pt):
            return
        self.busy = False
        self.say("")
        if self.step == GREEN_STEP:
            self.show_kinds()
            return
        self.show_services()
        self.request += 1
        request = self.request
        self.app.in_background(self.desk.overview, lambda found, error: self.overview_read(request, found, error))

    # ----- what the screen shows

    def show_kinds(self) -> None:
        app = self.app
        self.ids.title.text = app.tr(app.language, "green_title")
        self.ids.hint.text = app.tr(app.language, "green_hint")
        self.show_green = False
        listing = self.ids.listing
        listing.clear_widgets()
        for kind in PRIORITY_KINDS:
            button = Factory.PriorityKindButton(text=app.tr(app.language, f"priority_{kind}"))
            button.kind = kind
            listing.add_widget(button)

    def show_services(self) -> None:
        app = self.app
        kind = self.priority_kind
        if kind:
            self.ids.title.text = app.tr(app.language, "green_chosen", kind=app.tr(app.language, f"priority_{kind}"))
            self.ids.hint.text = app.tr(app.language, "green_chosen_hint")
        else:
            self.ids.title.text = app.tr(app.language, "ticket_title")
            self.ids.hint.text = app.tr(app.language, "ticket_hint")
        self.fill_services()

    def fill_services(self) -> None:
        app = self.app
        listing = self.ids.listing
        listing.clear_widgets()
        # The green channel only where a number can be had: nothing to choose while all are closed.
        self.show_green = not self.priority_kind and any(status.open and not status.full for status in self.overview)
        if not self.loaded and not self.overview:
            self.say(app.tr(app.language, "ticket_loading"))
            return
        if not self.overview:
            self.say(app.tr(app.language, "ticket_none"), problem=True)
            return
        strings, language, now = app.services.strings, app.language, app.services.now()
        for status in self.overview:
            name = app.tc(language, app.content.service(status.service_id).name)
            closed = unavailable_words(strings, language, status, now)
            button = Factory.TicketServiceButton() if closed is None else Factory.ClosedServiceCard()
            button.service_id = status.service_id
            button.title = name
            button.detail = queue_words(strings, language, status) if closed is None else closed
            listing.add_widget(button)

    def overview_read(self, request: int, found: list[QueueStatus] | None, error: Exception | None) -> None:
        if request != self.request or self.manager is None or self.manager.current != self.name:
            return
        self.loaded = True
        self.overview = list(found or [])
        if self.status == self.app.tr(self.app.language, "ticket_loading"):
            self.say("")
        if self.step != GREEN_STEP and not self.busy:
            self.fill_services()

    # ----- what the visitor does

    def choose_kind(self, kind: str) -> None:
        self.app.show("ticket", priority_kind=kind)

    def open_green_channel(self) -> None:
        if not self.busy:
            self.app.show("ticket", step=GREEN_STEP)

    def print_checklist(self, service_id: str) -> None:
        if not self.busy:
            self.app.show("checklist", service_id=service_id)

    def take(self, service_id: str) -> None:
        """One tap, one ticket: further taps while the number is being taken change nothing."""
        app = self.app
        now = app.services.monotonic()
        if self.busy or (self.taken_at is not None and now - self.taken_at < REPEAT_GUARD_S):
            return
        self.busy = True
        self.say(app.tr(app.language, "ticket_taking"))
        kind = self.priority_kind
        self.request += 1
        request = self.request

        def work() -> Ticket:
            return self.desk.take(service_id, PRIORITY if kind else NORMAL, kind)

        app.in_background(work, lambda ticket, error: self.taken(request, ticket, error))

    def taken(self, request: int, ticket: Ticket | None, error: Exception | None) -> None:
        """On the screen's thread: show the number, or say calmly why there is none."""
        if request != self.request:
            if ticket is not None:
                self.desk.not_shown(ticket)  # the visitor had gone: recorded, never silently skipped
            return
        app = self.app
        self.busy = False
        if ticket is not None:
            self.taken_at = app.services.monotonic()
            self.say("")
            app.show("ticket_number", ticket=ticket)
            return
        if isinstance(error, TicketRefused):
            self.say(refusal_words(app.services.strings, app.language, error, app.services.now()), problem=True)
        else:
            self.say(app.tr(app.language, "ticket_failed"), problem=True)
        self.request += 1
        request = self.request
        app.in_background(self.desk.overview, lambda found, failure: self.overview_read(request, found, failure))

    def step_back(self) -> bool:
        return self.busy  # Back waits while a number is being taken

    def release(self) -> None:
        self.ids.listing.clear_widgets()
        self.loaded = False
        self.busy = False
        self.request += 1  # an answer that comes after the visitor left is not shown

    def reset(self) -> None:
        self.request += 1
        self.busy = False
        self.say("")
        self.taken_at = None

    def say(self, text: str, problem: bool = False) -> None:
        self.status = text
        self.problem = problem
