"""The feedback desk: what the screens call to rate a service (质量评价) and to file a complaint or a
suggestion, to print a complaint's receipt, and to show the sync's state on the admin screen.

Every record is checked here, then stored in the outbox (:mod:`kiosk.outbox`) before the call
returns, so once a citizen sees "submitted" the record survives anything; the sync worker is woken
to send it. A draft id (a UUID made when the citizen starts) is the record's id: pressing submit
twice stores one record and returns it both times. A complaint's receipt number is the day, the
kiosk and the kiosk's count of complaints that day, counted in the same transaction that stores
it. A call-back phone number is kept whole only in the record for the server; everything shown or
printed has it masked. When the kiosk's database cannot take a record (the disk full or failing)
the call raises :class:`NotStored` and nothing is stored, so the screen says so calmly and the
citizen can try again; nothing is confirmed that is not on disk.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import sqlite3
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from kiosk.config import KioskConfig
from kiosk.content_store import ContentStore
from kiosk.feedback import BAD_LEVELS, CATEGORIES, COMPLAINT_KINDS, LEVELS, PRESETS, REASONS
from kiosk.numbering import numbering_day
from kiosk.outbox import COMPLAINT, RATING, Outbox
from kiosk.phone import PhoneInvalid, check_phone, mask_phone
from kiosk.printing import PrintDesk
from kiosk.queue_rules import QueueRules
from kiosk.sync_worker import SyncWorker
from kiosk.ticket import Ticket
from kiosk.ticket_book import TicketBook
from printers.receipts import ComplaintFacts
from printers.spooler import JobResult

log = logging.getLogger(__name__)
BAD_PHONE, BAD_TICKET, BAD_REASONS, BAD_PRESETS = "bad_phone", "bad_ticket", "bad_reasons", "bad_presets"
PRESETS_MAX = 12

FEEDBACK_SCHEMA = """
CREATE TABLE IF NOT EXISTS complaint_receipts (
    id TEXT PRIMARY KEY,
    day TEXT NOT NULL,
    number INTEGER NOT NULL,
    receipt TEXT NOT NULL,
    ticket_day TEXT,
    ticket_id TEXT,
    UNIQUE (day, number)
);
"""


class FeedbackInvalid(Exception):
    """What the citizen entered cannot be stored: ``code`` says which part (bad_phone, bad_ticket,
    bad_reasons, bad_presets) for the screen's own words; str() is one line in English."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class NotStored(Exception):
    """The kiosk's database refused to store the record (its disk is full or failing): nothing was
    stored. str() is one line: the database file and SQLite's words."""


@dataclass(frozen=True)
class TicketRef:
    """The queue ticket a rating or complaint is about: its label on its numbering day, and its id
    and service when this kiosk knows the ticket."""

    label: str
    day: dt.date
    ticket_id: str | None
    service_id: str | None


@dataclass(frozen=True)
class StoredRating:
    id: str
    level: str
    created_at: dt.datetime
    ticket: TicketRef | None
    phone_masked: str | None


@dataclass(frozen=True)
class StoredComplaint:
    id: str
    receipt: str
    kind: str
    category: str
    presets: tuple[str, ...]
    created_at: dt.datetime
    phone_masked: str | None
    ticket: TicketRef | None


@dataclass(frozen=True)
class SyncStatus:
    pending: int
    in_flight: int
    sent: int
    failed: int
    last_error: str
    last_sync: dt.datetime | None
    server_url: str


