"""``kiosk print ticket|checklist|test``: print a receipt through the configured printer, or
write its preview with ``--preview OUT.png``. Exit 0 when printed (or previewed), 1 with one
line saying what is wrong with the printer (or why no number was given), 2 for a wrong service id.

A ticket printed here is a real one, in the kiosk's ledger with its print state, numbered as the
screen's are (:class:`kiosk.ticket_desk.TicketDesk`): by the central server when one is configured
and answers, else from the kiosk's offline block (reported later), or by the kiosk on its own.
Opening hours do not apply: this is a staff tool. A preview shows the next number the kiosk
itself would give, without taking it."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from kiosk.config import KioskConfig
from kiosk.content import Content
from kiosk.content_store import ContentStore
from kiosk.database import open_database
from kiosk.i18n import load_strings
from kiosk.numbering import numbering_day
from kiosk.printing import PrintDesk
from kiosk.queue_rules import NORMAL
from kiosk.ticket import LOCAL, OFFLINE, Ticket, TicketRefused
from kiosk.ticket_book import TicketBook
from kiosk.ticket_desk import TicketDesk
from printers.receipt import Receipt

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2
RECEIPTS = ("ticket", "checklist", "test")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("receipt", choices=RECEIPTS, help="which receipt to print")
    parser.add_argument("--service", metavar="ID", help="the service (for ticket and checklist), e.g. legal_aid")
    parser.add_argument("--preview", metavar="OUT.png", help="write the preview picture instead of printing")
    parser.add_argument("--language", choices=("zh_CN", "en"), help="language of the receipt (default: kiosk.ini's)")


def print_receipt(config: KioskConfig, args: argparse.Namespace) -> int:
    store = ContentStore.of(config)
    content = store.content
    language = args.language or config.language
    if args.receipt != "test" and not _known_service(content, args.service, args.receipt):
        return EXIT_INVALID
    database = open_database(config.data_dir)
    try:
        desk = PrintDesk(config, load_strings(), database)
        book = TicketBook(database, config.kiosk_id)
        if args.preview:
            receipt = _receipt(desk, content, args, language, _next_ticket(book, config, content, args, desk.now().astimezone()))
            desk.preview(receipt).save(args.preview)
            print(f"preview of the {args.receipt} written to {args.preview}")
            return EXIT_OK
        if not desk.printer.configured:
            message = "kiosk print: no printer is configured ([printer] type = none); use --preview OUT.png to see the receipt"
            print(message, file=sys.stderr)
            return EXIT_FAILED
        ticket = TicketDesk(config, store, book, desk, desk.now).take_at_any_hour(args.service) if args.receipt == "ticket" else None
        receipt = _receipt(desk, content, args, language, ticket)
        result = desk.print_now(receipt)
        if ticket and result.printed:
            book.mark_printed(ticket.id)
        elif ticket:
            book.mark_print_failed(ticket.id, result.outcome.reason)
    except TicketRefused as refused:
        print(f"kiosk print ticket: no number ({refused.reason}): {refused}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        database.close()
    where = config.printer.describe()
    if result.printed:
        print(f"printed {receipt.title} on {where} (job {result.job_id})")
        return EXIT_OK
    print(f"kiosk print: {result.outcome.reason} ({where}); job {result.job_id} is kept for reprinting", file=sys.stderr)
    return EXIT_FAILED


def _receipt(desk: PrintDesk, content: Content, args: argparse.Namespace, language: str, ticket: Ticket | None) -> Receipt:
    if ticket is not None:
        return desk.ticket(content, ticket, language)
    if args.receipt == "checklist":
        return desk.checklist(content, args.service, language)
    return desk.test_page(content, language)


def _block(config: KioskConfig) -> int | None:
    """With a central server the kiosk's own numbers come from its offline block, never the server's range."""
    return config.offline_block if config.server_url else None


def _next_ticket(book: TicketBook, config: KioskConfig, content: Content, args: argparse.Namespace, now: dt.datetime) -> Ticket | None:
    """The ticket the next visitor would get, for the preview: not stored, its id "preview"."""
    if args.receipt != "ticket":
        return None
    rules, block = content.queues, _block(config)
    label = book.peek(rules, args.service, now, NORMAL, block)
    prefix = rules.prefix_for(args.service, NORMAL)
    return Ticket(
        id="preview",
        label=label,
        prefix=prefix,
        number=int(label[len(prefix) :]),
        day=numbering_day(rules, now, book.latest_day()),
        service_id=args.service,
        category=NORMAL,
        priority_kind=None,
        appointment_code=None,
        issued_at=rules.local(now),
        kiosk_id=config.kiosk_id,
        source=LOCAL if block is None else OFFLINE,
        ahead=None,
        wait_minutes=None,
    )


def _known_service(content: Content, service_id: str | None, receipt: str) -> bool:
    ids = [service.id for service in content.services]
    if receipt == "ticket":
        ids = [service_id for service_id in ids if service_id in content.queues.queues]  # services that issue tickets
    if service_id in ids:
        return True
    got = f"'{service_id}'" if service_id else "nothing"
    print(f"kiosk print {receipt}: --service: expected one of {', '.join(ids)}, got {got}", file=sys.stderr)
    return False
