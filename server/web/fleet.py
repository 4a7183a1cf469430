"""The kiosk fleet as the dashboard shows it: each kiosk's last heartbeat and how long ago it was,
its printer, outbox depth and last sync. A kiosk silent for more than five minutes is flagged."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, select

from server.models import kiosks
from server.times import instant

SILENT_AFTER = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class Kiosk:
    id: str
    heartbeat_at: dt.datetime | None
    silent_for: dt.timedelta | None  # since the last heartbeat; None: never heard from
    app_version: str | None
    printer_state: str | None
    outbox_depth: int | None
    last_sync: dt.datetime | None

    @property
    def silent(self) -> bool:
        return self.silent_for is None or self.silent_for > SILENT_AFTER


def fleet(connection: Connection, now: dt.datetime) -> list[Kiosk]:
    found = []
    for row in connection.execute(select(kiosks).order_by(kiosks.c.id)):
        heartbeat = None if row.heartbeat_at is None else instant(row.heartbeat_at)
        last_sync = None if row.last_sync is None else instant(row.last_sync)
        silent_for = None if heartbeat is None else max(dt.timedelta(0), now - heartbeat)
        found.append(Kiosk(row.id, heartbeat, silent_for, row.app_version, row.printer_state, row.outbox_depth, last_sync))
    return found
