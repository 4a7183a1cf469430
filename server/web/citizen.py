"""What a citizen's phone may read and write, the UUID of a ticket or a complaint being the key:
a ticket's state (people ahead, wait estimate, window), one rating per served ticket, and the
details of a complaint made on the kiosk.

A phone rating is stored like a kiosk's (source ``phone``, an id made here, its month in the
center's time zone, the ticket's service and window) and a bad one gets a follow-up due in working
days. Whichever device rates a ticket first holds it: the ratings table's unique ticket id decides.
Details wait for their complaint: they are kept under the complaint's UUID whether or not the
kiosk's record has arrived.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator, model_validator
from sqlalchemy import Connection, exists, insert, select
from sqlalchemy.exc import IntegrityError

from kiosk.content import Text
from kiosk.feedback import BAD_LEVELS, LEVELS, REASONS, SCORES, TEXT_MAX
from kiosk.phone import PhoneInvalid, check_phone
from kiosk.queue_rules import QueueRules
from server.db import Database
from server.errors import NOT_FOUND, ApiError
from server.feedback import FEEDBACK_WRITES
from server.models import (
    DONE,
    FROM_PHONE,
    PENDING,
    RATING_RECORD,
    complaint_details,
    complaints,
    follow_ups,
    ratings,
    tickets,
)
from server.tickets import TicketOffice
from server.times import Clock, stamp
from server.working_days import add_working_days

ALREADY_RATED = "already_rated"  # 409
NOT_SERVED = "not_served"  # 409: rating a ticket that is not done
ALREADY_ADDED = "already_added"  # 409: a complaint's details are added once


def ticket_key(text: str) -> str | None:
    """The UUID in a page's address as stored (lower case, with hyphens), or None when it is none."""
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return None


class RatingForm(BaseModel):
    """``{"level", "reasons", "phone"}`` from the ticket page."""

    model_config = ConfigDict(strict=True, extra="forbid")
    level: str
    reasons: list[str] = []
    phone: str | None = None

    @field_validator("level")
    @classmethod
    def _known_level(cls, level: str) -> str:
        if level not in LEVELS:
            raise ValueError(f"expected one of {', '.join(LEVELS)}, got {level[:40]!r}")
        return level

    @field_validator("reasons")
    @classmethod
    def _known_reasons(cls, reasons: list[str]) -> list[str]:
        for reason in reasons:
            if reason not in REASONS:
                raise ValueError(f"expected codes of {', '.join(REASONS)}, got {reason[:40]!r}")
        if len(set(reasons)) != len(reasons):
            raise ValueError("expected each reason once, got one twice")
        return reasons

    @field_validator("phone")
    @classmethod
    def _phone(cls, phone: str | None) -> str | None:
        try:
            return None if phone is None else check_phone(phone)
        except PhoneInvalid as invalid:
            raise ValueError(str(invalid).removeprefix("phone: ")) from None

    @model_validator(mode="after")
    def _only_for_bad_levels(self) -> RatingForm:
        if self.level not in BAD_LEVELS and self.reasons:
            raise ValueError(f"reasons: expected none for {self.level}, got {len(self.reasons)}")
        if self.level not in BAD_LEVELS and self.phone is not None:
            raise ValueError(f"phone: expected null for {self.level}, got a number")
        return self


class DetailsForm(BaseModel):
    """``{"text"}`` from the complaint page: 1 to 500 characters, line breaks allowed."""

    model_config = ConfigDict(strict=True, extra="forbid")
    text: str

    @field_validator("text")
    @classmethod
    def _plain_text(cls, text: str) -> str:
        text = text.replace("\r\n", "\n").strip()
        if not text:
            raise ValueError(f"expected 1 to {TEXT_MAX} characters, got only spaces")
        if len(text) > TEXT_MAX:
            raise ValueError(f"expected at most {TEXT_MAX} characters, got {len(text)}")
        if any(unicodedata.category(char) == "Cc" and char not in "\n\t" for char in text):
            raise ValueError("expected plain text, got a control character")
        return text


def is_rated(connection: Connection, ticket_id: str) -> bool:
    return bool(connection.execute(select(exists().where(ratings.c.ticket_id == ticket_id))).scalar())


