"""The server's tables (SQLAlchemy Core).

Days are ``YYYY-MM-DD`` text and instants are UTC ISO 8601 text with microseconds, so they sort
as they read on SQLite and PostgreSQL alike. The unique constraints are the numbering's last line
of defence: one ticket per (day, label), one check-in per (day, appointment code), one number per
sequence step, one kiosk per offline block, one current ticket per window.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, MetaData, String, Table, UniqueConstraint

metadata = MetaData()

# Ticket states.
WAITING, CALLED, DONE, SKIPPED, VOID = "waiting", "called", "done", "skipped", "void"
STATES = (WAITING, CALLED, DONE, SKIPPED, VOID)
# Event kinds in ticket_events.
ISSUED, STORED_OFFLINE, CALLED_EVENT, RECALLED, SKIPPED_EVENT, DONE_EVENT, TRANSFERRED, VOIDED = (
    "issued",
    "stored_offline",
    "called",
    "recalled",
    "skipped",
    "done",
    "transferred",
    "voided",
)

tickets = Table(
    "tickets",
    metadata,
    Column("id", String(36), primary_key=True),  # the kiosk's UUID
    Column("day", String(10), nullable=False),
    Column("prefix", String(1), nullable=False),
    Column("number", Integer, nullable=False),
    Column("label", String(16), nullable=False),
    Column("service_id", String(64), nullable=False),  # changes on transfer
    Column("issued_service_id", String(64), nullable=False),  # what the daily cap counts
    Column("category", String(16), nullable=False),
    Column("rank", Integer, nullable=False),  # 0: green channel (priority, appointment), 1: normal
    Column("priority_kind", String(16)),
    Column("appointment_code", String(32)),
    Column("issued_at", String(32), nullable=False),
    Column("kiosk_id", String(64), nullable=False),
    Column("source", String(8), nullable=False),  # kiosk.ticket.SERVER or OFFLINE
    Column("state", String(8), nullable=False),
    Column("window_id", String(16)),
    Column("called_at", String(32)),
    Column("done_at", String(32)),
    UniqueConstraint("day", "label", name="one_ticket_per_label"),
    UniqueConstraint("day", "appointment_code", name="one_check_in_per_code"),
)
Index("waiting_by_service", tickets.c.day, tickets.c.service_id, tickets.c.state, tickets.c.rank, tickets.c.issued_at)
Index("issued_by_service", tickets.c.day, tickets.c.issued_service_id)
Index("done_by_service", tickets.c.service_id, tickets.c.state, tickets.c.done_at)

sequences = Table(
    "sequences",
    metadata,
    Column("day", String(10), primary_key=True),
    Column("prefix", String(1), primary_key=True),
    Column("last", Integer, nullable=False),
)

# One row (id 1): the latest numbering day used, so a clock set back never goes back a day.
numbering_days = Table(
    "numbering_days",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("day", String(10), nullable=False),
)

offline_blocks = Table(
    "offline_blocks",
    metadata,
    Column("block", Integer, primary_key=True, autoincrement=False),
    Column("kiosk_id", String(64), nullable=False),
    Column("instance", String(36)),  # the kiosk machine's own UUID: two machines with one kiosk id are told apart
    Column("claimed_at", String(32), nullable=False),
)

# Requests a kiosk gave up on before the server saw them: if one arrives later, nobody holds it.
abandoned_requests = Table(
    "abandoned_requests",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("kiosk_id", String(64), nullable=False),
    Column("at", String(32), nullable=False),
)

window_current = Table(
    "window_current",
    metadata,
    Column("window_id", String(16), primary_key=True),
    Column("ticket_id", String(36), ForeignKey("tickets.id"), nullable=False, unique=True),
)

ticket_events = Table(
    "ticket_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ticket_id", String(36), ForeignKey("tickets.id"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("at", String(32), nullable=False),
    Column("window_id", String(16)),
    Column("service_id", String(64)),  # the ticket's service after the step (the new one on transfer)
    Column("detail", String(200)),
)
