"""The JSON bodies kiosks and counter pages send, checked strictly: exact types, known categories
and priority kinds, bounded lengths, no unknown fields. FastAPI answers anything else with 422 and
one line (see :func:`server.main.create_app`)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, Strict, StringConstraints, model_validator

from kiosk.queue_rules import APPOINTMENT, PRIORITY

KioskId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
ServiceId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,64}$")]
AppointmentCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,32}$")]
Category = Literal["normal", "priority", "appointment"]
PriorityKind = Literal["elderly", "disabled", "pregnant", "military", "urgent"]
Uuid = Annotated[uuid.UUID, Strict(False)]  # JSON has no UUID type: the text form is the strict form
Block = Annotated[int, Field(ge=1, le=9999)]
MAX_REPORTED = 10_000


class Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class IssueRequest(Body):
    id: Uuid
    kiosk_id: KioskId
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
    issued_at: Annotated[AwareDatetime, Strict(False)]

    @model_validator(mode="after")
    def _label_matches(self) -> OfflineTicket:
        if not self.label.startswith(self.prefix) or int(self.label[1:]) != self.number:
            raise ValueError(f"label: expected the prefix and number ({self.prefix}, {self.number}), got {self.label!r}")
        return self


class OfflineReport(Body):
    kiosk_id: KioskId
    offline_block: Block | None = None
    instance: Uuid | None = None
    tickets: Annotated[list[OfflineTicket], Field(max_length=MAX_REPORTED)] = []
    abandoned: Annotated[list[Uuid], Field(max_length=MAX_REPORTED)] = []


class TransferRequest(Body):
    service_id: ServiceId
