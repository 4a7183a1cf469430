"""The ``kiosk-server`` command: ``kiosk-server run [--db URL] [--host H] [--port P] [--content DIR]
[--appointments FILE] [--fixed-time ISO]``.

Reads the center's content (its queue rules and service names) and the day's appointments, then
serves the API and the counter page with uvicorn. Bad arguments are one line on stderr and exit 2;
problems in the content or appointments are one line each, exit 2; never a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from kiosk.appointments import Appointments, load_appointments
from kiosk.content_loader import load_content
from kiosk.problems import ProblemsFound, display_path, one_line
from kiosk.report import summarize
from kiosk.report_command import add_arguments as add_report_arguments
from kiosk.report_command import period_from, write_report
from server.settings import DEFAULT_CONTENT, DEFAULT_DB_URL, DEFAULT_HOST, DEFAULT_PORT, Settings

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2


class OneLineParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_INVALID, f"{self.prog}: {one_line(message)} (see {self.prog} --help)\n")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command not in ("run", "report"):
        print("kiosk-server: expected a command (run or report), got none (see kiosk-server --help)", file=sys.stderr)
        return EXIT_INVALID
    try:
        settings = _settings(args)
        return run(settings) if args.command == "run" else report(settings, args)
    except KeyboardInterrupt:
        return EXIT_OK
    except ProblemsFound as found:
        for problem in found.problems:
            print(problem, file=sys.stderr)
        return EXIT_INVALID
    except BadArgument as error:
        print(f"kiosk-server {args.command}: {error}", file=sys.stderr)
        return EXIT_INVALID
    except Exception as error:  # a person reads this: one line, never a traceback
        print(one_line(f"kiosk-server {args.command}: unexpected error: {type(error).__name__}: {error}"), file=sys.stderr)
        return EXIT_FAILED


class BadArgument(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    description = "Central server of a legal service center's kiosks: tickets and the counter page."
    parser = OneLineParser(prog="kiosk-server", description=description)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    run = commands.add_parser("run", help="serve the ticket API and the counter page")
    run.add_argument("--db", default=DEFAULT_DB_URL, metavar="URL", help=f"SQLAlchemy database URL (default: {DEFAULT_DB_URL})")
    run.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default: {DEFAULT_HOST})")
    run.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"port to listen on (default: {DEFAULT_PORT})")
    run.add_argument("--content", type=Path, default=DEFAULT_CONTENT, metavar="DIR", help=f"content folder (default: {DEFAULT_CONTENT})")
    run.add_argument("--appointments", type=Path, default=None, metavar="FILE", help="the appointments CSV (code,date,time,service)")
    run.add_argument("--fixed-time", type=_instant, default=None, metavar="ISO", help="tests and demos: stop the clock at this instant")
    report = commands.add_parser("report", help="the center's work ledger: tickets of all kiosks per service, hour and category")
    report.add_argument("--db", default=DEFAULT_DB_URL, metavar="URL", help=f"SQLAlchemy database URL (default: {DEFAULT_DB_URL})")
    report.add_argument("--content", type=Path, default=DEFAULT_CONTENT, metavar="DIR", help=f"content folder (default: {DEFAULT_CONTENT})")
    add_report_arguments(report)
    report.set_defaults(host=DEFAULT_HOST, port=DEFAULT_PORT, appointments=None, fixed_time=None)
    return parser


def _instant(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise argparse.ArgumentTypeError(f"expected a time with its UTC offset such as 2026-11-23T09:30:00+08:00, got {text!r}")
    return value


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 1 to 65535, got {text!r}")
    return int(text)


def _settings(args: argparse.Namespace) -> Settings:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        make_url(args.db)
    except ArgumentError:
        raise BadArgument(f"--db: expected a database URL such as {DEFAULT_DB_URL}, got {args.db!r}") from None
    if not args.content.is_dir():
        raise BadArgument(f"--content: expected a content folder, got {display_path(args.content)!r} (no such folder)")
    return Settings(
        db_url=args.db,
        host=args.host,
        port=args.port,
        content_dir=args.content,
        appointments_file=args.appointments,
        fixed_time=args.fixed_time,
    )


def report(settings: Settings, args: argparse.Namespace) -> int:
    """Print the work ledger of every kiosk of the center for a day or a week."""
    from server.db import Database
    from server.report import CENTER, center_ledger

    try:
        period = period_from(args)
    except ValueError as error:
        raise BadArgument(str(error)) from None
    _check_database_exists(settings.db_url)
    content = load_content(settings.content_dir)
    database = Database(settings.db_url)
    try:
        summary = dataclasses.replace(summarize(center_ledger(database, period), content, period, CENTER), prints_known=False)
    finally:
        database.close()
    write_report(summary, args.csv)
    return EXIT_OK


def _check_database_exists(url: str) -> None:
    """A report reads an existing database; it must not make an empty one."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and not Path(parsed.database).is_file():
        raise BadArgument(f"--db: expected the server's database, got {parsed.database!r} (no such file)")


def run(settings: Settings) -> int:
    import uvicorn

    from server.main import create_app
    from server.times import system_clock

    content = load_content(settings.content_dir)
    rules = content.queues
    appointments = load_appointments(settings.appointments_file, rules.queues) if settings.appointments_file else Appointments()
    names = {service.id: service.name for service in content.services}
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    fixed = settings.fixed_time
    clock = system_clock if fixed is None else lambda: fixed
    app = create_app(settings, rules, clock, appointments=appointments, service_names=names)
    where = f"http://{settings.host}:{settings.port}"
    print(f"kiosk-server: serving {len(rules.queues)} queues and {len(rules.windows)} windows on {where}", flush=True)
    uvicorn.run(
        app, host=settings.host, port=settings.port, access_log=settings.access_log, log_level="warning", loop="uvloop", http="httptools",
        proxy_headers=False,
    )
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
