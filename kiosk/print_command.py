"""``kiosk print ticket|checklist|test``: print a receipt through the configured printer, or
write its preview with ``--preview OUT.png``. Exit 0 when printed (or previewed), 1 with one
line saying what is wrong with the printer, 2 for a wrong service id."""

from __future__ import annotations

import argparse
import sys

from kiosk.config import KioskConfig
from kiosk.content import Content
from kiosk.content_store import ContentStore
from kiosk.database import open_database
from kiosk.i18n import load_strings
from kiosk.printing import PrintDesk
from kiosk.tickets import TicketBook
from printers.receipt import Receipt

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2
RECEIPTS = ("ticket", "checklist", "test")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("receipt", choices=RECEIPTS, help="which receipt to print")
    parser.add_argument("--service", metavar="ID", help="the service (for ticket and checklist), e.g. legal_aid")
    parser.add_argument("--preview", metavar="OUT.png", help="write the preview picture instead of printing")
    parser.add_argument("--language", choices=("zh_CN", "en"), help="language of the receipt (default: kiosk.ini's)")


def print_receipt(config: KioskConfig, args: argparse.Namespace) -> int:
    content = ContentStore(config.content_dir, config.data_dir).content
    language = args.language or config.language
    if args.receipt != "test" and not _known_service(content, args.service, args.receipt):
        return EXIT_INVALID
    database = open_database(config.data_dir)
    try:
        desk = PrintDesk(config, load_strings(), database)
        book = TicketBook(database, config.kiosk_id)
        if args.preview:
            receipt = _receipt(desk, book, content, args, language, issue=False)
            desk.preview(receipt).save(args.preview)
            print(f"preview of the {args.receipt} written to {args.preview}")
            return EXIT_OK
        if not desk.printer.configured:
            message = "kiosk print: no printer is configured ([printer] type = none); use --preview OUT.png to see the receipt"
            print(message, file=sys.stderr)
            return EXIT_FAILED
        receipt = _receipt(desk, book, content, args, language, issue=True)
        result = desk.print_now(receipt)
    finally:
        database.close()
    where = config.printer.describe()
    if result.printed:
        print(f"printed {receipt.title} on {where} (job {result.job_id})")
        return EXIT_OK
    print(f"kiosk print: {result.outcome.reason} ({where}); job {result.job_id} is kept for reprinting", file=sys.stderr)
    return EXIT_FAILED


def _receipt(desk: PrintDesk, book: TicketBook, content: Content, args: argparse.Namespace, language: str, issue: bool) -> Receipt:
    if args.receipt == "checklist":
        return desk.checklist(content, args.service, language)
    if args.receipt == "ticket":
        make = book.issue if issue else book.peek
        return desk.ticket(content, make(content, args.service, desk.now()), language)
    return desk.test_page(content, language)


def _known_service(content: Content, service_id: str | None, receipt: str) -> bool:
    ids = [service.id for service in content.services]
    if service_id in ids:
        return True
    got = f"'{service_id}'" if service_id else "nothing"
    print(f"kiosk print {receipt}: --service: expected one of {', '.join(ids)}, got {got}", file=sys.stderr)
    return False
