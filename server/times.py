"""Instants as the database keeps them (UTC ISO 8601 text with microseconds, which sorts as it
reads) and the clock every part of the server takes as a parameter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Clock = Callable[[], dt.datetime]  # returns a timezone-aware instant


def system_clock() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def stamp(instant: dt.datetime) -> str:
    return instant.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")


def instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)
