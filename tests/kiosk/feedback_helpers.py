"""Shared pieces of the ratings-and-complaints tests: a clock that moves only when told."""

from __future__ import annotations

import datetime as dt

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
SATURDAY_MORNING = dt.datetime(2026, 11, 21, 10, 15, tzinfo=SHANGHAI)


class Clock:
    """Now, as the test set it (an aware time); it moves only when told."""

    def __init__(self, now: dt.datetime = SATURDAY_MORNING) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)
