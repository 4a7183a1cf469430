"""The JSON bodies kiosks and counter pages send, checked strictly: exact types, known categories
and priority kinds, bounded lengths, no unknown fields. FastAPI answers anything else with 422 and
one line (see :func:`server.main.create_app`).

A model's own checks raise ValueError with ``key: expected ..., got ...`` (the key within the
model); a field's own checks raise ``expected ..., got ...``. :func:`server.main.validation_message`
puts the record's position in front of either."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, Strict, StringConstraints, model_validator

from kiosk.feedback import BAD_LEVELS
from kiosk.queue_rules import APPOINTMENT, PRIORITY

KioskId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
ServiceId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,64}$")]
AppointmentCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,32}$")]
Category = Literal["normal", "priority", "appointment"]
PriorityKind = Literal["elderly", "disabled", "pregnant", "military", "urgent"]
Uuid = Annotated[uuid.UUID, Strict(False)]  # JSON has no UUID type: the text form is the strict form
Block = Annotated[int, Field(ge=1, le=9999)]
MAX_REPORTED = 10_000
EARLIEST_YEAR, LATEST_YEAR = 2000, 2999  # instants outside are typing errors, and far ones overflow on conversion to UTC


def _plausible(value: dt.datetime) -> dt.datetime:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"expected a time in the years {EARLIEST_YEAR} to {LATEST_YEAR}, got {value.isoformat()!r}")
    return value


Instant = Annotated[AwareDatetime, Strict(False), AfterValidator(_plausible)]  # ISO 8601 text with its UTC offset


class Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class KioskBody(Body):
    """A body a kiosk sends: it names the kiosk, which must be the one its token belongs to."""

    kiosk_id: KioskId


class IssueRequest(KioskBody):
    id: Uuid
    service_id: ServiceId | None = None  # None only for an appointment: the appointment names its service
    category: Category = "normal"
    priority_kind: PriorityKind | None = None
    appointment_code: AppointmentCode | None = None
    offline_block: Block | None = None
    instance: Uuid | None = None  # the kiosk machine's own id, which goes with its offline block

    @model_validator(mode="after")
    def _consistent(self) -> IssueRequest:
        if self.category == PRIORITY and self.priority_kind is None:
            raise ValueError("priority_kind: expected one of elderly, disabled, pregnant, military, urgent for a priority ticket, got null")
        if self.category != PRIORITY and self.priority_kind is not None:
            raise ValueError(f"priority_kind: expected null for a {self.category} ticket, got {self.priority_kind!r}")
        if self.category == APPOINTMENT and self.appointment_code is None:
            raise ValueError("appointment_code: expected the appointment's code, got null")
        if self.category != APPOINTMENT and self.appointment_code is not None:
            raise ValueError(f"appointment_code: expected null for a {self.category} ticket, got a code")
        if self.category != APPOINTMENT and self.service_id is None:
            raise ValueError("service_id: expected a service id, got null")
        return self


class OfflineTicket(Body):
    id: Uuid
    label: Annotated[str, StringConstraints(pattern=r"^[A-Z][0-9]{1,6}$")]
    prefix: Annotated[str, StringConstraints(pattern=r"^[A-Z]$")]
    number: Annotated[int, Field(ge=1, le=999_999)]
    day: Annotated[dt.date, Strict(False)]
    service_id: ServiceId
    category: Category
    priority_kind: PriorityKind | None = None
    appointment_code: AppointmentCode | None = None
    issued_at: Instant

    @model_validator(mode="after")
    def _label_matches(self) -> OfflineTicket:
        if not self.label.startswith(self.prefix) or int(self.label[1:]) != self.number:
            raise ValueError(f"label: expected the prefix and number ({self.prefix}, {self.number}), got {self.label!r}")
        return self


class OfflineReport(KioskBody):
    offline_block: Block | None = None
    instance: Uuid | None = None
    tickets: Annotated[list[OfflineTicket], Field(max_length=MAX_REPORTED)] = []
    abandoned: Annotated[list[Uuid], Field(max_length=MAX_REPORTED)] = []


class TransferRequest(Body):
    service_id: ServiceId


# ----- issue 5: ratings, complaints, heartbeats (docs/feedback-api.md). The codes are kiosk/feedback.py's;
# tests/server/test_feedback_schemas.py checks that these literals list exactly those.

Level = Literal["very_satisfied", "satisfied", "basically_satisfied", "dissatisfied", "very_dissatisfied"]
Reason = Literal["attitude", "efficiency", "expertise", "environment", "other"]
ComplaintKind = Literal["complaint", "suggestion"]
ComplaintCategory = Literal["attitude", "efficiency", "expertise", "integrity", "fees", "environment", "other"]
Preset = Literal[
    "rude",
    "not_first_asked",
    "long_wait",
    "not_told_once",
    "over_time_limit",
    "unclear_answer",
    "gift_or_favour",
    "unclear_fees",
    "facilities",
    "more_windows",
    "more_online",
    "praise",
]
PrinterStateCode = Literal["ok", "paper_near_end", "paper_out", "cover_open", "offline", "error", "unknown"]
Phone = Annotated[str, StringConstraints(pattern=r"^[0-9]{5,20}$")]
TicketLabel = Annotated[str, StringConstraints(pattern=r"^[A-Z][0-9]{1,6}$")]
Receipt = Annotated[str, StringConstraints(pattern=r"^[0-9]{8}-[A-Za-z0-9][A-Za-z0-9_.-]{0,63}-[0-9]{1,6}$")]
AppVersion = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9.+_-]{0,31}$")]
ContentDigest = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{12}$")]  # kiosk.content_loader.content_version
MAX_BATCH = 500
MAX_REASONS, MAX_PRESETS = 5, 12


def _no_repeats(key: str, codes: list[str]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise ValueError(f"{key}: expected no repeats, got {code!r} twice")
        seen.add(code)


class RatingIn(Body):
    id: Uuid
    created_at: Instant
    level: Level
    reasons: Annotated[list[Reason], Field(max_length=MAX_REASONS)] = []
    phone: Phone | None = None
    ticket_label: TicketLabel | None = None
    ticket_day: Annotated[dt.date, Strict(False)] | None = None
    ticket_id: Uuid | None = None
    service_id: ServiceId | None = None

    @model_validator(mode="after")
    def _consistent(self) -> RatingIn:
        bad = self.level in BAD_LEVELS
        if self.reasons and not bad:
            raise ValueError(f"reasons: expected none for the level {self.level}, got {len(self.reasons)}")
        _no_repeats("reasons", list(self.reasons))
        if self.phone is not None and not bad:
            raise ValueError(f"phone: expected null for the level {self.level}, got a number")
        if self.ticket_day is not None and self.ticket_label is None:
            raise ValueError("ticket_day: expected it only with a ticket_label, got a day without a label")
        return self


class RatingBatch(KioskBody):
    ratings: Annotated[list[RatingIn], Field(min_length=1, max_length=MAX_BATCH)]


class ComplaintIn(Body):
    id: Uuid
    receipt: Receipt
    created_at: Instant
    kind: ComplaintKind
    category: ComplaintCategory
    presets: Annotated[list[Preset], Field(max_length=MAX_PRESETS)] = []
    phone: Phone | None = None
    service_id: ServiceId | None = None
    ticket_label: TicketLabel | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ComplaintIn:
        _no_repeats("presets", list(self.presets))
        return self


class ComplaintBatch(KioskBody):
    complaints: Annotated[list[ComplaintIn], Field(min_length=1, max_length=MAX_BATCH)]


class Heartbeat(KioskBody):
    app_version: AppVersion
    printer_state: PrinterStateCode
    outbox_depth: Annotated[int, Field(ge=0, le=1_000_000_000)]
    last_sync: Instant | None = None
    sent_at: Instant
    # Issue 6 (docs/appliance-api.md), optional so that an older kiosk still works.
    content_version: ContentDigest | None = None
    uptime_s: Annotated[int, Field(ge=0, le=10**10)] | None = None
    free_disk_bytes: Annotated[int, Field(ge=0, le=10**15)] | None = None
    disk_low: bool | None = None
