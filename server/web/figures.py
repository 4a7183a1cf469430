"""The satisfaction figures of the dashboard: per month, and per service, window and level for one
month. Only ratings that count (``repeat = 0``) are counted; satisfied means very satisfied,
satisfied or basically satisfied (GB/T 39734's three good levels)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import Column, Connection, case, func, select

from kiosk.feedback import BAD_LEVELS, LEVELS
from server.models import ratings

GOOD_LEVELS = tuple(level for level in LEVELS if level not in BAD_LEVELS)
MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
MONTHS_SHOWN = 12


@dataclass(frozen=True)
class Figure:
    key: str | None  # the month, service id, window id or level; None: ratings without one
    count: int
    satisfied: int
    score_sum: int

    @property
    def share(self) -> float:
        """Satisfied ratings as a share of all counted, 0 to 1."""
        return self.satisfied / self.count if self.count else 0.0

    @property
    def average(self) -> float:
        return self.score_sum / self.count if self.count else 0.0


def _figures(connection: Connection, key: Column[str], month: str | None = None) -> list[Figure]:
    satisfied = func.sum(case((ratings.c.level.in_(GOOD_LEVELS), 1), else_=0))
    query = select(key, func.count(), satisfied, func.sum(ratings.c.score)).where(ratings.c.repeat == 0).group_by(key)
    if month is not None:
        query = query.where(ratings.c.month == month)
    return [Figure(row[0], int(row[1]), int(row[2] or 0), int(row[3] or 0)) for row in connection.execute(query)]


def per_month(connection: Connection) -> list[Figure]:
    """The last MONTHS_SHOWN months that have ratings, oldest first."""
    return sorted(_figures(connection, ratings.c.month), key=lambda figure: figure.key or "")[-MONTHS_SHOWN:]


def per_service(connection: Connection, month: str) -> list[Figure]:
    return sorted(_figures(connection, ratings.c.service_id, month), key=lambda figure: (figure.key is None, figure.key or ""))


def per_window(connection: Connection, month: str) -> list[Figure]:
    return sorted(_figures(connection, ratings.c.window_id, month), key=lambda figure: (figure.key is None, figure.key or ""))


def per_level(connection: Connection, month: str) -> dict[str, int]:
    counts = {figure.key: figure.count for figure in _figures(connection, ratings.c.level, month)}
    return {level: counts.get(level, 0) for level in LEVELS}


def recent_months(today: dt.date, count: int = MONTHS_SHOWN) -> list[str]:
    """This month and the ``count - 1`` before it, newest first (``YYYY-MM``)."""
    months, year, month = [], today.year, today.month
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def months_with_ratings(connection: Connection) -> list[str]:
    """Every month that has a rating (counted or not), newest first."""
    return [row[0] for row in connection.execute(select(ratings.c.month).distinct().order_by(ratings.c.month.desc()))]
