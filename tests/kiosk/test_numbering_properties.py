"""Property tests of the kiosk's own numbering: any run of issues, restarts and clock changes
(forward, back, across local midnight while UTC is still on the day before) gives each label at
most once a day, each day's numbers without gaps, and a numbering day that never goes back."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.database import open_database
from kiosk.numbering import shared_numbers
from kiosk.queue_rules import APPOINTMENT, CATEGORIES, PRIORITY
from kiosk.ticket_book import TicketBook
from tests.kiosk.ticket_rules import sample_rules

RULES = sample_rules()
SERVICES = tuple(RULES.queues)
# 15:00 UTC is 23:00 in Shanghai: most runs cross local midnight within their first two hours.
START = dt.datetime(2026, 3, 1, 15, 0, tzinfo=dt.timezone.utc)

issue = st.tuples(st.just("issue"), st.sampled_from(SERVICES), st.sampled_from(CATEGORIES), st.sampled_from((None, None, 1, 3)))
advance = st.tuples(st.just("advance"), st.integers(1, 180))  # minutes, as the day goes by
jump = st.tuples(st.just("jump"), st.integers(-72, 72).filter(bool))  # hours: the clock set back or forward
restart = st.tuples(st.just("restart"))
operations = st.lists(st.one_of(issue, issue, advance, jump, restart), min_size=1, max_size=40)


@settings(max_examples=100, deadline=None)
@given(start_minutes=st.integers(0, 120), steps=operations)
def test_numbering_survives_restarts_and_clock_changes(start_minutes: int, steps: list[tuple]) -> None:
    now = START + dt.timedelta(minutes=start_minutes)
    latest: dt.date | None = None
    given_out: Counter[tuple[dt.date, str, int | None]] = Counter()
    days = []
    with tempfile.TemporaryDirectory(prefix="kiosk-numbering-") as folder:
        data = Path(folder)
        database = open_database(data)
        book = TicketBook(database, "kiosk-01")
        try:
            for index, step in enumerate(steps):
                if step[0] == "advance":
                    now += dt.timedelta(minutes=step[1])
                elif step[0] == "jump":
                    now += dt.timedelta(hours=step[1])
                elif step[0] == "restart":
                    database.close()
                    database = open_database(data)
                    book = TicketBook(database, "kiosk-01")
                    book.recover()
                else:
                    _, service_id, category, block = step
                    kind = "elderly" if category == PRIORITY else None
                    code = f"code-{index}" if category == APPOINTMENT else None
                    ticket = book.issue(RULES, service_id, category, kind, code, now, block)
                    # The model: the latest local date any issue saw, numbered from the range's start.
                    local_date = now.astimezone(RULES.zone).date()
                    latest = local_date if latest is None else max(latest, local_date)
                    numbers = shared_numbers(RULES) if block is None else RULES.offline_block(block)
                    prefix = RULES.prefix_for(service_id, category)
                    expected = numbers.start + given_out[(latest, prefix, block)]
                    given_out[(latest, prefix, block)] += 1
                    assert (ticket.day, ticket.label) == (latest, RULES.format_number(prefix, expected))
                    assert ticket.day >= local_date
                    days.append(ticket.day)
            rows = book.ledger(dt.date(2000, 1, 1), dt.date(2100, 1, 1))
        finally:
            database.close()
    assert days == sorted(days), "the numbering day went back"
    assert len(rows) == len(days)
    labels = Counter((row.day, row.label) for row in rows)
    assert [key for key, count in labels.items() if count > 1] == []
    by_range: defaultdict[tuple[dt.date, str, int], list[int]] = defaultdict(list)
    for row in rows:
        prefix, number = row.label[0], int(row.label[1:])
        by_range[(row.day, prefix, number // 50 if number > RULES.shared_ceiling() else 0)].append(number)
    for (_day, _prefix, part), found in by_range.items():
        start = 1 if part == 0 else found[0] // 50 * 50
        assert sorted(found) == list(range(start, start + len(found))), "a gap or a repeat in the numbers"
