"""This kiosk's health in one place: the printer's state, the outbox's depth with the last sync
and its last problem, the content in use, the app's version and uptime, and the free space on the
disk of the data folder.

The sync worker sends these facts to the central server in each heartbeat (docs/appliance-api.md,
the server's fleet page flags them); the admin screen shows the same facts on the kiosk.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk import __version__
from kiosk.content_store import ContentStore
from kiosk.outbox import Outbox
from printers.status import PrinterState, PrinterStatus

MEGABYTE = 1024 * 1024
# The heartbeat's words for the printer's state (docs/feedback-api.md).
PRINTER_STATES = {
    PrinterState.READY: "ok",
    PrinterState.PAPER_NEAR_END: "paper_near_end",
    PrinterState.PAPER_OUT: "paper_out",
    PrinterState.COVER_OPEN: "cover_open",
    PrinterState.OFFLINE: "offline",
    PrinterState.DISCONNECTED: "offline",
    PrinterState.NO_ANSWER: "unknown",
    PrinterState.NO_STATUS: "unknown",  # printing to a file: written is all the kiosk knows
    PrinterState.NOT_CONFIGURED: "unknown",
}


def printer_word(status: PrinterStatus | None) -> str:
    """The heartbeat's word for a printer status ("unknown" when there is none)."""
    return "unknown" if status is None else PRINTER_STATES.get(status.state, "unknown")


def disk_text(free_bytes: int) -> str:
    """Free space as people read it: 850MB, 12.3GB (no space, so a wrapped line never parts number and unit)."""
    megabytes = free_bytes / MEGABYTE
    return f"{megabytes / 1024:.1f}GB" if megabytes >= 1024 else f"{megabytes:.0f}MB"


def uptime_parts(seconds: int) -> tuple[int, int, int]:
    """Whole days, hours and minutes of a span of seconds."""
    minutes = seconds // 60
    return minutes // (24 * 60), minutes // 60 % 24, minutes % 60


def utc_iso(moment: float) -> str:
    """Seconds since the epoch as the heartbeat writes instants: UTC ISO 8601 to the second."""
    return dt.datetime.fromtimestamp(moment, dt.timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class ContentInUse:
    digest: str  # kiosk.content_loader.content_version of the files shown (12 hex digits)
    label: str  # for people: "server version 12 (abcd1234ef56), applied 2026-11-21 10:30"


def content_in_use(store: ContentStore) -> ContentInUse:
    """The content a store shows: its digest, and where it came from with when it was applied."""
    return ContentInUse(store.content.version, store.in_use)


@dataclass(frozen=True)
class HealthFacts:
    """What is known about this kiosk at one moment."""

    printer: PrinterStatus | None  # None: no printer status known
    outbox_depth: int  # records not yet delivered (waiting or being sent)
    last_sync: float | None  # when the server last answered (seconds since the epoch); None: never
    last_problem: str  # the last sync round's problem in one line ("" when it went through)
    content: ContentInUse | None  # None: this kiosk does not say
    app_version: str
    uptime_s: int  # whole seconds since the app started, by the monotonic clock
    free_disk_bytes: int | None  # None: the disk could not be read
    min_free_disk_bytes: int
    disk_problem: str = ""  # why the disk could not be read

    @property
    def printer_state(self) -> str:
        return printer_word(self.printer)

    @property
    def disk_low(self) -> bool:
        return self.free_disk_bytes is not None and self.free_disk_bytes < self.min_free_disk_bytes

    def heartbeat_fields(self) -> dict[str, Any]:
        """The heartbeat's body without ``kiosk_id`` and ``sent_at`` (docs/appliance-api.md)."""
        fields: dict[str, Any] = {
            "app_version": self.app_version,
            "printer_state": self.printer_state,
            "outbox_depth": self.outbox_depth,
            "last_sync": None if self.last_sync is None else utc_iso(self.last_sync),
            "content_version": None if self.content is None else self.content.digest,
            "uptime_s": self.uptime_s,
            "disk_low": self.disk_low,
        }
        if self.free_disk_bytes is not None:
            fields["free_disk_bytes"] = self.free_disk_bytes
        return fields


class Health:
    """Gathers the facts when asked; its uptime counts from when it was made (with the app)."""

    def __init__(
        self,
        outbox: Outbox,
        data_dir: Path,
        min_free_disk_mb: int,
        printer_status: Callable[[], PrinterStatus | None] | None = None,
        content: Callable[[], ContentInUse] | None = None,
        version: str = __version__,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.outbox, self.data_dir, self.min_free_disk_mb = outbox, data_dir, min_free_disk_mb
        self.printer_status, self.content, self.version, self.monotonic = printer_status, content, version, monotonic
        self.started = monotonic()

    def facts(self) -> HealthFacts:
        counts = self.outbox.counts()
        free, problem = self.free_disk()
        return HealthFacts(
            printer=self.printer_status() if self.printer_status else None,
            outbox_depth=counts.pending + counts.in_flight,
            last_sync=counts.last_sync,
            last_problem=counts.last_error,
            content=self.content() if self.content else None,
            app_version=self.version,
            uptime_s=max(0, int(self.monotonic() - self.started)),
            free_disk_bytes=free,
            min_free_disk_bytes=self.min_free_disk_mb * MEGABYTE,
            disk_problem=problem,
        )

    def free_disk(self) -> tuple[int | None, str]:
        """Free bytes on the data folder's disk, or None and why not."""
        try:
            return shutil.disk_usage(self.data_dir).free, ""
        except OSError as error:
            return None, f"{self.data_dir}: {error.strerror or error}"
