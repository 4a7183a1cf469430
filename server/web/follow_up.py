"""Bad ratings and complaints as the dashboard lists them, with their follow-up: state (pending ->
called back -> resolved), due day and notes.

A record without a follow-up row (a repeated rating: its ticket's first rating has the follow-up)
is listed under "all" only. A manager may still follow it up: the first change makes the row, due
in working days from the day the citizen made the record, as :mod:`server.feedback` does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Table, and_, insert, select, update

from kiosk.feedback import BAD_LEVELS
from kiosk.queue_rules import QueueRules
from server.db import Database
from server.models import (
    COMPLAINT_RECORD,
    FOLLOW_UP_STATES,
    PENDING,
    RATING_RECORD,
    RESOLVED,
    complaint_details,
    complaints,
    follow_up_notes,
    follow_ups,
    ratings,
)
from server.times import Clock, instant, stamp
from server.working_days import add_working_days

OPEN, ALL = "open", "all"  # list filters beside the follow-up states
FILTERS = (OPEN, *FOLLOW_UP_STATES, ALL)
LISTED = 200  # a list shows at most this many records
NOTE_MAX = 2000
RECORDS: dict[str, Table] = {RATING_RECORD: ratings, COMPLAINT_RECORD: complaints}


def _joined(kind: str) -> Any:
    table = RECORDS[kind]
    on = and_(follow_ups.c.record_kind == kind, follow_ups.c.record_id == table.c.id)
    joined = table.outerjoin(follow_ups, on)
    if kind == COMPLAINT_RECORD:
        joined = joined.outerjoin(complaint_details, complaint_details.c.complaint_id == complaints.c.id)
    return joined


def _columns(kind: str) -> list[Any]:
    columns = [RECORDS[kind], follow_ups.c.state, follow_ups.c.due_day, follow_ups.c.updated_at, follow_ups.c.updated_by]
    if kind == COMPLAINT_RECORD:
        columns.append(complaint_details.c.text.label("details"))
    return columns


def _state_filter(state: str) -> Any:
    if state == OPEN:
        return follow_ups.c.state.in_([s for s in FOLLOW_UP_STATES if s != RESOLVED])
    if state in FOLLOW_UP_STATES:
        return follow_ups.c.state == state
    return None


def bad_ratings(connection: Connection, state: str, month: str | None) -> list[Any]:
    """Bad ratings (repeats too, marked so), open ones by due day, others newest first."""
    query = select(*_columns(RATING_RECORD)).select_from(_joined(RATING_RECORD)).where(ratings.c.level.in_(BAD_LEVELS))
    if month is not None:
        query = query.where(ratings.c.month == month)
    return _listed(connection, query, state, ratings.c.created_at)


def complaint_list(connection: Connection, rules: QueueRules, state: str, month: str | None) -> list[Any]:
    query = select(*_columns(COMPLAINT_RECORD)).select_from(_joined(COMPLAINT_RECORD))
    if month is not None:
        start, end = month_bounds(rules.zone, month)
        query = query.where(complaints.c.created_at >= start, complaints.c.created_at < end)
    return _listed(connection, query, state, complaints.c.created_at)


def _listed(connection: Connection, query: Any, state: str, created_at: Any) -> list[Any]:
    condition = _state_filter(state)
    if condition is not None:
        query = query.where(condition)
    order = (follow_ups.c.due_day, created_at) if state in (OPEN, PENDING) else (created_at.desc(),)
    return list(connection.execute(query.order_by(*order).limit(LISTED)))


def month_bounds(zone: ZoneInfo, month: str) -> tuple[str, str]:
    """The month ``YYYY-MM`` of the center's zone as UTC stamps: its first instant and the next month's."""
    year, number = int(month[:4]), int(month[5:7])
    start = dt.datetime(year, number, 1, tzinfo=zone)
    end = dt.datetime(year + number // 12, number % 12 + 1, 1, tzinfo=zone)
    return stamp(start), stamp(end)


def record(connection: Connection, kind: str, record_id: str) -> Any:
    """One rating or complaint with its follow-up (and a complaint's details), or None."""
    table = RECORDS[kind]
    return connection.execute(select(*_columns(kind)).select_from(_joined(kind)).where(table.c.id == record_id)).first()


def notes(connection: Connection, kind: str, record_id: str) -> list[Any]:
    query = (
        select(follow_up_notes)
        .where(follow_up_notes.c.record_kind == kind, follow_up_notes.c.record_id == record_id)
        .order_by(follow_up_notes.c.at, follow_up_notes.c.id)
    )
    return list(connection.execute(query))


def is_overdue(row: Any, today: dt.date) -> bool:
    return bool(row.due_day) and row.state != RESOLVED and row.due_day < today.isoformat()


def follow(
    database: Database, rules: QueueRules, clock: Clock, due_days: int, kind: str, record_id: str, state: str, note: str, author: str
) -> bool:
    """Set the record's follow-up state and add the note (when one is given); False when there is no such record."""
    if state not in FOLLOW_UP_STATES:
        raise ValueError(f"state: expected one of {', '.join(FOLLOW_UP_STATES)}, got {state[:40]!r}")
    note = note.replace("\r\n", "\n").strip()
    if len(note) > NOTE_MAX:
        raise ValueError(f"note: expected at most {NOTE_MAX} characters, got {len(note)}")
    now = clock()
    with database.write() as connection:
        table = RECORDS[kind]
        made = connection.execute(select(table.c.created_at).where(table.c.id == record_id)).scalar()
        if made is None:
            return False
        key = and_(follow_ups.c.record_kind == kind, follow_ups.c.record_id == record_id)
        current = connection.execute(select(follow_ups.c.state).where(key)).scalar()
        if current is None:
            due = add_working_days(rules, rules.local(instant(made)).date(), due_days)
            row = {"record_kind": kind, "record_id": record_id, "state": state, "due_day": due.isoformat()}
            connection.execute(insert(follow_ups), row | {"updated_at": stamp(now), "updated_by": author})
        elif current != state:
            connection.execute(update(follow_ups).where(key).values(state=state, updated_at=stamp(now), updated_by=author))
        if note:
            add_note(connection, kind, record_id, stamp(now), author, note)
    return True


def add_note(connection: Connection, kind: str, record_id: str, at: str, author: str, text: str) -> None:
    connection.execute(insert(follow_up_notes), {"record_kind": kind, "record_id": record_id, "at": at, "author": author, "text": text})
