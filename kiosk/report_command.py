"""``kiosk report --day DATE | --week DATE [--csv]``: the work ledger's ticket summary for one day
or for the Monday-to-Sunday week holding DATE, from this kiosk's ledger. Text for the terminal, or
CSV (UTF-8 with BOM) on stdout for a spreadsheet. Exit 0, or 2 with one line for a wrong date."""

from __future__ import annotations

import argparse
import sys

from kiosk.config import KioskConfig
from kiosk.content_store import ContentStore
from kiosk.database import DATABASE_NAME, open_database
from kiosk.report import Period, Summary, csv_report, parse_date, summarize, text_report
from kiosk.ticket_book import LedgerRow, TicketBook

EXIT_OK, EXIT_INVALID = 0, 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--day", metavar="DATE", help="one day, e.g. 2026-03-02")
    parser.add_argument("--week", metavar="DATE", help="the Monday-to-Sunday week holding DATE")
    parser.add_argument("--csv", action="store_true", help="CSV for a spreadsheet instead of a table")


def period_from(args: argparse.Namespace) -> Period:
    """The period asked for; ValueError with the one-line reason otherwise."""
    if (args.day is None) == (args.week is None):
        raise ValueError(f"expected --day DATE or --week DATE, got {'both' if args.day is not None else 'neither'}")
    option, text = ("--day", args.day) if args.day is not None else ("--week", args.week)
    try:
        day = parse_date(text)
    except ValueError as error:
        raise ValueError(f"{option}: {error}") from None
    return Period.day(day) if option == "--day" else Period.week(day)


def print_report(config: KioskConfig, args: argparse.Namespace) -> int:
    try:
        period = period_from(args)
    except ValueError as error:
        print(f"kiosk report: {error}", file=sys.stderr)
        return EXIT_INVALID
    content = ContentStore.of(config).content
    write_report(summarize(read_ledger(config, period), content, period, config.kiosk_id), args.csv)
    return EXIT_OK


def write_report(summary: Summary, as_csv: bool) -> None:
    """The summary on stdout: a table, or CSV (UTF-8 with BOM) for a spreadsheet."""
    if as_csv:
        sys.stdout.flush()
        sys.stdout.buffer.write(csv_report(summary).encode("utf-8"))
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(text_report(summary))


def read_ledger(config: KioskConfig, period: Period) -> list[LedgerRow]:
    """The period's tickets; none when the kiosk has not made its database yet."""
    if not (config.data_dir / DATABASE_NAME).exists():
        return []
    database = open_database(config.data_dir)
    try:
        return TicketBook(database, config.kiosk_id).ledger(period.first, period.last)
    finally:
        database.close()