class FeedbackDesk:
    def __init__(
        self,
        config: KioskConfig,
        content: ContentStore,
        book: TicketBook,
        printing: PrintDesk,
        outbox: Outbox,
        worker: SyncWorker | None,
        now: Callable[[], dt.datetime],
    ) -> None:
        self.config, self.content, self.book, self.printing = config, content, book, printing
        self.outbox, self.worker, self.now = outbox, worker, now

    # ----- life

    def start(self) -> None:
        """Records a stop left in flight are pending again; old sent ones are forgotten; the worker
        starts. On a full disk the first two wait (a lease runs out by itself)."""
        try:
            self.outbox.recover()
            self.outbox.prune()
        except sqlite3.OperationalError as error:
            log.error("outbox: cannot tidy up at start: %s", error)
        if self.worker:
            self.worker.start()

    def stop(self) -> None:
        if self.worker:
            self.worker.stop()

    @property
    def rules(self) -> QueueRules:
        return self.content.content.queues

    def instant(self) -> dt.datetime:
        """Now, as an aware time in the center's zone."""
        return self.now().astimezone(self.rules.zone)

    # ----- what the screens ask

    def new_draft(self) -> str:
        return str(uuid.uuid4())

    def prefixes(self) -> tuple[str, ...]:
        """The letters a ticket number can start with (the services', the green channel's, appointments')."""
        rules = self.rules
        if not rules.queues:
            return ()
        letters = {queue.prefix for queue in rules.queues.values()} | {rules.priority_prefix, rules.appointment_prefix}
        return tuple(sorted(letters))

    def ticket_from_label(self, text: str) -> TicketRef:
        """A ticket number as typed ('B7' or 'B007') on today's numbering day, with its id and service
        when this kiosk's ledger knows it. Raises FeedbackInvalid('bad_ticket')."""
        typed = text.strip().upper()
        prefixes = self.prefixes()
        if not typed or typed[0] not in prefixes:
            got = f"{text!r}" if text.strip() else "nothing"
            raise FeedbackInvalid(BAD_TICKET, f"ticket: expected a number starting with {' or '.join(prefixes) or 'a letter'}, got {got}")
        rules, prefix = self.rules, typed[0]
        width = rules.digits_of(prefix)
        digits = typed[1:]
        if not re.fullmatch(f"[0-9]{{1,{width}}}", digits) or int(digits) == 0:
            raise FeedbackInvalid(BAD_TICKET, f"ticket: expected {prefix} and a number of 1 to {width} digits, got {text!r}")
        label = rules.format_number(prefix, int(digits))
        day = numbering_day(rules, self.instant(), self.book.latest_day())
        known = self.book.find(day, label)
        return TicketRef(label, day, known.id if known else None, known.service_id if known else None)

    def ticket_from_issued(self, ticket: Ticket) -> TicketRef:
        return TicketRef(ticket.label, ticket.day, ticket.id, ticket.service_id)

    def check_phone(self, digits: str) -> str:
        """The call-back number, checked; raises FeedbackInvalid('bad_phone')."""
        try:
            return check_phone(digits)
        except PhoneInvalid as invalid:
            raise FeedbackInvalid(BAD_PHONE, str(invalid)) from None

    def rate(
        self,
        draft_id: str,
        level: str,
        reasons: Sequence[str] = (),
        phone: str | None = None,
        ticket: TicketRef | None = None,
    ) -> StoredRating:
        """Store a rating (on disk when this returns) and wake the sync. Reasons and a call-back
        phone only for the two bad levels; an empty phone is no phone."""
        _check_draft(draft_id)
        if level not in LEVELS:
            raise ValueError(f"level: expected one of {', '.join(LEVELS)}, got {level!r}")
        bad = level in BAD_LEVELS
        if reasons and not bad:
            raise FeedbackInvalid(BAD_REASONS, f"reasons: expected none for {level}, got {', '.join(reasons)}")
        _check_codes(BAD_REASONS, "reasons", reasons, REASONS, len(REASONS))
        if phone and not bad:
            raise FeedbackInvalid(BAD_PHONE, f"phone: expected none for {level} (a call-back is offered after a bad rating), got a number")
        payload = {
            "id": draft_id,
            "created_at": self.instant().isoformat(timespec="seconds"),
            "level": level,
            "reasons": list(reasons),
            "phone": self.check_phone(phone) if phone else None,
            "ticket_label": ticket.label if ticket else None,
            "ticket_day": ticket.day.isoformat() if ticket else None,
            "ticket_id": ticket.ticket_id if ticket else None,
            "service_id": ticket.service_id if ticket else None,
        }
        try:
            new = self.outbox.add(RATING, draft_id, payload)
        except sqlite3.OperationalError as error:
            raise self._not_stored("rating", error) from None
        if not new:
            payload = self._stored_payload(RATING, draft_id)
        self.sync_now()
        return _rating(payload)

    def complain(
        self,
        draft_id: str,
        kind: str,
        category: str,
        presets: Sequence[str],
        phone: str | None = None,
        ticket: TicketRef | None = None,
    ) -> StoredComplaint:
        """Store a complaint or suggestion with its receipt number (on disk when this returns) and
        wake the sync. An empty phone is no phone."""
        _check_draft(draft_id)
        if kind not in COMPLAINT_KINDS:
            raise ValueError(f"kind: expected one of {', '.join(COMPLAINT_KINDS)}, got {kind!r}")
        if category not in CATEGORIES:
            raise ValueError(f"category: expected one of {', '.join(CATEGORIES)}, got {category!r}")
        _check_codes(BAD_PRESETS, "presets", presets, tuple(PRESETS), PRESETS_MAX)
        checked_phone = self.check_phone(phone) if phone else None
        created = self.instant()
        day = created.date()
        try:
            with self.outbox.db.transaction() as connection:
                row = connection.execute("SELECT * FROM complaint_receipts WHERE id = ?", (draft_id,)).fetchone()
                if row is None:
                    number = connection.execute(
                        "SELECT COALESCE(MAX(number), 0) + 1 FROM complaint_receipts WHERE day = ?", (day.isoformat(),)
                    ).fetchone()[0]
                    receipt = f"{day:%Y%m%d}-{self.config.kiosk_id}-{number:03d}"
                    payload = {
                        "id": draft_id,
                        "receipt": receipt,
                        "created_at": created.isoformat(timespec="seconds"),
                        "kind": kind,
                        "category": category,
                        "presets": list(presets),
                        "phone": checked_phone,
                        "service_id": ticket.service_id if ticket else None,
                        "ticket_label": ticket.label if ticket else None,
                    }
                    if not self.outbox.add_in_transaction(COMPLAINT, draft_id, payload):
                        raise ValueError(f"draft_id: expected a new draft for a complaint, got {draft_id} of a rating")
                    ticket_day, ticket_id = (ticket.day.isoformat(), ticket.ticket_id) if ticket else (None, None)
                    connection.execute(
                        "INSERT INTO complaint_receipts (id, day, number, receipt, ticket_day, ticket_id) VALUES (?, ?, ?, ?, ?, ?)",
                        (draft_id, day.isoformat(), number, receipt, ticket_day, ticket_id),
                    )
                    row = connection.execute("SELECT * FROM complaint_receipts WHERE id = ?", (draft_id,)).fetchone()
        except sqlite3.OperationalError as error:
            raise self._not_stored("complaint", error) from None
        self.sync_now()
        stored = self._stored_payload(COMPLAINT, draft_id)
        return _complaint(stored, row["ticket_day"], row["ticket_id"])

    def complaint_url(self, complaint_id: str) -> str | None:
        """The phone page to continue a complaint (its receipt's QR code); None without a server."""
        if not (self.config.server_url and self.config.public_url):
            return None
        return f"{self.config.public_url.rstrip('/')}/c/{complaint_id}"

    def print_complaint_receipt(self, complaint: StoredComplaint, language: str, on_done: Callable[[JobResult], None]) -> None:
        """Print the complaint's receipt through the printer thread; ``on_done`` gets the job's result."""
        facts = ComplaintFacts(
            receipt=complaint.receipt,
            created_at=complaint.created_at,
            kind=complaint.kind,
            category=complaint.category,
            presets=complaint.presets,
            phone_masked=complaint.phone_masked,
            ticket_label=complaint.ticket.label if complaint.ticket else None,
        )
        center = self.content.content.center
        receipt = self.printing.writer(language).complaint(center, facts, self.complaint_url(complaint.id) or "")
        self.printing.submit(receipt, on_done)

    # ----- the sync, for the admin screen

    def sync_status(self) -> SyncStatus:
        counts = self.outbox.counts()
        return SyncStatus(
            pending=counts.pending,
            in_flight=counts.in_flight,
            sent=counts.sent,
            failed=counts.failed,
            last_error=counts.last_error,
            last_sync=dt.datetime.fromtimestamp(counts.last_sync, self.rules.zone) if counts.last_sync is not None else None,
            server_url=self.config.server_url,
        )

    def sync_now(self) -> None:
        if self.worker:
            self.worker.wake()

    def status_lines(self) -> list[str]:
        """What the admin screen says about ratings, complaints and their sync (in English)."""
        status = self.sync_status()
        if not status.server_url:
            return [f"ratings and complaints: {status.pending} kept on this kiosk (no [server] url: nothing is sent)"]
        lines = [
            f"outbox: {status.pending} waiting, {status.in_flight} being sent, {status.sent} sent, "
            f"{status.failed} refused by the server (kept)",
            f"last sync: {status.last_sync:%Y-%m-%d %H:%M:%S}" if status.last_sync else "last sync: never",
        ]
        if status.last_error:
            lines.append(f"last sync problem: {status.last_error}")
        return lines

    # ----- reading back and storage failures

    def _not_stored(self, what: str, error: sqlite3.OperationalError) -> NotStored:
        problem = NotStored(f"{self.outbox.db.path}: the {what} was not stored: {error}")
        log.error("%s", problem)
        return problem

    def _stored_payload(self, kind: str, record_id: str) -> dict[str, Any]:
        record = self.outbox.get(record_id)
        if record is None or record.kind != kind:
            used = f"a {record.kind}" if record else "nothing"
            raise ValueError(f"draft_id: expected a draft of a {kind}, got {record_id} of {used}")
        return record.payload


