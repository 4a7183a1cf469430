"""The rules every issuer of ticket numbers follows, kept in one place so the kiosk's own ledger
and the central server cannot drift apart.

- The numbering day is the center's local date, and it never goes back: when the clock is set
  back (or a board boots with a stale clock), numbering stays on the latest day already used, so a
  number is never issued twice.
- The shared sequence (the server's, or a lone kiosk's) runs 1 .. ``shared_ceiling`` for its
  prefix's width; above it each kiosk has an offline block of its own. A sequence that reaches
  its end stops; it never wraps.
"""

from __future__ import annotations

import datetime as dt

from kiosk.queue_rules import QueueRules


def numbering_day(rules: QueueRules, now: dt.datetime, latest_day: dt.date | None) -> dt.date:
    """Today in the center's time zone, or ``latest_day`` when the clock says an earlier day."""
    today = rules.local(now).date()
    if latest_day is not None and latest_day > today:
        return latest_day
    return today


def next_number(last: int | None, numbers: range) -> int | None:
    """The number after ``last`` within ``numbers``; ``None`` when they are used up."""
    candidate = numbers.start if last is None or last < numbers.start else last + 1
    return candidate if candidate in numbers else None


def shared_numbers(rules: QueueRules, prefix: str | None = None) -> range:
    return range(1, rules.shared_ceiling(prefix) + 1)
