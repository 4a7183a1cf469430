"""A kiosk without a screen that takes ratings and complaints, for the end-to-end sync tests:
``python -m tests.e2e.feedback_child CONFIG COUNT PAUSE_MS``.

It builds the kiosk's real services from CONFIG, starts the feedback desk (records a stop left in
flight are pending again; the sync worker starts) and says ``ready``. Then it makes COUNT records in
turn, as citizens at the touchscreen would: ratings of every level (the bad ones with reasons, some
with a call-back phone) and every third record a complaint or a suggestion, PAUSE_MS milliseconds
apart. Only after ``rate()`` or ``complain()`` returned (the record is on disk and the screen says
"submitted") it writes ``rating ID`` or ``complaint ID`` on a line of its own, in one write. Then it
says ``done``, waits for a line on stdin (or its end) and stops the desk as the app does.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from kiosk.config import load_config
from kiosk.feedback import BAD_LEVELS, CATEGORIES, CATEGORY_PRESETS, COMPLAINT_KINDS, LEVELS, REASONS
from kiosk.feedback_desk import FeedbackDesk
from kiosk.services import make_services

PHONE = "13812345678"


def say(line: str) -> None:
    os.write(1, f"{line}\n".encode())  # one write: a whole line or none


def make_record(desk: FeedbackDesk, count: int) -> str:
    """One citizen's rating or complaint; returns the line that confirms it."""
    draft = desk.new_draft()
    if count % 3 == 2:
        category = CATEGORIES[count % len(CATEGORIES)]
        kind = COMPLAINT_KINDS[count % 2]
        phone = PHONE if count % 4 == 0 else None
        complaint = desk.complain(draft, kind, category, CATEGORY_PRESETS[category][:1], phone)
        return f"complaint {complaint.id}"
    level = LEVELS[count % len(LEVELS)]
    bad = level in BAD_LEVELS
    reasons = REASONS[: 1 + count % 3] if bad else ()
    phone = PHONE if bad and count % 2 else None
    rating = desk.rate(draft, level, reasons, phone)
    return f"rating {rating.id}"


def main() -> int:
    config = load_config(Path(sys.argv[1]))
    count, pause = int(sys.argv[2]), int(sys.argv[3]) / 1000
    desk = make_services(config).feedback
    desk.start()
    say("ready")
    for index in range(count):
        say(make_record(desk, index))
        time.sleep(pause)
    say("done")
    sys.stdin.readline()
    desk.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
