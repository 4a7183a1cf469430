"""Bodies of the kiosk's feedback routes for the server's tests, and a look into the database."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import create_engine, text

MONDAY_0910 = "2026-11-23T09:10:00+08:00"


def rating(level: str = "satisfied", **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "created_at": MONDAY_0910,
        "level": level,
        "reasons": [],
        "phone": None,
        "ticket_label": None,
        "ticket_day": None,
        "ticket_id": None,
        "service_id": None,
    }
    if level in ("dissatisfied", "very_dissatisfied"):
        body["reasons"] = ["efficiency"]
    body.update(fields)
    return body


def ratings(*records: dict[str, Any], kiosk_id: str = "kiosk-01") -> dict[str, Any]:
    return {"kiosk_id": kiosk_id, "ratings": list(records)}


def complaint(receipt: str = "20261123-kiosk-01-001", **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "receipt": receipt,
        "created_at": MONDAY_0910,
        "kind": "complaint",
        "category": "efficiency",
        "presets": ["long_wait"],
        "phone": None,
        "service_id": "legal_aid",
        "ticket_label": None,
    }
    body.update(fields)
    return body


def complaints(*records: dict[str, Any], kiosk_id: str = "kiosk-01") -> dict[str, Any]:
    return {"kiosk_id": kiosk_id, "complaints": list(records)}


def heartbeat(kiosk_id: str = "kiosk-01", **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kiosk_id": kiosk_id,
        "app_version": "0.1.0",
        "printer_state": "paper_near_end",
        "outbox_depth": 3,
        "last_sync": "2026-11-23T09:20:00+08:00",
        "sent_at": "2026-11-23T09:29:58+08:00",
    }
    body.update(fields)
    return body


def rows(db_url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """The rows ``sql`` finds in the server's database."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql), params)]
    finally:
        engine.dispose()


def count(db_url: str, table: str) -> int:
    found: int = rows(db_url, f"SELECT count(*) FROM {table}")[0][0]
    return found
