"""The child process of the disk-full test: a kiosk whose files may grow no more.

``python -m tests.kiosk.disk_full_child KIOSK_INI MARGIN_BYTES`` builds the kiosk's real services,
leaves a rating in flight, a ticket not yet printed and a print job queued (what a restart tidies
up), then limits the size of every file it writes (``RLIMIT_FSIZE``: the largest file of the data
folder plus ``MARGIN_BYTES``, with ``SIGXFSZ`` ignored, so a write fails as on a full disk) and
stores ratings, complaints and tickets, printing each ticket, until every kind has been refused.
Then, with not a byte more to write, it starts the desks again (as a restart would), lifts the
limit, and stores one of each once more.

Each line is one write: what the screen would confirm (``rating ID``, ``complaint ID RECEIPT``,
``ticket ID DAY LABEL``, ``printed ID yes|no``) or refuse (``refused KIND EXCEPTION: MESSAGE``,
``print-refused ID``), ``print-hung ID`` when a print never answered, then ``full``, ``restarted``,
``after`` and ``done``.
"""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import sys
import threading
from pathlib import Path

from kiosk.config import load_config
from kiosk.feedback_desk import NotStored
from kiosk.services import KioskServices, make_services
from kiosk.ticket import Ticket
from printers.receipt import Receipt, TextLine
from printers.spooler import JobResult

SERVICE = "consultation"  # no daily cap
MAX_ROUNDS = 2000  # far more than the margin holds
PRINT_WAIT = 10.0
KINDS = ("rating", "complaint", "ticket")


def say(line: str) -> None:
    os.write(1, (line + "\n").encode())


def rate(services: KioskServices, count: int) -> None:
    desk = services.feedback
    if count % 2:
        stored = desk.rate(desk.new_draft(), "very_dissatisfied", ["attitude", "efficiency"], "13812345678")
    else:
        stored = desk.rate(desk.new_draft(), "satisfied")
    say(f"rating {stored.id}")


def complain(services: KioskServices, count: int) -> None:
    desk = services.feedback
    complaint = desk.complain(desk.new_draft(), "complaint", "efficiency", ["long_wait"][: count % 2], None)
    say(f"complaint {complaint.id} {complaint.receipt}")


def take_and_print(services: KioskServices, count: int) -> None:
    ticket = services.tickets.take_at_any_hour(SERVICE)
    say(f"ticket {ticket.id} {ticket.day} {ticket.label}")
    print_ticket(services, ticket)


def print_ticket(services: KioskServices, ticket: Ticket) -> None:
    """As the number screen does: a print that cannot start is 'not printed'; one that starts answers."""
    answered = threading.Event()
    outcome: list[bool] = []

    def done(result: JobResult) -> None:
        outcome.append(result.printed)
        answered.set()

    try:
        services.tickets.print_ticket(ticket, "zh_CN", done)
    except sqlite3.OperationalError:
        say(f"print-refused {ticket.id}")
        return
    if not answered.wait(PRINT_WAIT):
        say(f"print-hung {ticket.id}")
        return
    say(f"printed {ticket.id} {'yes' if outcome[0] else 'no'}")


STEPS = {"rating": rate, "complaint": complain, "ticket": take_and_print}


def attempt(kind: str, services: KioskServices, count: int) -> bool:
    """One citizen's record of ``kind``; False when the kiosk refused it."""
    try:
        STEPS[kind](services, count)
    except (NotStored, sqlite3.OperationalError) as error:
        say(f"refused {kind} {type(error).__name__}: {error}")
        return False
    return True


def leave_unfinished(services: KioskServices) -> None:
    """What a kiosk stopped mid-way leaves for its next start: a rating in flight, a ticket whose
    print never got a result, a print job still queued."""
    rate(services, 0)
    services.feedback.outbox.claim("rating")
    services.tickets.take_at_any_hour(SERVICE)
    services.printing.journal.add(Receipt("test", "queued", 48, (TextLine("queued"),), {}), services.now())


def limit_growth(data_dir: Path, margin: int) -> None:
    """No file of this process may grow beyond the data folder's largest file plus ``margin`` bytes."""
    largest = max(path.stat().st_size for path in data_dir.iterdir() if path.is_file())
    resource.setrlimit(resource.RLIMIT_FSIZE, (largest + margin, resource.RLIM_INFINITY))


def main(config_path: Path, margin: int) -> int:
    config = load_config(config_path)
    services = make_services(config)
    services.printing.spooler.start()
    leave_unfinished(services)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    limit_growth(config.data_dir, margin)
    say("ready")

    refused: set[str] = set()
    for count in range(MAX_ROUNDS):
        kind = KINDS[count % len(KINDS)]
        if not attempt(kind, services, count):
            refused.add(kind)
        if refused == set(KINDS):
            break
    say("full")

    limit_growth(config.data_dir, 0)  # not a byte more: the restart's tidying up cannot be written
    again = make_services(config)  # the kiosk restarted while its disk is full
    again.feedback.start()
    again.tickets.start()
    again.printing.spooler.start()
    again.printing.spooler.stop()
    again.tickets.stop()
    say("restarted")

    resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))  # space was freed
    say("after")
    for count, kind in enumerate(KINDS):
        attempt(kind, services, count)
    services.printing.spooler.stop()
    say("done")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), int(sys.argv[2])))
