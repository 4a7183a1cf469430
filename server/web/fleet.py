"""The kiosk fleet as the dashboard shows it: each kiosk's last heartbeat and how long ago it was,
its printer, outbox and last sync, the content it shows, its version, uptime and free disk, with
the flags of docs/appliance-api.md (silent, paper, behind, old_content, disk_low).

Each flag is a plain function of the kiosk's row, the time and the current content version."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, replace

from sqlalchemy import Connection, select

from kiosk.health import disk_text, uptime_parts
from server.content_sets import VersionInfo
from server.models import kiosks
from server.times import instant
from server.web.names import Names

SILENT_AFTER = dt.timedelta(minutes=5)
BEHIND_AFTER = dt.timedelta(minutes=10)
NEW_CONTENT_GRACE = dt.timedelta(minutes=2)  # kiosks pull within a minute; after this, old content is flagged
RED, AMBER = "red", "amber"
RED_PRINTER_STATES = ("paper_out", "cover_open", "offline")
FLAGS = ("silent", "paper", "behind", "old_content", "disk_low")


@dataclass(frozen=True)
class Flag:
    name: str  # one of FLAGS
    severity: str  # RED or AMBER


@dataclass(frozen=True)
class Kiosk:
    id: str
    heartbeat_at: dt.datetime | None
    silent_for: dt.timedelta | None  # since the last heartbeat; None: never heard from
    app_version: str | None
    printer_state: str | None
    outbox_depth: int | None
    last_sync: dt.datetime | None
    content_version: str | None  # the digest of the content it shows
    uptime_s: int | None
    free_disk_bytes: int | None
    disk_low: bool
    flags: tuple[Flag, ...]

    @property
    def silent(self) -> bool:
        return any(flag.name == "silent" for flag in self.flags)

    @property
    def flag_names(self) -> tuple[str, ...]:
        return tuple(flag.name for flag in self.flags)


def is_silent(heartbeat_at: dt.datetime | None, now: dt.datetime) -> bool:
    """No heartbeat for more than five minutes, or never."""
    return heartbeat_at is None or now - heartbeat_at > SILENT_AFTER


def paper_severity(printer_state: str | None) -> str | None:
    """Red for paper out, cover open or offline; amber for paper near its end; else None."""
    if printer_state in RED_PRINTER_STATES:
        return RED
    return AMBER if printer_state == "paper_near_end" else None


def is_behind(outbox_depth: int | None, last_sync: dt.datetime | None, heartbeat_at: dt.datetime | None) -> bool:
    """Records wait in the outbox and the last delivery was more than ten minutes before the last
    heartbeat (or there was none)."""
    if not outbox_depth or heartbeat_at is None:
        return False
    return last_sync is None or heartbeat_at - last_sync > BEHIND_AFTER


def has_old_content(content_version: str | None, current: VersionInfo | None, now: dt.datetime) -> bool:
    """The kiosk says it shows other content than the current version, made more than two minutes
    ago. A kiosk that does not say (an older one) is not flagged."""
    if content_version is None or current is None:
        return False
    return content_version != current.digest and now - current.created_at > NEW_CONTENT_GRACE


def flags_of(kiosk: Kiosk, current: VersionInfo | None, now: dt.datetime) -> tuple[Flag, ...]:
    found = []
    if is_silent(kiosk.heartbeat_at, now):
        found.append(Flag("silent", RED))
    paper = paper_severity(kiosk.printer_state)
    if paper is not None:
        found.append(Flag("paper", paper))
    if is_behind(kiosk.outbox_depth, kiosk.last_sync, kiosk.heartbeat_at):
        found.append(Flag("behind", RED))
    if has_old_content(kiosk.content_version, current, now):
        found.append(Flag("old_content", AMBER))
    if kiosk.disk_low:
        found.append(Flag("disk_low", RED))
    return tuple(found)


def fleet(connection: Connection, now: dt.datetime, current: VersionInfo | None = None) -> list[Kiosk]:
    found = []
    for row in connection.execute(select(kiosks).order_by(kiosks.c.id)):
        heartbeat = None if row.heartbeat_at is None else instant(row.heartbeat_at)
        last_sync = None if row.last_sync is None else instant(row.last_sync)
        silent_for = None if heartbeat is None else max(dt.timedelta(0), now - heartbeat)
        kiosk = Kiosk(
            row.id,
            heartbeat,
            silent_for,
            row.app_version,
            row.printer_state,
            row.outbox_depth,
            last_sync,
            row.content_version,
            row.uptime_s,
            row.free_disk_bytes,
            bool(row.disk_low),
            (),
        )
        found.append(replace(kiosk, flags=flags_of(kiosk, current, now)))
    return found


def summary(kiosks: list[Kiosk]) -> dict[str, int]:
    """How many kiosks carry each flag (every flag listed, zero included), and ``attention``: how
    many carry any."""
    counts = Counter(name for kiosk in kiosks for name in kiosk.flag_names)
    return {name: counts[name] for name in FLAGS} | {"attention": sum(1 for kiosk in kiosks if kiosk.flags)}


def free_disk_text(free_bytes: int | None) -> str:
    """Free space as people read it (850MB, 12.3GB); "—" when unknown."""
    return "—" if free_bytes is None else disk_text(free_bytes)


def uptime_text(names: Names, seconds: int | None) -> str:
    """How long the kiosk app has run: days and hours, or hours and minutes; "—" when unknown."""
    if seconds is None:
        return "—"
    days, hours, minutes = uptime_parts(seconds)
    return names.word("uptime_days", d=days, h=hours) if days else names.word("uptime_hours", h=hours, m=minutes)
