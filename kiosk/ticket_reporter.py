"""The reporter thread: tells the central server about the tickets this kiosk numbered from its
offline block, and about requests it gave up waiting for, once the server answers again.

It wakes every ``[server] report_interval`` seconds, or at once when the desk falls back to its
block. Only what the server confirmed is marked reported, so a kill or a lost answer means the
same records are sent again, and the server (idempotent on ids) stores them once.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable

from kiosk.config import KioskConfig
from kiosk.server_session import ServerAccess
from kiosk.ticket import TicketRefused
from kiosk.ticket_book import TicketBook
from kiosk.ticket_client import ReportResult, ServerSilent, TicketClient

log = logging.getLogger(__name__)
REPORT_TIMEOUT = 5.0


class TicketReporter:
    def __init__(self, book: TicketBook, config: KioskConfig, now: Callable[[], dt.datetime]) -> None:
        self.book, self.config, self.now = book, config, now
        self.client = TicketClient(config.server_url, config.kiosk_id, REPORT_TIMEOUT, ServerAccess.of(config))
        self.last_problem = ""
        self.last_reported_at: dt.datetime | None = None
        self.conflicts = 0  # offline tickets the server could not take (shown on the admin screen)
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="ticket-reporter", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout)
        self.client.close()

    def wake(self) -> None:
        self._wake.set()

    def report_now(self) -> ReportResult | None:
        """Send everything unreported in one batch; None when there was nothing to send."""
        tickets, abandoned = self.book.unreported()
        if not tickets and not abandoned:
            return None
        result = self.client.report_offline(self.config.offline_block, self.book.instance_id(), tickets, abandoned)
        for ticket_id in result.conflicts:
            log.error("central server: offline ticket %s clashes with a number it already gave; check [server] offline_block", ticket_id)
        self.conflicts += len(result.conflicts)
        self.book.mark_reported([*result.stored, *result.conflicts], abandoned)
        self.last_reported_at = self.now()
        return result

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self.report_now()
                self.last_problem = ""
            except (ServerSilent, TicketRefused) as silent:
                if str(silent) != self.last_problem:
                    log.warning("central server: %s (offline tickets kept for the next try)", silent)
                self.last_problem = str(silent)
            except Exception:  # the thread must outlive any surprise; the records stay unreported
                log.exception("reporting offline tickets failed")
            self._wake.wait(self.config.report_interval)
            self._wake.clear()