def rate_ticket(database: Database, rules: QueueRules, clock: Clock, due_days: int, ticket_id: str, form: RatingForm) -> dict[str, Any]:
    """Store the phone's rating of a served ticket; ApiError 404 ``not_found``, 409 ``not_served``
    or 409 ``already_rated`` otherwise."""
    now = clock()
    rating_id = str(uuid.uuid4())
    try:
        with database.write() as connection:
            database.hold(connection, FEEDBACK_WRITES)  # a kiosk's rating of this ticket waits, then finds it rated
            ticket = connection.execute(select(tickets).where(tickets.c.id == ticket_id)).first()
            if ticket is None:
                raise ApiError(404, NOT_FOUND, f"ticket {ticket_id}: expected a ticket this server issued or stored, got none")
            if ticket.state != DONE:
                raise ApiError(409, NOT_SERVED, f"ticket {ticket.label}: expected a served ticket, got one that is {ticket.state}")
            if is_rated(connection, ticket_id):
                raise ApiError(409, ALREADY_RATED, f"ticket {ticket.label}: expected a ticket not yet rated, got one already rated")
            row = {
                "id": rating_id,
                "source": FROM_PHONE,
                "kiosk_id": None,
                "created_at": stamp(now),
                "received_at": stamp(now),
                "month": rules.local(now).strftime("%Y-%m"),
                "level": form.level,
                "score": SCORES[form.level],
                "reasons": ",".join(form.reasons),
                "phone": form.phone,
                "ticket_id": ticket_id,
                "ticket_label": ticket.label,
                "ticket_day": ticket.day,
                "service_id": ticket.service_id,
                "window_id": ticket.window_id,
                "repeat": 0,
            }
            connection.execute(insert(ratings), row)
            if form.level in BAD_LEVELS:
                open_follow_up(connection, rules, now, due_days, RATING_RECORD, rating_id)
    except IntegrityError:  # a kiosk's rating of this ticket was stored in the meantime
        raise ApiError(409, ALREADY_RATED, f"ticket {ticket_id}: expected a ticket not yet rated, got one already rated") from None
    return {"id": rating_id, "ticket_id": ticket_id, "level": form.level}


def open_follow_up(connection: Connection, rules: QueueRules, now: dt.datetime, due_days: int, kind: str, record_id: str) -> None:
    due = add_working_days(rules, rules.local(now).date(), due_days)
    row = {"record_kind": kind, "record_id": record_id, "state": PENDING, "due_day": due.isoformat(), "updated_at": stamp(now)}
    connection.execute(insert(follow_ups), row)


def add_details(database: Database, clock: Clock, complaint_id: str, form: DetailsForm) -> dict[str, Any]:
    """Keep the citizen's words for ``complaint_id`` (arrived or not); 409 ``already_added`` the second time."""
    try:
        with database.write() as connection:
            taken = connection.execute(select(exists().where(complaint_details.c.complaint_id == complaint_id))).scalar()
            if taken:
                raise ApiError(409, ALREADY_ADDED, f"complaint {complaint_id}: expected no details yet, got some already added")
            connection.execute(insert(complaint_details), {"complaint_id": complaint_id, "text": form.text, "at": stamp(clock())})
    except IntegrityError:  # added by another request in the meantime
        raise ApiError(409, ALREADY_ADDED, f"complaint {complaint_id}: expected no details yet, got some already added") from None
    return {"complaint_id": complaint_id, "status": "added"}


def complaint_and_details(database: Database, complaint_id: str) -> tuple[Any, str | None]:
    """The kiosk's complaint record (None before it arrives) and the details typed so far (None before they are)."""
    with database.read() as connection:
        complaint = connection.execute(select(complaints).where(complaints.c.id == complaint_id)).first()
        details = connection.execute(select(complaint_details.c.text).where(complaint_details.c.complaint_id == complaint_id)).scalar()
    return complaint, details


def public_ticket(office: TicketOffice, service_names: dict[str, Text], ticket_id: str) -> dict[str, Any]:
    """The ticket as its phone page shows it: number, service, state, window, people ahead, wait
    estimate and whether it can be rated. ApiError 404 ``not_found`` for an unknown ticket."""
    ticket = office.ticket(ticket_id)
    with office.db.read() as connection:
        rated = is_rated(connection, ticket_id)
    service = service_names.get(ticket["service_id"], Text(ticket["service_id"]))
    window = office.rules.windows.get(ticket["window"] or "")
    return {
        "id": ticket["id"],
        "label": ticket["label"],
        "day": ticket["day"],
        "service": {"service_id": ticket["service_id"], "name_zh": service.zh, "name_en": service.en or service.zh},
        "state": ticket["state"],
        "window": None if window is None else {"id": window.id, "name_zh": window.name_zh, "name_en": window.name_en or window.name_zh},
        "ahead": ticket["ahead"],
        "wait_minutes": ticket["wait_minutes"],
        "rated": rated,
        "can_rate": ticket["state"] == DONE and not rated,
    }
