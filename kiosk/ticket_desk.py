"""The ticket desk: what the screens call to take a number, check in an appointment and print.

It decides where a number comes from. With ``[server] url`` set, the central server numbers for the
whole center; when the server is silent longer than ``[server] timeout`` the kiosk numbers from its
own offline block and the reporter thread tells the server later. Without a server the kiosk's
ledger numbers on its own. Either way the ticket is in the kiosk's database before it is returned:
when the database cannot take it (the disk full) no number is given and the screen says so calmly.
A print's outcome that the ledger cannot record is logged; the screen still hears how it went.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.appointments import Appointments, load_appointments
from kiosk.config import KioskConfig
from kiosk.content_store import ContentStore
from kiosk.opening_hours import opening
from kiosk.printing import PrintDesk
from kiosk.problems import ProblemsFound
from kiosk.queue_rules import APPOINTMENT, NORMAL, QueueRules
from kiosk.server_session import ServerAccess
from kiosk.ticket import APPOINTMENTS_UNAVAILABLE, BLOCK_TAKEN, CLOSED, UNKNOWN_APPOINTMENT, Ticket, TicketRefused
from kiosk.ticket_book import TicketBook
from kiosk.ticket_client import ServerQueue, ServerSilent, TicketClient
from kiosk.ticket_reporter import TicketReporter
from printers.spooler import JobCallback, JobResult

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class QueueStatus:
    """One ticketed service as the ticket screen shows it."""

    service_id: str
    open: bool
    closes_at: dt.datetime | None
    next_open: dt.datetime | None
    full: bool
    waiting: int | None  # None: not known here
    wait_minutes: float | None  # None: no basis for an estimate


class TicketDesk:
    def __init__(
        self,
        config: KioskConfig,
        content: ContentStore,
        book: TicketBook,
        printing: PrintDesk,
        now: Callable[[], dt.datetime],
    ) -> None:
        self.config, self.content, self.book, self.printing, self.now = config, content, book, printing, now
        access = ServerAccess.of(config)
        self.client = TicketClient(config.server_url, config.kiosk_id, config.server_timeout, access) if config.server_url else None
        self.reporter = TicketReporter(book, config, now) if config.server_url else None
        self.last_server_problem = ""

    # ----- life

    def start(self) -> None:
        try:
            self.book.recover()
        except sqlite3.OperationalError as error:  # a full disk: what a stop left is marked at the next start
            log.error("ticket ledger: cannot mark what a stop left unfinished: %s", error)
        if self.reporter:
            self.reporter.start()

    def stop(self) -> None:
        if self.reporter:
            self.reporter.stop()

    @property
    def rules(self) -> QueueRules:
        return self.content.content.queues

    def instant(self) -> dt.datetime:
        """Now, as an aware time in the center's zone (a naive clock reads as this machine's local time)."""
        return self.now().astimezone(self.rules.zone)

    # ----- what the screens ask

    def overview(self) -> list[QueueStatus]:
        rules, instant = self.rules, self.instant()
        server = self._server_queues()
        issued = {} if server else self.book.issued_today(rules, instant)  # the server counts all kiosks when it answers
        statuses = []
        for service_id, queue in rules.queues.items():
            hours = opening(rules, service_id, instant)
            known = server.get(service_id)
            own_count_full = queue.daily_cap is not None and issued.get(service_id, 0) >= queue.daily_cap
            full = known.full if known is not None else own_count_full
            statuses.append(
                QueueStatus(
                    service_id=service_id,
                    open=hours.open,
                    closes_at=hours.closes_at,
                    next_open=hours.next_open,
                    full=full,
                    waiting=known.waiting if known else None,
                    wait_minutes=known.wait_minutes if known else None,
                )
            )
        return statuses

    def take(self, service_id: str, category: str = NORMAL, priority_kind: str | None = None) -> Ticket:
        rules, instant = self.rules, self.instant()
        hours = opening(rules, service_id, instant)  # KeyError for a service that issues no tickets
        if not hours.open:
            raise TicketRefused(CLOSED, hours.next_open)
        return self._issue(rules, instant, service_id, category, priority_kind, None)

    def take_at_any_hour(self, service_id: str) -> Ticket:
        """A normal ticket like :meth:`take`, without the kiosk's own opening-hours check:
        ``kiosk print ticket`` is a staff tool. The number still comes from the server first,
        which applies the center's hours when it answers."""
        if service_id not in self.rules.queues:
            raise KeyError(service_id)
        return self._issue(self.rules, self.instant(), service_id, NORMAL, None, None)

    def check_in(self, code: str) -> Ticket:
        rules, instant = self.rules, self.instant()
        if self.client:
            try:
                return self._ask_server(instant, None, APPOINTMENT, None, code)
            except ServerSilent:
                pass  # the kiosk's own appointments file, when it has one
        appointments = self._appointments()
        if appointments is None:
            raise TicketRefused(APPOINTMENTS_UNAVAILABLE if self.client else UNKNOWN_APPOINTMENT)
        appointment = appointments.check_in(code, instant)
        block = self._usable_block() if self.client else None
        return self.book.issue(rules, appointment.service_id, APPOINTMENT, None, code, instant, block)

    def print_ticket(self, ticket: Ticket, language: str, on_done: JobCallback | None = None) -> None:
        receipt = self.printing.ticket(self.content.content, ticket, language)

        def printed(result: JobResult) -> None:
            if result.printed:
                self._print_state(ticket, None)
            else:
                self._print_state(ticket, result.outcome.reason or result.outcome.status.state.value)
            if on_done:
                on_done(result)

        self.printing.submit(receipt, printed)

    def not_shown(self, ticket: Ticket) -> None:
        """The visitor left before the number reached the screen: the number is recorded as lost."""
        self._print_state(ticket, "not shown: the visitor had left the screen")

    def _print_state(self, ticket: Ticket, failure: str | None) -> None:
        """Record that ``ticket`` printed (``failure`` None) or why not; a disk that cannot take it is logged."""
        try:
            if failure is None:
                self.book.mark_printed(ticket.id)
            else:
                self.book.mark_print_failed(ticket.id, failure)
        except sqlite3.OperationalError as error:
            log.error("ticket %s: cannot record its print (%s): %s", ticket.label, failure or "printed", error)

    def ticket_qr_url(self, ticket: Ticket) -> str:
        """The address in the ticket's QR code: ``[printer] ticket_url``, else the central server's
        ticket page; "" when there is neither (no QR code then)."""
        return self.printing.settings.ticket_qr(ticket.id)

    def status_lines(self) -> list[str]:
        """What the admin screen says about ticket numbering (in English, like the configuration summary)."""
        if not self.client:
            return []  # the configuration summary already says the kiosk numbers on its own
        tickets, abandoned = self.book.unreported()
        state = f"not answering: {self.last_server_problem}" if self.last_server_problem else "answering"
        lines = [
            f"central server {self.config.server_url}: {state}",
            f"offline tickets not yet reported: {len(tickets)}; requests given up on, not yet reported: {len(abandoned)}",
        ]
        problem = self.block_problem()
        if problem:
            lines.append(f"fix kiosk.ini: {problem}")
        if self.reporter and self.reporter.conflicts:
            lines.append(f"offline tickets the server could not take (see the log): {self.reporter.conflicts}")
        return lines

    # ----- where numbers come from

    def _issue(
        self, rules: QueueRules, instant: dt.datetime, service_id: str, category: str, priority_kind: str | None, code: str | None
    ) -> Ticket:
        if self.client:
            try:
                return self._ask_server(instant, service_id, category, priority_kind, code)
            except ServerSilent:
                return self.book.issue(rules, service_id, category, priority_kind, code, instant, self._usable_block())
        return self.book.issue(rules, service_id, category, priority_kind, code, instant, None)

    def block_problem(self) -> str:
        """Why this kiosk may not number from its offline block ("" when it may)."""
        return self._block_out_of_range() or self.book.block_conflict()

    def _block_out_of_range(self) -> str:
        blocks = self.rules.offline_blocks
        if 1 <= self.config.offline_block <= blocks:
            return ""
        expected = f"expected a block from 1 to {blocks} (offline_blocks in queues.ini)"
        return f"[server] offline_block = {self.config.offline_block}: {expected}"

    def _usable_block(self) -> int:
        """The offline block, or the refusal that says why it cannot be used: numbering from a block
        another kiosk also uses could repeat a number."""
        problem = self.block_problem()
        if problem:
            raise TicketRefused(BLOCK_TAKEN, None, problem)
        return self.config.offline_block

    def _ask_server(
        self, instant: dt.datetime, service_id: str | None, category: str, priority_kind: str | None, code: str | None
    ) -> Ticket:
        assert self.client is not None
        request_id = str(uuid.uuid4())
        self.book.begin_request(request_id, instant)
        try:
            block = None if self._block_out_of_range() else self.config.offline_block  # a claim the server would refuse
            ticket = self.client.issue(request_id, service_id, category, priority_kind, code, block, self.book.instance_id())
        except ServerSilent as silent:
            self.book.request_abandoned(request_id)
            self._server_problem(str(silent))
            if self.reporter:
                self.reporter.wake()
            raise
        except TicketRefused as refused:
            self.book.request_answered(request_id)
            if refused.reason == BLOCK_TAKEN:  # kept on disk: after a restart the block stays unused
                conflict = f"[server] offline_block = {self.config.offline_block}: {refused}"
                self.book.set_block_conflict(conflict)
                self._server_problem(conflict)
            raise
        ticket = dataclasses.replace(ticket, issued_at=ticket.issued_at.astimezone(self.rules.zone))
        self.book.record(ticket)
        self.book.request_answered(request_id)
        self.last_server_problem = ""
        if self.book.block_conflict():
            self.book.set_block_conflict("")  # the server accepts our block now
        return ticket

    def _server_queues(self) -> dict[str, ServerQueue]:
        if not self.client:
            return {}
        try:
            return self.client.queues()
        except ServerSilent as silent:
            self._server_problem(str(silent))
            return {}

    def _server_problem(self, text: str) -> None:
        if text != self.last_server_problem:
            log.warning("central server: %s", text)
        self.last_server_problem = text

    def _appointments(self) -> Appointments | None:
        path = self.config.appointments_path
        if path is None:
            return None
        try:
            return load_appointments(path, set(self.rules.queues))
        except ProblemsFound as found:
            log.warning("appointments file: %s", found.problems[0])
            return None
        except OSError as error:
            log.warning("appointments file %s: %s", path, error.strerror)
            return None
