"""A small center for the server's tests: three ticketed services, three windows, weekday hours,
the green channel and appointments, a clock the test sets (Asia/Shanghai, UTC+8), and the kiosks
``kiosk-00`` to ``kiosk-10`` with known tokens (:func:`auth` gives a kiosk's Authorization header)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import insert, select

from kiosk.queue_rules import WEEKDAYS, Hours, QueueRules, ServiceQueue, TimeRange, Window
from server.auth import token_hash
from server.db import Database
from server.models import kiosks
from tests.kiosk.ticket_rules import queue_rules

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
DAY_HOURS = (TimeRange(dt.time(9, 0), dt.time(12, 0)), TimeRange(dt.time(13, 30), dt.time(17, 30)))
ALL_DAY: tuple[TimeRange, ...] = (TimeRange(dt.time(0, 0), dt.time(23, 59, 59)),)
# Monday 2026-11-23, 09:30 in the center.
MONDAY_MORNING = dt.datetime(2026, 11, 23, 9, 30, tzinfo=SHANGHAI)


def center_rules(
    caps: dict[str, int | None] | None = None,
    default_minutes: dict[str, float | None] | None = None,
    always_open: bool = False,
    **numbering: Any,
) -> QueueRules:
    """``legal_aid`` (A), ``consultation`` (B) and ``mediation`` (C); window 1 calls legal aid and
    consultation, window 2 legal aid, window 3 mediation."""
    caps, minutes = caps or {}, default_minutes or {}
    queues = {
        service_id: ServiceQueue(service_id, prefix, caps.get(service_id), minutes.get(service_id, 10.0), False, False)
        for service_id, prefix in (("legal_aid", "A"), ("consultation", "B"), ("mediation", "C"))
    }
    weekdays: dict[str, tuple[TimeRange, ...]] = {day: (() if day in ("saturday", "sunday") else DAY_HOURS) for day in WEEKDAYS}
    weekly = dict.fromkeys(WEEKDAYS, ALL_DAY) if always_open else weekdays
    windows = {
        "1": Window("1", "1号窗口", "Window 1", ("legal_aid", "consultation")),
        "2": Window("2", "2号窗口", "Window 2", ("legal_aid",)),
        "3": Window("3", "3号窗口（人民调解室）", "Window 3 (mediation)", ("mediation",)),
    }
    return queue_rules(queues, Hours(weekly=weekly), windows, **numbering)


class Clock:
    """The server's clock in a test: it says what the test set, and moves only when told."""

    def __init__(self, now: dt.datetime = MONDAY_MORNING) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, minutes: float = 0, days: int = 0) -> None:
        self.now += dt.timedelta(minutes=minutes, days=days)


def ticket_request(service_id: str | None = "legal_aid", category: str = "normal", **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"id": str(uuid.uuid4()), "kiosk_id": "kiosk-01", "service_id": service_id, "category": category}
    if category == "priority":
        body["priority_kind"] = "elderly"
    body.update(fields)
    return body


TEST_KIOSKS = tuple(f"kiosk-{n:02d}" for n in range(11))


def kiosk_token(kiosk_id: str = "kiosk-01") -> str:
    return f"test-token-of-{kiosk_id}"


def auth(kiosk_id: str = "kiosk-01") -> dict[str, str]:
    """The Authorization header of a test kiosk."""
    return {"Authorization": f"Bearer {kiosk_token(kiosk_id)}"}


def register_test_kiosks(database: Database, kiosk_ids: tuple[str, ...] = TEST_KIOSKS) -> None:
    """Let the test kiosks in with their :func:`kiosk_token` (in one transaction; known ones are kept)."""
    with database.write() as connection:
        known = set(connection.execute(select(kiosks.c.id)).scalars())
        rows = [
            {"id": kiosk_id, "token_hash": token_hash(kiosk_token(kiosk_id)), "created_at": "2026-11-01T00:00:00.000000+00:00"}
            for kiosk_id in kiosk_ids
            if kiosk_id not in known
        ]
        if rows:
            connection.execute(insert(kiosks), rows)


def register_test_kiosks_at(db_url: str) -> None:
    """:func:`register_test_kiosks` in the database at ``db_url`` (its tables made if missing)."""
    database = Database(db_url)
    try:
        register_test_kiosks(database)
    finally:
        database.close()
