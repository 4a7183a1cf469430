"""Ratings and complaints from kiosks: each batch stored in one transaction, exactly once.

Idempotent on the kiosk's record id: a record already stored is a ``duplicate`` and keeps its first
content. A rating names its ticket by ``ticket_id`` or by ``ticket_label`` + ``ticket_day`` (a label
without a day is looked up on the rating's own day in the center); a found ticket links the rating
to the ticket's service and window. One rating per ticket: a later rating of a rated ticket is
stored with ``repeat`` set and ``ticket_id`` empty (it keeps the ticket's label and day), counted
nowhere. A bad rating (not a repeat) and every complaint or suggestion get a pending follow-up due
``follow_up_working_days`` working days after the day the citizen made it.

A batch costs three statements besides its inserts: one SELECT for the batch's tickets, one for
the records already stored (by id, and ratings by ticket), and executemany inserts. Writers of
ratings and complaints take turns (:data:`FEEDBACK_WRITES`), also across PostgreSQL connections,
so two batches with the same records never race; the phone pages' ratings take the same turn.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, insert, or_, select, tuple_

from kiosk.feedback import BAD_LEVELS, SCORES
from kiosk.queue_rules import QueueRules
from server.db import Database
from server.errors import INVALID, ApiError
from server.models import COMPLAINT_RECORD, FROM_KIOSK, PENDING, RATING_RECORD, complaints, follow_ups, ratings, tickets
from server.schemas import ComplaintBatch, ComplaintIn, RatingBatch, RatingIn
from server.times import Clock, stamp
from server.working_days import add_working_days

FEEDBACK_WRITES = "feedback writes"  # the Database.hold key of every writer of ratings and complaints
FUTURE_SLACK = dt.timedelta(minutes=10)  # a kiosk's clock may run this far ahead of the server's
STORED, DUPLICATE = "stored", "duplicate"


class FeedbackDesk:
    def __init__(self, database: Database, rules: QueueRules, clock: Clock, follow_up_working_days: int) -> None:
        self.db, self.rules, self.clock, self.follow_up_days = database, rules, clock, follow_up_working_days

    # ----- ratings

    def store_ratings(self, batch: RatingBatch) -> list[dict[str, Any]]:
        now = self.clock()
        self._check_not_future("ratings", batch.ratings, now)
        received, due = stamp(now), _DueDays(self.rules, self.follow_up_days)
        wanted_days = {str(r.id): self._label_day(r) for r in batch.ratings}
        with self.db.write() as connection:
            self.db.hold(connection, FEEDBACK_WRITES)
            by_id, by_label = _tickets(connection, batch.ratings, wanted_days)
            known, rated = _stored_ratings(connection, [str(r.id) for r in batch.ratings], list(by_id))
            rows, follow, results = [], [], []
            for rating in batch.ratings:
                rating_id = str(rating.id)
                if rating_id in known:
                    linked, repeat = known[rating_id]
                    results.append({"id": rating_id, "status": DUPLICATE, "linked": linked, "repeat": repeat})
                    continue
                ticket = by_id.get(str(rating.ticket_id)) if rating.ticket_id is not None else None
                label_day = wanted_days[rating_id]
                if ticket is None and label_day is not None:
                    ticket = by_label.get(label_day)
                repeat = ticket is not None and ticket.id in rated
                if ticket is not None:
                    rated.add(ticket.id)
                rows.append(self._rating_row(rating, batch.kiosk_id, ticket, repeat, label_day, received))
                known[rating_id] = (ticket is not None, repeat)
                if rating.level in BAD_LEVELS and not repeat:
                    follow.append(_follow_up(RATING_RECORD, rating_id, due.after(self.rules.local(rating.created_at).date()), received))
                results.append({"id": rating_id, "status": STORED, "linked": ticket is not None, "repeat": repeat})
            if rows:
                connection.execute(insert(ratings), rows)
            if follow:
                connection.execute(insert(follow_ups), follow)
        return results

    def _label_day(self, rating: RatingIn) -> tuple[str, str] | None:
        """The (day, label) a rating names its ticket by, if it names one by label."""
        if rating.ticket_label is None:
            return None
        day = rating.ticket_day or self.rules.local(rating.created_at).date()
        return day.isoformat(), rating.ticket_label

    def _rating_row(
        self, rating: RatingIn, kiosk_id: str, ticket: Any, repeat: bool, label_day: tuple[str, str] | None, received: str
    ) -> dict[str, Any]:
        row = {
            "id": str(rating.id),
            "source": FROM_KIOSK,
            "kiosk_id": kiosk_id,
            "created_at": stamp(rating.created_at),
            "received_at": received,
            "month": self.rules.local(rating.created_at).strftime("%Y-%m"),
            "level": rating.level,
            "score": SCORES[rating.level],
            "reasons": ",".join(rating.reasons),
            "phone": rating.phone,
            "ticket_id": None,
            "ticket_label": None if label_day is None else label_day[1],
            "ticket_day": None if label_day is None else label_day[0],
            "service_id": rating.service_id,
            "window_id": None,
            "repeat": 1 if repeat else 0,
        }
        if ticket is not None:
            row.update(ticket_id=None if repeat else ticket.id, ticket_label=ticket.label, ticket_day=ticket.day)
            row.update(service_id=ticket.service_id, window_id=ticket.window_id)
        return row

    # ----- complaints and suggestions

    def store_complaints(self, batch: ComplaintBatch) -> list[dict[str, Any]]:
        now = self.clock()
        self._check_not_future("complaints", batch.complaints, now)
        received, due = stamp(now), _DueDays(self.rules, self.follow_up_days)
        ids = [str(c.id) for c in batch.complaints]
        with self.db.write() as connection:
            self.db.hold(connection, FEEDBACK_WRITES)
            query = select(complaints.c.id, complaints.c.receipt).where(
                or_(complaints.c.id.in_(ids), complaints.c.receipt.in_([c.receipt for c in batch.complaints]))
            )
            stored = connection.execute(query).all()
            known = {row.id for row in stored}
            receipts = {row.receipt for row in stored}
            rows, follow, results = [], [], []
            for complaint in batch.complaints:
                complaint_id = str(complaint.id)
                if complaint_id in known:
                    results.append({"id": complaint_id, "status": DUPLICATE})
                    continue
                receipt = _free_receipt(complaint, receipts)
                receipts.add(receipt)
                known.add(complaint_id)
                rows.append(_complaint_row(complaint, batch.kiosk_id, receipt, received))
                follow.append(
                    _follow_up(COMPLAINT_RECORD, complaint_id, due.after(self.rules.local(complaint.created_at).date()), received)
                )
                results.append({"id": complaint_id, "status": STORED})
            if rows:
                connection.execute(insert(complaints), rows)
                connection.execute(insert(follow_ups), follow)
        return results

    # ----- both

    def _check_not_future(self, key: str, records: Sequence[RatingIn | ComplaintIn], now: dt.datetime) -> None:
        latest = now + FUTURE_SLACK
        for index, record in enumerate(records):
            if record.created_at > latest:
                shown = self.rules.local(now).isoformat(timespec="seconds")
                message = f"{key}.{index}.created_at: expected a time at most 10 minutes after the server's clock ({shown}), "
                raise ApiError(422, INVALID, message + f"got {record.created_at.isoformat()}")


def _tickets(
    connection: Connection, batch: Iterable[RatingIn], label_days: dict[str, tuple[str, str] | None]
) -> tuple[dict[str, Any], dict[Any, Any]]:
    """The batch's tickets in one SELECT: by id, and by (day, label)."""
    ids = sorted({str(r.ticket_id) for r in batch if r.ticket_id is not None})
    pairs = sorted({pair for pair in label_days.values() if pair is not None})
    if not ids and not pairs:
        return {}, {}
    columns = (tickets.c.id, tickets.c.day, tickets.c.label, tickets.c.service_id, tickets.c.window_id)
    conditions = []
    if ids:
        conditions.append(tickets.c.id.in_(ids))
    if pairs:
        conditions.append(tuple_(tickets.c.day, tickets.c.label).in_(pairs))
    found = connection.execute(select(*columns).where(or_(*conditions))).all()
    return {row.id: row for row in found}, {(row.day, row.label): row for row in found}


