"""The ``kiosk-server`` command.

- ``kiosk-server run [--db URL] [--host H] [--port P] [--content DIR] [--appointments FILE]
  [--fixed-time ISO]`` takes the center's content from the database's current version (importing
  the --content folder as version 1 when there is none), so its queue rules and service names are
  the ones kiosks pull; then reads the day's appointments and serves the API, the counter page and
  the web pages with uvicorn.
- ``kiosk-server report ...`` prints the center's work ledger.
- ``kiosk-server add-kiosk ID [--db URL] [--token TOKEN]`` lets a kiosk in: prints its new token
  (only that, one line, so a script can capture it), or registers the given one; again for the
  same ID replaces its token.
- ``kiosk-server add-user NAME [--db URL] [--password-stdin] [--keep-existing]`` stores a manager's
  login for the dashboard, asking for the password twice (or reading one line from stdin).
- ``kiosk-server publish-content FOLDER [--db URL] [--by NAME] [--note TEXT]`` stores the folder as
  the center's next content version: prints ``version N (DIGEST)``, or ``unchanged: version N
  (DIGEST)`` when it is the current one.

Bad arguments are one line on stderr and exit 2; problems in the content or appointments are one
line each, exit 2 (a content set's files named relative to its folder); never a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import getpass
import logging
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from kiosk.appointments import Appointments, load_appointments
from kiosk.content import Content
from kiosk.content_loader import load_content
from kiosk.problems import ProblemsFound, display_path, one_line
from kiosk.report import summarize
from kiosk.report_command import add_arguments as add_report_arguments
from kiosk.report_command import period_from, write_report
from server.content_sets import SetRefused, VersionInfo
from server.settings import DEFAULT_CONTENT, DEFAULT_DB_URL, DEFAULT_HOST, DEFAULT_PORT, Settings
from server.times import Clock

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2
COMMANDS = ("run", "report", "add-kiosk", "add-user", "publish-content")


class OneLineParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_INVALID, f"{self.prog}: {one_line(message)} (see {self.prog} --help)\n")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command not in COMMANDS:
        print(f"kiosk-server: expected a command ({', '.join(COMMANDS)}), got none (see kiosk-server --help)", file=sys.stderr)
        return EXIT_INVALID
    try:
        if args.command == "add-kiosk":
            return add_kiosk(args)
        if args.command == "add-user":
            return add_user(args)
        if args.command == "publish-content":
            return publish_content(args)
        settings = _settings(args)
        return run(settings) if args.command == "run" else report(settings, args)
    except KeyboardInterrupt:
        return EXIT_OK
    except ProblemsFound as found:
        for problem in found.problems:
            print(problem, file=sys.stderr)
        return EXIT_INVALID
    except SetRefused as refused:
        for line in refused.lines:
            print(line, file=sys.stderr)
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
    kiosk = commands.add_parser("add-kiosk", help="let a kiosk in: print a new token for it (or register --token), replacing its old one")
    kiosk.add_argument("kiosk_id", metavar="ID", help="the kiosk's id, as in its kiosk.ini ([kiosk] id)")
    kiosk.add_argument("--db", default=DEFAULT_DB_URL, metavar="URL", help=f"SQLAlchemy database URL (default: {DEFAULT_DB_URL})")
    kiosk.add_argument("--token", default=None, help="register this token (16 to 200 of A-Z a-z 0-9 . _ ~ + / = -) instead of a new one")
    user = commands.add_parser("add-user", help="store a manager's login for the dashboard (again for a name: a new password)")
    user.add_argument("name", metavar="NAME", help="the login name")
    user.add_argument("--db", default=DEFAULT_DB_URL, metavar="URL", help=f"SQLAlchemy database URL (default: {DEFAULT_DB_URL})")
    user.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin, not from the terminal")
    user.add_argument("--keep-existing", action="store_true", help="if NAME already has a login, keep its password and change nothing")
    publish = commands.add_parser("publish-content", help="store a content folder as the center's next content version (kiosks pull it)")
    publish.add_argument("folder", type=Path, metavar="FOLDER", help="the content folder (center.ini, staff.ini, services/ ...)")
    publish.add_argument("--db", default=DEFAULT_DB_URL, metavar="URL", help=f"SQLAlchemy database URL (default: {DEFAULT_DB_URL})")
    publish.add_argument("--by", default=None, metavar="NAME", help="who publishes it (default: this login's user name)")
    publish.add_argument("--note", default=None, metavar="TEXT", help="what changed, one line (default: published from FOLDER)")
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


def _check_url(url: str) -> None:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        make_url(url)
    except ArgumentError:
        raise BadArgument(f"--db: expected a database URL such as {DEFAULT_DB_URL}, got {url!r}") from None


def _settings(args: argparse.Namespace) -> Settings:
    _check_url(args.db)
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


def add_kiosk(args: argparse.Namespace) -> int:
    """Register the kiosk's token (a new random one unless --token) and print it, alone on its line."""
    from server.auth import check_kiosk_id, check_token, new_token, register_kiosk
    from server.db import Database

    _check_url(args.db)
    token = new_token() if args.token is None else args.token
    try:
        check_kiosk_id(args.kiosk_id)
        check_token(token)
    except ValueError as error:
        raise BadArgument(str(error)) from None
    database = Database(args.db)
    try:
        register_kiosk(database, args.kiosk_id, token)
    except ValueError as error:
        raise BadArgument(str(error)) from None
    finally:
        database.close()
    print(token, flush=True)
    return EXIT_OK


