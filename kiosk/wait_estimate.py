"""How long a visitor will wait: people ahead times the recent service time, shared by the
windows that serve the queue. The recent service time is the median of the rolling window, so one
ticket left open over lunch does not make every estimate lie. With no recent service times and no
configured default there is no basis, and the answer is ``None`` (shown as 暂无估计) rather than an
invented figure."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


def estimate_minutes(ahead: int, recent_service_seconds: Sequence[float], default_minutes: float | None, windows: int) -> float | None:
    if recent_service_seconds:
        per_person = statistics.median(recent_service_seconds) / 60
    elif default_minutes is not None:
        per_person = default_minutes
    else:
        return None
    return ahead * per_person / max(windows, 1)


def shown_minutes(minutes: float) -> int:
    """An estimate as a visitor reads it: whole minutes, rounded up, at least one."""
    return max(1, math.ceil(minutes - 1e-9))