def _stored_ratings(connection: Connection, ids: list[str], ticket_ids: list[str]) -> tuple[dict[str, tuple[bool, bool]], set[str]]:
    """Of the batch, the ratings already stored (id -> (linked, repeat)), and which of its tickets
    are rated already, in one SELECT."""
    condition = ratings.c.id.in_(ids) if not ticket_ids else or_(ratings.c.id.in_(ids), ratings.c.ticket_id.in_(ticket_ids))
    rows = connection.execute(select(ratings.c.id, ratings.c.ticket_id, ratings.c.repeat).where(condition)).all()
    wanted = set(ids)
    known = {row.id: (row.ticket_id is not None or bool(row.repeat), bool(row.repeat)) for row in rows if row.id in wanted}
    return known, {row.ticket_id for row in rows if row.ticket_id is not None}


def _free_receipt(complaint: ComplaintIn, taken: set[str]) -> str:
    """The complaint's receipt, or, when another complaint has it (a kiosk whose database was
    reset counts its day again), the receipt with ``~`` and the start of the complaint's id."""
    if complaint.receipt not in taken:
        return complaint.receipt
    return f"{complaint.receipt}~{complaint.id.hex[:12]}"


def _complaint_row(complaint: ComplaintIn, kiosk_id: str, receipt: str, received: str) -> dict[str, Any]:
    return {
        "id": str(complaint.id),
        "receipt": receipt,
        "kiosk_id": kiosk_id,
        "created_at": stamp(complaint.created_at),
        "received_at": received,
        "kind": complaint.kind,
        "category": complaint.category,
        "presets": ",".join(complaint.presets),
        "phone": complaint.phone,
        "service_id": complaint.service_id,
        "ticket_label": complaint.ticket_label,
    }


def _follow_up(kind: str, record_id: str, due_day: dt.date, at: str) -> dict[str, Any]:
    return {
        "record_kind": kind,
        "record_id": record_id,
        "state": PENDING,
        "due_day": due_day.isoformat(),
        "updated_at": at,
        "updated_by": None,
    }


class _DueDays:
    """Due days of one batch, each start day worked out once."""

    def __init__(self, rules: QueueRules, working_days: int) -> None:
        self.rules, self.working_days = rules, working_days
        self._due: dict[dt.date, dt.date] = {}

    def after(self, day: dt.date) -> dt.date:
        if day not in self._due:
            self._due[day] = add_working_days(self.rules, day, self.working_days)
        return self._due[day]
