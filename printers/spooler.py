"""The printer thread: jobs and status questions go through one queue, never the screen's thread.

``submit`` writes the job to the journal (committed to disk) and returns its id at once; the
thread encodes, sends, confirms and records the outcome, then calls the job's ``on_done`` with
a :class:`JobResult` (the app wraps it so it runs on the screen's thread). ``on_done`` is called
for every job, also when the journal cannot record its progress (the disk full).
"""

from __future__ import annotations

import datetime as dt
import logging
import queue
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass

from printers.journal import PrintJournal
from printers.printer import JobOutcome, Printer
from printers.receipt import Receipt
from printers.status import PrinterState, PrinterStatus

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobResult:
    job_id: int
    receipt: Receipt
    outcome: JobOutcome

    @property
    def printed(self) -> bool:
        return self.outcome.printed


JobCallback = Callable[[JobResult], None]
StatusCallback = Callable[[PrinterStatus], None]


class Spooler:
    def __init__(
        self,
        printer: Printer,
        journal: PrintJournal,
        encode: Callable[[Receipt], bytes],
        now: Callable[[], dt.datetime] = dt.datetime.now,
    ) -> None:
        self.printer, self.journal, self.encode, self.now = printer, journal, encode, now
        self.tasks: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self.thread: threading.Thread | None = None
        self.last_status = PrinterStatus(PrinterState.NO_ANSWER, "not asked yet")

    # ----- from the screen's thread

    def start(self) -> None:
        try:
            self.journal.recover(self.now())
        except sqlite3.OperationalError as error:  # a full disk: the jobs stay as they are until the next start
            log.error("print journal: cannot mark the jobs a stop interrupted: %s", error)
        self.thread = threading.Thread(target=self._work, name="printer", daemon=True)
        self.thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        if self.thread is not None:
            self.tasks.put(None)
            self.thread.join(timeout)
            self.thread = None

    def submit(self, receipt: Receipt, on_done: JobCallback | None = None) -> int:
        """Journal the job (on disk when this returns) and queue it for the printer thread. A job
        the journal cannot take (the disk full) is not printed: ``on_done`` still hears so, as a
        failed job numbered 0, and the screen says it calmly instead of waiting for ever."""
        try:
            job_id = self.journal.add(receipt, self.now())
        except sqlite3.OperationalError as error:
            log.error("print job not printed: the journal cannot record it: %s", error)
            status = PrinterStatus(PrinterState.OFFLINE, f"the kiosk cannot record print jobs: {error}")
            result = JobResult(0, receipt, JobOutcome(False, status, f"not printed: {status}"))
            self.tasks.put(lambda: self._finish(result, on_done))
            return 0
        self.tasks.put(lambda: self._finish(self.run(job_id), on_done))
        return job_id

    def reprint(self, job_id: int, on_done: JobCallback | None = None) -> None:
        self.journal.requeue(job_id, self.now())
        self.tasks.put(lambda: self._finish(self.run(job_id), on_done))

    def ask_status(self, on_done: StatusCallback) -> None:
        self.tasks.put(lambda: on_done(self.check_status()))

    # ----- on the printer thread (or directly, from the command line)

    def run(self, job_id: int) -> JobResult:
        """Print one journalled job now and record what happened. A job whose start the journal
        cannot record (the disk full) is not printed; one whose end it cannot record still says
        what happened (the journal keeps it as printing, which a restart turns into failed)."""
        job = self.journal.get(job_id)
        try:
            self.journal.start(job_id, self.now())
        except sqlite3.OperationalError as error:
            log.error("print job %s not printed: the journal cannot record it: %s", job_id, error)
            status = PrinterStatus(PrinterState.OFFLINE, f"the kiosk cannot record print jobs: {error}")
            return JobResult(job_id, job.receipt, JobOutcome(False, status, f"not printed: {status}"))
        try:
            data = self.encode(job.receipt)
        except Exception as error:  # noqa: BLE001 - a receipt that cannot be encoded fails alone
            log.exception("cannot encode print job %s", job_id)
            outcome = JobOutcome(False, self.last_status, f"not printed: cannot encode the receipt ({error})")
        else:
            outcome = self.printer.send(data)
        self.last_status = outcome.status
        try:
            if outcome.printed:
                self.journal.printed(job_id, len(data), self.now())
            else:
                self.journal.failed(job_id, outcome.reason, self.now())
        except sqlite3.OperationalError as error:
            log.error("print job %s %s, but the journal cannot record it: %s", job_id, "printed" if outcome.printed else "failed", error)
        return JobResult(job_id, job.receipt, outcome)

    def check_status(self) -> PrinterStatus:
        self.last_status = self.printer.status()
        return self.last_status

    def _finish(self, result: JobResult, on_done: JobCallback | None) -> None:
        if on_done is not None:
            on_done(result)

    def _work(self) -> None:
        while True:
            task = self.tasks.get()
            if task is None:
                return
            try:
                task()
            except Exception:  # noqa: BLE001 - the printer thread must outlive any one job
                log.exception("printer task failed")
