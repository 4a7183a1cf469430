"""The kiosk fleet: each heartbeat's facts kept on the kiosk's row (the dashboard's fleet table).
A key an older kiosk does not send is kept as null: the row says what the last heartbeat said."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from kiosk.queue_rules import QueueRules
from server.db import Database
from server.models import kiosks
from server.schemas import Heartbeat
from server.times import Clock, stamp


class Fleet:
    def __init__(self, database: Database, rules: QueueRules, clock: Clock) -> None:
        self.db, self.rules, self.clock = database, rules, clock

    def heartbeat(self, beat: Heartbeat) -> dict[str, Any]:
        """Keep the kiosk's last word (received now, by the server's clock); answer the server's time."""
        now = self.clock()
        facts = {
            "heartbeat_at": stamp(now),
            "app_version": beat.app_version,
            "printer_state": beat.printer_state,
            "outbox_depth": beat.outbox_depth,
            "last_sync": None if beat.last_sync is None else stamp(beat.last_sync),
            "content_version": beat.content_version,
            "uptime_s": beat.uptime_s,
            "free_disk_bytes": beat.free_disk_bytes,
            "disk_low": None if beat.disk_low is None else int(beat.disk_low),
        }
        with self.db.write() as connection:
            connection.execute(update(kiosks).where(kiosks.c.id == beat.kiosk_id).values(**facts))
        return {"server_time": self.rules.local(now).isoformat()}
