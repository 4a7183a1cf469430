"""The center's work ledger (工作台账) from the central server: every kiosk's tickets together, in
the same summary as ``kiosk report`` (:mod:`kiosk.report`). ``kiosk-server report`` prints it.

Void tickets (numbers the server gave to a request no kiosk received) are left out. The server
does not know whether a slip printed: that part of the summary is each kiosk's own report.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from kiosk.report import Period
from kiosk.ticket_book import LedgerRow
from server.db import Database
from server.models import VOID, tickets

CENTER = "全中心（所有自助机）"


def center_ledger(database: Database, period: Period) -> list[LedgerRow]:
    query = (
        select(tickets)
        .where(tickets.c.day >= period.first.isoformat(), tickets.c.day <= period.last.isoformat(), tickets.c.state != VOID)
        .order_by(tickets.c.day, tickets.c.issued_at, tickets.c.label)
    )
    with database.read() as connection:
        rows = connection.execute(query).all()
    return [
        LedgerRow(
            id=row.id,
            day=dt.date.fromisoformat(row.day),
            label=row.label,
            service_id=row.issued_service_id,  # what the visitor asked for, even if later transferred
            category=row.category,
            priority_kind=row.priority_kind,
            issued_at=dt.datetime.fromisoformat(row.issued_at),
            kiosk_id=row.kiosk_id,
            source=row.source,
            print_state="",  # not known to the server
            print_note="",
        )
        for row in rows
    ]
