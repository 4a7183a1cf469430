"""Queue rules built by hand for the ticket ledger's tests: three services, the green channel,
appointments and four offline blocks of 50, in Asia/Shanghai (UTC+8, no daylight saving)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from kiosk.queue_rules import WEEKDAYS, Hours, QueueRules, ServiceQueue, TimeRange, Window

ALL_DAY = (TimeRange(dt.time(0, 0), dt.time(23, 59, 59)),)
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def sample_rules(caps: dict[str, int | None] | None = None, **numbering: Any) -> QueueRules:
    """``legal_aid`` (A), ``consultation`` (B) and ``mediation`` (C); ``caps`` sets daily caps,
    ``numbering`` overrides QueueRules fields such as digits or offline_block_size."""
    caps = caps or {}
    queues = {
        service_id: ServiceQueue(service_id, prefix, caps.get(service_id), 15.0, after_hours=False, holiday_duty=False)
        for service_id, prefix in (("legal_aid", "A"), ("consultation", "B"), ("mediation", "C"))
    }
    return queue_rules(queues, Hours(weekly=dict.fromkeys(WEEKDAYS, ALL_DAY)), **numbering)


def queue_rules(queues: dict[str, ServiceQueue], hours: Hours, windows: dict[str, Window] | None = None, **numbering: Any) -> QueueRules:
    """Rules with the sample's numbering (Asia/Shanghai, 3 digits, V and Y, four blocks of 50, 20
    recent service times); ``numbering`` overrides any QueueRules field."""
    rules = QueueRules(
        time_zone="Asia/Shanghai",
        digits=3,
        priority_prefix="V",
        appointment_prefix="Y",
        offline_block_size=50,
        offline_blocks=4,
        recent_service_times=20,
        hours=hours,
        queues=queues,
        windows=windows or {},
    )
    return dataclasses.replace(rules, **numbering)


def shanghai(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    """A local time of the sample center, as an aware instant."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)
