"""The child process of the outbox's kill -9 test: a kiosk storing ratings as fast as it can while
its sync sends some of them.

``python -m tests.kiosk.outbox_child DATA_DIR`` opens the outbox in DATA_DIR, recovers what a
previous kill left in flight, says ``ready`` and then stores ratings for ever. After each ``add``
returns it writes the record's id on a line of its own: what the screen would confirm as
submitted. Every 7th record it claims a batch and marks it sent or puts it back, as the sync does.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import sys
import uuid
from pathlib import Path

from kiosk.database import open_database
from kiosk.outbox import RATING, Outbox


def payload(record_id: str, count: int) -> dict[str, object]:
    """A rating as the API wants it; the phone makes records of different lengths."""
    return {
        "id": record_id,
        "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "level": "very_dissatisfied",
        "reasons": ["attitude", "efficiency"][: count % 3],
        "phone": "13812345678" if count % 2 else None,
        "ticket_label": f"A{count % 1000:03d}",
        "ticket_day": "2026-11-21",
        "ticket_id": None,
        "service_id": None,
    }


def main(data_dir: Path) -> int:
    database = open_database(data_dir)
    outbox = Outbox(database)
    outbox.recover()
    os.write(1, b"ready\n")
    for count in itertools.count():
        record_id = str(uuid.uuid4())
        outbox.add(RATING, record_id, payload(record_id, count))
        os.write(1, f"{record_id}\n".encode())  # one write: a whole line or none
        if count % 7 == 6:
            batch = [record.id for record in outbox.claim(RATING, 5)]
            if count % 2:
                outbox.mark_sent(batch)
            else:
                outbox.retry_later(batch, "no answer")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