def _check_draft(draft_id: str) -> None:
    try:
        canonical = str(uuid.UUID(draft_id))
    except (ValueError, TypeError, AttributeError):
        canonical = ""
    if canonical != draft_id:
        raise ValueError(f"draft_id: expected a UUID from new_draft(), got {draft_id!r}")


def _check_codes(code: str, name: str, given: Sequence[str], known: tuple[str, ...], most: int) -> None:
    """Codes of one vocabulary: each known, none twice, at most ``most``."""
    unknown = [value for value in given if value not in known]
    if unknown:
        raise FeedbackInvalid(code, f"{name}: expected codes from {', '.join(known)}, got {unknown[0]!r}")
    repeated = sorted({value for value in given if list(given).count(value) > 1})
    if repeated:
        raise FeedbackInvalid(code, f"{name}: expected each code once, got {repeated[0]!r} twice")
    if len(given) > most:
        raise FeedbackInvalid(code, f"{name}: expected at most {most}, got {len(given)}")


def _ticket_ref(label: str | None, day: str | None, ticket_id: str | None, service_id: str | None) -> TicketRef | None:
    if not label or not day:
        return None
    return TicketRef(label, dt.date.fromisoformat(day), ticket_id, service_id)


def _rating(payload: dict[str, Any]) -> StoredRating:
    return StoredRating(
        id=payload["id"],
        level=payload["level"],
        created_at=dt.datetime.fromisoformat(payload["created_at"]),
        ticket=_ticket_ref(payload["ticket_label"], payload["ticket_day"], payload["ticket_id"], payload["service_id"]),
        phone_masked=mask_phone(payload["phone"]) if payload["phone"] else None,
    )


def _complaint(payload: dict[str, Any], ticket_day: str | None, ticket_id: str | None) -> StoredComplaint:
    return StoredComplaint(
        id=payload["id"],
        receipt=payload["receipt"],
        kind=payload["kind"],
        category=payload["category"],
        presets=tuple(payload["presets"]),
        created_at=dt.datetime.fromisoformat(payload["created_at"]),
        phone_masked=mask_phone(payload["phone"]) if payload["phone"] else None,
        ticket=_ticket_ref(payload["ticket_label"], ticket_day, ticket_id, payload["service_id"]),
    )
