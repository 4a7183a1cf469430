"""The server's tables (SQLAlchemy Core).

Days are ``YYYY-MM-DD`` text and instants are UTC ISO 8601 text with microseconds, so they sort
as they read on SQLite and PostgreSQL alike. The unique constraints are the numbering's last line
of defence: one ticket per (day, label), one check-in per (day, appointment code), one number per
sequence step, one kiosk per offline block, one current ticket per window.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, LargeBinary, MetaData, String, Table, UniqueConstraint

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

# Issue 5: kiosks and their tokens, ratings, complaints, follow-ups, managers' accounts.

# A kiosk allowed to call the API; only the SHA-256 of its token is kept. The last heartbeat's facts
# are kept on the row (the dashboard's fleet table).
kiosks = Table(
    "kiosks",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", String(32), nullable=False),
    Column("heartbeat_at", String(32)),  # when the server received the last heartbeat
    Column("app_version", String(32)),
    Column("printer_state", String(16)),
    Column("outbox_depth", Integer),
    Column("last_sync", String(32)),  # the kiosk's own word: when it last delivered its outbox
    # Issue 6 (added to an older database by server.migrate): the rest of the heartbeat.
    Column("content_version", String(12)),  # the digest of the content the kiosk shows
    Column("uptime_s", BigInteger),  # seconds since the kiosk app started
    Column("free_disk_bytes", BigInteger),  # free space on the disk of the kiosk's data folder
    Column("disk_low", Integer),  # 1: below the kiosk's [kiosk] min_free_disk_mb
)

# The center's content (the files of assets/content), one row per version; the highest is current.
# docs/appliance-api.md. Never updated or deleted: a version is what kiosks were shown.
content_versions = Table(
    "content_versions",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),  # 1, 2, 3 ...
    Column("digest", String(12), nullable=False),  # kiosk.content_loader.content_version of its files
    Column("created_at", String(32), nullable=False),
    Column("created_by", String(64), nullable=False),  # a manager's name, or "server" for the first import
    Column("note", String(400), nullable=False),  # what changed, in one line
    Column("archive", LargeBinary, nullable=False),  # a zip of the files, paths relative to the set's root
)

# Rating sources.
FROM_KIOSK, FROM_PHONE = "kiosk", "phone"

ratings = Table(
    "ratings",
    metadata,
    Column("id", String(36), primary_key=True),  # made on the kiosk (or by the server for a phone)
    Column("source", String(8), nullable=False),  # FROM_KIOSK or FROM_PHONE
    Column("kiosk_id", String(64)),  # null for a phone
    Column("created_at", String(32), nullable=False),  # when the citizen rated (UTC)
    Column("received_at", String(32), nullable=False),
    Column("month", String(7), nullable=False),  # YYYY-MM in the center's time zone, for the monthly figures
    Column("level", String(24), nullable=False),
    Column("score", Integer, nullable=False),  # 5 (very satisfied) .. 1
    Column("reasons", String(200), nullable=False),  # codes joined by commas; empty for a good level
    Column("phone", String(20)),  # for the call-back only; never shown whole
    Column("ticket_id", String(36), unique=True),  # the rated ticket when found; one rating per ticket
    Column("ticket_label", String(16)),
    Column("ticket_day", String(10)),
    Column("service_id", String(64)),
    Column("window_id", String(16)),
    Column("repeat", Integer, nullable=False),  # 1: its ticket was already rated; stored, counted nowhere
)
Index("ratings_by_month", ratings.c.month, ratings.c.repeat)

complaints = Table(
    "complaints",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("receipt", String(96), nullable=False, unique=True),
    Column("kiosk_id", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("received_at", String(32), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("category", String(16), nullable=False),
    Column("presets", String(400), nullable=False),  # codes joined by commas
    Column("phone", String(20)),
    Column("service_id", String(64)),
    Column("ticket_label", String(16)),
)

# What a citizen typed on the phone page for a complaint (keyed by its UUID, which may arrive later).
complaint_details = Table(
    "complaint_details",
    metadata,
    Column("complaint_id", String(36), primary_key=True),
    Column("text", String(2000), nullable=False),
    Column("at", String(32), nullable=False),
)

# Follow-up of a bad rating or a complaint. Kinds of record and states.
RATING_RECORD, COMPLAINT_RECORD = "rating", "complaint"
PENDING, CALLED_BACK, RESOLVED = "pending", "called_back", "resolved"
FOLLOW_UP_STATES = (PENDING, CALLED_BACK, RESOLVED)

follow_ups = Table(
    "follow_ups",
    metadata,
    Column("record_kind", String(16), primary_key=True),
    Column("record_id", String(36), primary_key=True),
    Column("state", String(16), nullable=False),
    Column("due_day", String(10), nullable=False),  # in working days from the day it arrived
    Column("updated_at", String(32), nullable=False),
    Column("updated_by", String(64)),
)

follow_up_notes = Table(
    "follow_up_notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("record_kind", String(16), nullable=False),
    Column("record_id", String(36), nullable=False),
    Column("at", String(32), nullable=False),
    Column("author", String(64), nullable=False),
    Column("text", String(2000), nullable=False),
)
Index("notes_by_record", follow_up_notes.c.record_kind, follow_up_notes.c.record_id)

users = Table(
    "users",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("password_hash", String(200), nullable=False),  # argon2
    Column("created_at", String(32), nullable=False),
)

# A manager's login: only the SHA-256 of the cookie's random token is kept.
sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_name", String(64), ForeignKey("users.name"), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("expires_at", String(32), nullable=False),
)
