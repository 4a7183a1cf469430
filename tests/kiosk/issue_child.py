"""The child process of the kill -9 test: a kiosk that issues tickets as fast as it can.

``python -m tests.kiosk.issue_child DATA_DIR`` opens the ledger in DATA_DIR, recovers what a
previous kill left, says ``ready`` and then issues tickets for ever, in turn from the shared
sequence, from offline block 1 and through the green channel. After each ``issue`` returns it
writes ``ID DAY LABEL`` on a line of its own: what the screen would show. Every third ticket is
marked printed, as the printer thread would.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import sys
from pathlib import Path

from kiosk.database import open_database
from kiosk.queue_rules import NORMAL, PRIORITY
from kiosk.ticket import TicketRefused
from kiosk.ticket_book import TicketBook
from tests.kiosk.ticket_rules import sample_rules

# Five digits and blocks of 10,000: 50 runs of at most 300 ms (some 2,000 tickets a second here)
# never use a range up. Block 1 is 90000-99999.
RULES = sample_rules(digits=5, offline_block_size=10_000, offline_blocks=4)
KIOSK_ID = "kiosk-kill"
PLAN = (
    ("legal_aid", NORMAL, None, None),
    ("consultation", NORMAL, None, 1),
    ("legal_aid", PRIORITY, "elderly", None),
    ("mediation", NORMAL, None, None),
)


def main(data_dir: Path) -> int:
    database = open_database(data_dir)
    book = TicketBook(database, KIOSK_ID)
    book.recover()
    os.write(1, b"ready\n")
    for count, (service_id, category, kind, block) in enumerate(itertools.cycle(PLAN)):
        try:
            ticket = book.issue(RULES, service_id, category, kind, None, dt.datetime.now(dt.timezone.utc), block)
        except TicketRefused as refused:
            os.write(2, f"refused: {refused.reason}\n".encode())
            return 1
        os.write(1, f"{ticket.id} {ticket.day} {ticket.label}\n".encode())  # one write: a whole line or none
        if count % 3 == 0:
            book.mark_printed(ticket.id)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
