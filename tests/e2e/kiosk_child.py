"""A kiosk without a screen, for the end-to-end tests:
``python -m tests.e2e.kiosk_child CONFIG COUNT PAUSE_EVERY``.

It builds the kiosk's real services from CONFIG and takes COUNT normal tickets in turn across the
ticketed services, as visitors at the touchscreen would, printing one JSON line per ticket the
screen would have shown. After every PAUSE_EVERY tickets (0: never) it prints ``{"paused": N}``
and waits for a "go" line. Then it answers stdin: "report" reports its offline tickets until the
server confirms and prints ``{"reported": N}``; "quit" stops.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from kiosk.config import load_config
from kiosk.services import make_services
from kiosk.ticket import TicketRefused
from kiosk.ticket_client import ServerSilent
from kiosk.ticket_desk import TicketDesk

REPORT_ATTEMPTS = 100


def say(message: dict[str, object]) -> None:
    print(json.dumps(message), flush=True)


def take_tickets(desk: TicketDesk, count: int, pause_every: int) -> None:
    service_ids = list(desk.rules.queues)
    for index in range(count):
        if pause_every and index and index % pause_every == 0:
            say({"paused": index})
            if sys.stdin.readline().strip() != "go":
                return
        try:
            ticket = desk.take(service_ids[index % len(service_ids)])
        except TicketRefused as refused:
            say({"refused": refused.reason})
            continue
        say({"id": ticket.id, "label": ticket.label, "day": ticket.day.isoformat(), "source": ticket.source})
    say({"done": count})


def report(desk: TicketDesk) -> None:
    assert desk.reporter is not None
    sent = 0
    for _attempt in range(REPORT_ATTEMPTS):
        try:
            result = desk.reporter.report_now()
        except ServerSilent:
            time.sleep(0.1)
            continue
        if result is None:
            break
        sent += len(result.stored)
    say({"reported": sent})


def main() -> int:
    config = load_config(Path(sys.argv[1]))
    desk = make_services(config).tickets
    desk.book.recover()  # no reporter thread: the test says when to report
    take_tickets(desk, int(sys.argv[2]), int(sys.argv[3]))
    for line in sys.stdin:
        if line.strip() == "report":
            report(desk)
        elif line.strip() == "quit":
            break
    return 0


if __name__ == "__main__":
    sys.exit(main())
