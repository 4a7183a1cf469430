"""The CSV exports of ratings and complaints: UTF-8 with a byte order mark, so that Excel opens the
Chinese right; phone numbers masked; a cell that a spreadsheet would take for a formula is quoted
with a leading apostrophe."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, and_, select

from kiosk.phone import mask_phone
from kiosk.queue_rules import QueueRules
from server.models import COMPLAINT_RECORD, RATING_RECORD, complaint_details, complaints, follow_ups, ratings
from server.web.follow_up import month_bounds
from server.web.names import Names

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return (BOM + out.getvalue()).encode("utf-8")


def _masked(phone: str | None) -> str:
    return "" if phone is None else mask_phone(phone)


def ratings_csv(connection: Connection, names: Names, month: str | None) -> bytes:
    on = and_(follow_ups.c.record_kind == RATING_RECORD, follow_ups.c.record_id == ratings.c.id)
    query = select(ratings, follow_ups.c.state, follow_ups.c.due_day).select_from(ratings.outerjoin(follow_ups, on))
    if month is not None:
        query = query.where(ratings.c.month == month)
    header = [names.word(key) for key in ("time", "month", "source", "level", "score", "reasons", "phone", "ticket")]
    header += [names.word(key) for key in ("ticket_day", "service", "window", "repeat", "follow_up", "due")] + ["id"]
    rows = (
        [
            names.time(row.created_at),
            row.month,
            names.source(row.source, row.kiosk_id),
            names.level(row.level),
            row.score,
            names.reasons(row.reasons),
            _masked(row.phone),
            row.ticket_label or "",
            row.ticket_day or "",
            names.service(row.service_id),
            names.window(row.window_id),
            1 if row.repeat else 0,
            names.follow_state(row.state),
            row.due_day or "",
            row.id,
        ]
        for row in connection.execute(query.order_by(ratings.c.created_at, ratings.c.id))
    )
    return _csv(header, rows)


def complaints_csv(connection: Connection, names: Names, rules: QueueRules, month: str | None) -> bytes:
    on = and_(follow_ups.c.record_kind == COMPLAINT_RECORD, follow_ups.c.record_id == complaints.c.id)
    joined = complaints.outerjoin(follow_ups, on).outerjoin(complaint_details, complaint_details.c.complaint_id == complaints.c.id)
    query = select(complaints, follow_ups.c.state, follow_ups.c.due_day, complaint_details.c.text.label("details")).select_from(joined)
    if month is not None:
        start, end = month_bounds(rules.zone, month)
        query = query.where(complaints.c.created_at >= start, complaints.c.created_at < end)
    header = [names.word(key) for key in ("receipt", "time", "kind", "category", "presets", "phone_details", "phone")]
    header += [names.word(key) for key in ("kiosk", "service", "ticket", "follow_up", "due")] + ["id"]
    rows = (
        [
            row.receipt,
            names.time(row.created_at),
            names.kind(row.kind),
            names.category(row.category),
            "; ".join(names.presets(row.presets)),
            row.details or "",
            _masked(row.phone),
            row.kiosk_id,
            names.service(row.service_id) if row.service_id else "",
            row.ticket_label or "",
            names.follow_state(row.state),
            row.due_day or "",
            row.id,
        ]
        for row in connection.execute(query.order_by(complaints.c.created_at, complaints.c.id))
    )
    return _csv(header, rows)
