"""The sync worker: a daemon thread that sends the outbox's ratings and complaints to the central
server and tells the server how this kiosk is (the heartbeat).

It runs a round when woken (a rating or complaint was just stored) or every ``[server]
sync_interval`` seconds. A round sends the outbox kind by kind, in batches of 500 (one request
each), until nothing due is left or the server fails; then a heartbeat (the facts of
:mod:`kiosk.health`) and, when the server answered it, the content's pull. What the server answers
decides each record's fate (:mod:`kiosk.outbox`): confirmed records are sent; a batch refused as a
whole (413, 422) is sent again in halves until the one record the server refuses alone is kept as
failed; a wrong token (401, 403), no answer or a 5xx put the batch back with a backoff; a 429
holds every request until its Retry-After has passed (by the wall and the monotonic clock, so a
clock set back never holds longer). ``kiosk sync`` runs the same rounds on its
own thread. The last problem is kept in one line for the admin screen.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kiosk import __version__
from kiosk.health import Health, printer_word, utc_iso
from kiosk.outbox import BATCH_SIZE, KINDS, Outbox, Record
from kiosk.sync_client import DELIVERED, RATE_LIMITED, REFUSED, SyncClient
from printers.status import PrinterStatus

log = logging.getLogger(__name__)
STOP_TIMEOUT = 5.0


@dataclass(frozen=True)
class Tally:
    """What one round (or one batch) came to."""

    sent: int = 0
    failed: int = 0  # records the server refused alone, now kept as failed
    problem: str = ""  # why the round stopped early ("" when it did not)
    refused: str = ""  # the server's words for the last record it refused
    retry_after: float | None = None  # the server asked to wait this long (429)

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.sent + other.sent,
            self.failed + other.failed,
            other.problem,
            other.refused or self.refused,
            other.retry_after,
        )

    @property
    def note(self) -> str:
        """The round's problem for the admin screen, or a word about records the server refused."""
        if self.problem:
            return self.problem
        return f"the server refused {self.failed} record(s), kept as failed: {self.refused}" if self.failed else ""


class SyncWorker:
    def __init__(
        self,
        outbox: Outbox,
        client: SyncClient,
        interval: float,
        printer_status: Callable[[], PrinterStatus] | None = None,
        version: str = __version__,
        health: Health | None = None,
        content: Callable[[], str] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.outbox, self.client, self.interval = outbox, client, interval
        self.printer_status, self.version = printer_status, version
        self.health = health  # the heartbeat's facts; None: only issue 5's (version, printer, outbox)
        self.content = content  # after each answered heartbeat: fetch the center's content; returns the problem or ""
        self.monotonic = monotonic
        # The server's Retry-After (429): no request before held_until (seconds since the epoch), nor
        # for more than hold_s after held_at by the monotonic clock, so a wall clock set back never
        # holds longer than the server asked.
        self.held_until = 0.0
        self.hold_s = 0.0
        self.held_at = 0.0
        self.rounds = 0
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_logged = ""

    # ----- the thread

    def start(self) -> None:
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """Stop after the request under way (each is bounded by the client's timeouts); wait at most ``timeout`` s."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def wake(self) -> None:
        """Run a round now (a record was just stored)."""
        self._wake.set()

    def _run(self) -> None:
        try:
            while not self._stopping.is_set():
                try:
                    self.sync_once()
                except Exception as error:  # the thread must outlive any surprise; the records stay in the outbox
                    log.exception("sync round failed")
                    self.outbox.set_error(f"sync round failed: {type(error).__name__}: {error}")
                self._wake.wait(self.interval)
                self._wake.clear()
        finally:
            self.client.close()

    # ----- one round

    def sync_once(self, due_only: bool = True, heartbeat: bool = True) -> Tally:
        """Send what is due (``due_only`` False: everything pending, backoff or not) and then, when
        that went through, the heartbeat. Keeps the round's problem as the last error."""
        if self.held():
            return Tally(problem=f"the server asked to wait until {utc_iso(self.held_until)} (HTTP 429)")
        tally = self.drain(due_only)
        if not tally.problem and heartbeat:
            tally = tally + Tally(problem=self.heartbeat())
            if not tally.problem and self.content is not None:
                tally = tally + Tally(problem=self.content())
        self.rounds += 1
        self.outbox.set_error(tally.note)
        if tally.note and tally.note != self._last_logged:
            log.warning("sync: %s", tally.note)
        self._last_logged = tally.note
        return tally

    def drain(self, due_only: bool = True) -> Tally:
        """Send batches of each kind until none is left or the server fails (a bounded number of batches)."""
        tally = Tally()
        for kind in KINDS:
            for _ in range(self.outbox.waiting(kind) // BATCH_SIZE + 1):
                batch = self.outbox.claim(kind, BATCH_SIZE, due_only)
                if not batch:
                    break
                tally = tally + self._deliver(kind, batch)
                if tally.problem:
                    return tally
        return tally

    def heartbeat(self) -> str:
        """Tell the server this kiosk's state; the problem in one line, "" when it answered."""
        body = self.health.facts().heartbeat_fields() if self.health is not None else self._basic_fields()
        body["sent_at"] = utc_iso(self._clock())
        answer = self.client.heartbeat(body)
        if answer.outcome != DELIVERED:
            if answer.outcome == RATE_LIMITED:
                self._hold(answer.retry_after or 0.0)
            return answer.message
        self.outbox.note_sync()
        return ""

    def _basic_fields(self) -> dict[str, Any]:
        """The heartbeat of a worker without a :class:`Health` (the keys of docs/feedback-api.md)."""
        counts = self.outbox.counts()
        return {
            "app_version": self.version,
            "printer_state": printer_word(self.printer_status() if self.printer_status else None),
            "outbox_depth": counts.pending + counts.in_flight,
            "last_sync": utc_iso(counts.last_sync) if counts.last_sync is not None else None,
        }

    def _deliver(self, kind: str, records: list[Record]) -> Tally:
        ids = [record.id for record in records]
        answer = self.client.send(kind, [record.payload for record in records])
        if answer.outcome == DELIVERED:
            confirmed = [i for i in ids if i in answer.confirmed]
            self.outbox.mark_sent(confirmed)
            if len(confirmed) == len(ids):
                return Tally(sent=len(ids))
            missing = [i for i in ids if i not in answer.confirmed]
            problem = f"the server answered without confirming {len(missing)} of {len(ids)} {kind}s"
            self.outbox.retry_later(missing, problem)
            return Tally(sent=len(confirmed), problem=problem)
        if answer.outcome == REFUSED:
            if len(records) == 1:
                self.outbox.mark_failed(ids, answer.message)
                log.error("sync: the server refused %s %s, kept as failed: %s", kind, ids[0], answer.message)
                return Tally(failed=1, refused=answer.message)
            half = len(records) // 2
            first = self._deliver(kind, records[:half])
            if first.problem:
                self.outbox.retry_later(ids[half:], first.problem, first.retry_after)
                return first
            return first + self._deliver(kind, records[half:])
        delay = self.outbox.retry_later(ids, answer.message, answer.retry_after)
        if answer.outcome == RATE_LIMITED:
            self._hold(delay)
        return Tally(problem=answer.message, retry_after=answer.retry_after)

    def _hold(self, seconds: float) -> None:
        self.held_until, self.hold_s, self.held_at = self._clock() + seconds, seconds, self.monotonic()

    def held(self) -> bool:
        """Still within the server's Retry-After: by the wall clock and by the monotonic clock both."""
        return self._clock() < self.held_until and self.monotonic() - self.held_at < self.hold_s

    def _clock(self) -> float:
        return self.outbox.now().timestamp()