def add_user(args: argparse.Namespace) -> int:
    """Store a manager's name and password (argon2, by :func:`server.accounts.create_user`)."""
    from server.accounts import create_user, user_exists
    from server.db import Database

    _check_url(args.db)
    password = sys.stdin.readline().rstrip("\r\n") if args.password_stdin else _ask_password()
    database = Database(args.db)
    try:
        if args.keep_existing and user_exists(database, args.name):
            print(f"kiosk-server add-user: {args.name} already has a login; kept", flush=True)
            return EXIT_OK
        create_user(database, args.name, password)
    except ValueError as error:
        raise BadArgument(str(error)) from None
    finally:
        database.close()
    print(f"kiosk-server add-user: {args.name} can log in to the dashboard", flush=True)
    return EXIT_OK


def publish_content(args: argparse.Namespace) -> int:
    """Check the folder as a content set and store it as the next version (unless it is the current one)."""
    from server.content_sets import ContentStore
    from server.db import Database
    from server.times import system_clock

    _check_url(args.db)
    if not args.folder.is_dir():
        raise BadArgument(f"FOLDER: expected a content folder, got {display_path(args.folder)!r} (no such folder)")
    note = args.note if args.note is not None else f"published from {display_path(args.folder)}"
    database = Database(args.db)
    try:
        published = ContentStore(database, system_clock).publish_folder(args.folder, args.by or _login_name(), note)
    finally:
        database.close()
    info = published.info
    print(f"{'unchanged: ' if published.unchanged else ''}version {info.version} ({info.digest})", flush=True)
    return EXIT_OK


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a user id without a name (some containers)
        return "shell"


def _ask_password() -> str:
    """The password typed twice at the terminal, never echoed: without a terminal getpass would
    read stdin and show what is typed, so that is refused instead."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", getpass.GetPassWarning)
            first = getpass.getpass("password: ")
            second = getpass.getpass("password again: ")
    except (EOFError, getpass.GetPassWarning):
        raise BadArgument("password: expected it typed twice at a terminal, got no terminal (or use --password-stdin)") from None
    if first != second:
        raise BadArgument("password: expected the same password twice, got two different ones; nothing stored")
    return first


def run(settings: Settings) -> int:
    import uvicorn

    from server.main import create_app
    from server.times import system_clock

    fixed = settings.fixed_time
    clock = system_clock if fixed is None else lambda: fixed
    version, content = _current_content(settings, clock)
    rules = content.queues
    appointments = load_appointments(settings.appointments_file, rules.queues) if settings.appointments_file else Appointments()
    names = {service.id: service.name for service in content.services}
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    app = create_app(settings, rules, clock, appointments=appointments, service_names=names)
    where = f"http://{settings.host}:{settings.port}"
    serving = f"{len(rules.queues)} queues and {len(rules.windows)} windows of content version {version.version} ({version.digest})"
    print(f"kiosk-server: serving {serving} on {where}", flush=True)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        access_log=settings.access_log,
        log_level="warning",
        loop="uvloop",
        http="httptools",
        proxy_headers=False,
    )
    return EXIT_OK


def _current_content(settings: Settings, clock: Clock) -> tuple[VersionInfo, Content]:
    """The current content version and its content; the --content folder becomes version 1 when there is none."""
    from server.content_sets import ContentStore
    from server.db import Database

    database = Database(settings.db_url)
    try:
        store = ContentStore(database, clock)
        store.import_first(settings.content_dir)
        return store.current_content()
    finally:
        database.close()


if __name__ == "__main__":
    sys.exit(main())
