"""The ``kiosk`` command: run the kiosk, check its configuration and content, print, report the
work ledger, send the outbox to the central server, make a PIN hash.

Every failure is one line per problem on stderr and a non-zero exit; never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import logging
import os
import sys
import urllib.parse
from collections.abc import Callable, Sequence
from pathlib import Path

from kiosk import __version__
from kiosk.config import KioskConfig, check_with_content, load_config
from kiosk.content import Content
from kiosk.content_loader import load_content
from kiosk.content_store import SERVER_SET, load_server_set
from kiosk.font_coverage import missing_in_files
from kiosk.logs import log_to_stderr
from kiosk.pin import hash_pin, is_valid_pin
from kiosk.print_command import add_arguments as add_print_arguments
from kiosk.print_command import print_receipt
from kiosk.problems import ProblemsFound, display_path
from kiosk.report_command import add_arguments as add_report_arguments
from kiosk.report_command import print_report
from kiosk.sync_command import sync_outbox

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2
DEFAULT_CONFIG = Path("kiosk.ini")


def keep_log_lines_off_the_terminal() -> None:
    """The one-shot commands say what happened in their own lines. What the core logs for a running
    kiosk's log (a sync round's failure, a printer's fault) would repeat it on stderr as
    ``WARNING:kiosk...``, because importing python-escpos (already done by this module's imports)
    calls ``logging.basicConfig()``, which puts a stderr handler on the root logger."""
    logging.getLogger().handlers = [logging.NullHandler()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    command = args.command or "run"
    if command != "run":
        keep_log_lines_off_the_terminal()
    try:
        if command == "check":
            return check(args.config)
        if command == "hash-pin":
            return make_pin_hash()
        if command == "print":
            return print_command(args)
        if command == "report":
            return report_command(args)
        if command == "sync":
            return _with_config(args, sync_outbox)
        return run(args.config)
    except KeyboardInterrupt:
        return EXIT_FAILED
    except ProblemsFound as found:  # for example the content and every fallback of it are broken
        for problem in found.problems:
            print(problem, file=sys.stderr)
        return EXIT_INVALID
    except Exception as error:  # a person reads this: one line, never a traceback
        print(f"kiosk {command}: unexpected error: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_FAILED


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="Self-service kiosk of a public legal service center.")
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    config = argparse.ArgumentParser(add_help=False)
    config.add_argument("--config", type=Path, default=DEFAULT_CONFIG, metavar="PATH", help="kiosk.ini to use (default: ./kiosk.ini)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", parents=[config], help="run the kiosk (the default command)")
    commands.add_parser("check", parents=[config], help="check kiosk.ini and every content file")
    commands.add_parser("hash-pin", help="make the admin_pin_hash line for a new staff PIN")
    add_print_arguments(commands.add_parser("print", parents=[config], help="print a ticket, a checklist or a test page"))
    add_report_arguments(commands.add_parser("report", parents=[config], help="the work ledger: tickets of a day or a week"))
    commands.add_parser("sync", parents=[config], help="send the ratings and complaints waiting in the outbox to the server now")
    parser.set_defaults(config=DEFAULT_CONFIG)
    return parser


def _load(config_path: Path) -> tuple[KioskConfig | None, list[str]]:
    try:
        return load_config(config_path), []
    except ProblemsFound as found:
        return None, [str(p) for p in found.problems]


def check(config_path: Path) -> int:
    """Print OK and a summary, or one line per problem and exit 2."""
    config, errors = _load(config_path)
    content = None
    in_use = ""
    if config is not None:
        # The content in use: the server's set the data folder holds (no need to reach the server),
        # else the configured folder, which is checked either way as the fallback staff edit.
        server = load_server_set(config.data_dir) if config.pull_content and config.server_url else None
        try:
            content = load_content(config.content_dir)
        except ProblemsFound as found:
            errors.extend(str(p) for p in found.problems)
        if server is not None:
            content, in_use = server[0], server[1].in_use
        if content is not None:
            errors.extend(str(p) for p in check_with_content(config, content))
        files = [config.path, *sorted(config.content_dir.rglob("*.ini"))]
        if server is not None:
            files += sorted((config.data_dir / SERVER_SET).rglob("*.ini"))
        errors.extend(str(p) for p in missing_in_files(files, config.font))
    if errors or config is None or content is None:
        for line in errors:
            print(line, file=sys.stderr)
        return EXIT_INVALID
    print("OK")
    for line in summary(config, content, dt.date.today(), in_use):
        print(line)
    return EXIT_OK


SAMPLE_KIOSK_ID = "kiosk-01"


def summary(config: KioskConfig, content: Content, today: dt.date, in_use: str = "") -> list[str]:
    """The short description ``kiosk check`` prints for a good configuration; ``in_use`` names the
    content when it is not the configured folder's (``server version 12 (abcd1234ef56), applied ...``)."""
    on_duty = sum(1 for s in content.staff if s.on_duty)
    source = "sample content" if config.uses_sample_content else "the center's content"
    shown = in_use or f"{display_path(config.content_dir)} ({source}), version {content.version}"
    lines = [
        f"config: {display_path(config.path)}: kiosk {config.kiosk_id}, role {config.role}, "
        f"language {config.language}, {config.orientation}, fullscreen {'yes' if config.fullscreen else 'no'}, "
        f"idle timeout {config.idle_timeout} s",
        f"content: {shown}: "
        f"{len(content.services)} services, {len(content.staff)} staff ({on_duty} on duty), "
        f"{len(content.visible_notices(today))} of {len(content.notices)} notices shown today, "
        f"{len(content.rules)} work rules, {len(content.guide.questions)} guide questions",
        f"data: {display_path(config.data_dir)}",
        _tickets_summary(config, content),
        _sync_summary(config),
    ]
    if config.server_url and config.kiosk_id == SAMPLE_KIOSK_ID:
        advice = "give each kiosk of the center its own id and [server] offline_block"
        lines.append(f"warning: [kiosk] id is the sample's {SAMPLE_KIOSK_ID}; {advice}")
    lines.extend(_server_warnings(config))
    if config.uses_sample_pin:
        lines.append("warning: the admin PIN is the sample PIN 2580; make your own with 'kiosk hash-pin'")
    if content.center.sample:
        lines.append("warning: the content is marked as sample content (sample = yes in center.ini)")
    return lines


def _tickets_summary(config: KioskConfig, content: Content) -> str:
    rules = content.queues
    if not rules.queues:
        return "tickets: no service takes tickets (the content has no queues.ini)"
    numbers = f"server {config.server_url}, offline block {config.offline_block}" if config.server_url else "numbered by this kiosk"
    return (
        f"tickets: {len(rules.queues)} services take tickets, {len(rules.windows)} windows, "
        f"time zone {rules.time_zone}, {numbers}"
    )


SAMPLE_TOKEN = "sample-kiosk-01-token-replace-me"


def _sync_summary(config: KioskConfig) -> str:
    if not config.server_url:
        return "sync: no server; ratings and complaints stay on this kiosk"
    token = "token set" if config.server_token else "no token"
    ca = f", certificates checked against {display_path(config.server_ca_file)}" if config.server_ca_file else ""
    every = f"every {config.sync_interval} s"
    return f"sync: ratings and complaints to {config.server_url} {every}, {token}{ca}; phones open {config.public_url}"


def _server_warnings(config: KioskConfig) -> list[str]:
    """A token the server will refuse, and QR codes that visitors' phones cannot open."""
    if not config.server_url:
        return []
    warnings = []
    advice = f"make this kiosk's own with 'kiosk-server add-kiosk {config.kiosk_id}' and put it in [server] token"
    if not config.server_token:
        warnings.append(f"warning: [server] token is empty: the server refuses this kiosk's tickets, ratings and complaints; {advice}")
    elif config.server_token == SAMPLE_TOKEN:
        warnings.append(f"warning: [server] token is the sample's {SAMPLE_TOKEN}; {advice}")
    host = urllib.parse.urlsplit(config.public_url).hostname or ""
    if host == "localhost" or host.startswith("127."):
        unreachable = f"{config.public_url}, which visitors' phones cannot open"
        warnings.append(f"warning: [server] public_url is {unreachable}; set the center's address that phones reach")
    return warnings


def print_command(args: argparse.Namespace) -> int:
    return _with_config(args, print_receipt)


def report_command(args: argparse.Namespace) -> int:
    return _with_config(args, print_report)


def _with_config(args: argparse.Namespace, command: Callable[[KioskConfig, argparse.Namespace], int]) -> int:
    """Run ``command`` on a good kiosk.ini, or say what is wrong with it and exit 2."""
    config, errors = _load(args.config)
    if config is None:
        for line in errors:
            print(line, file=sys.stderr)
        return EXIT_INVALID
    return command(config, args)


def make_pin_hash() -> int:
    """Ask for a new PIN twice (or read one line from a pipe) and print the kiosk.ini line."""
    if sys.stdin.isatty():
        pin = getpass.getpass("New staff PIN (4 to 8 digits): ")
        if getpass.getpass("The same PIN again: ") != pin:
            print("kiosk hash-pin: the two PINs differ; nothing was made", file=sys.stderr)
            return EXIT_INVALID
    else:
        pin = sys.stdin.readline().strip()
    if not is_valid_pin(pin):
        print("kiosk hash-pin: expected a PIN of 4 to 8 digits, got something else", file=sys.stderr)
        return EXIT_INVALID
    print(f"admin_pin_hash = {hash_pin(pin)}")
    return EXIT_OK


def run(config_path: Path) -> int:
    """Start the kiosk window, after checking the configuration and that a display exists."""
    config, errors = _load(config_path)
    if config is None:
        for line in errors:
            print(line, file=sys.stderr)
        return EXIT_INVALID
    if not has_display():
        print(
            "kiosk: no display found (DISPLAY is not set): run it on the kiosk's screen, "
            "or try it without one with: xvfb-run -a -s '-screen 0 1920x1920x24' kiosk run",
            file=sys.stderr,
        )
        return EXIT_FAILED
    log_to_stderr()  # before Kivy is imported: see kiosk/logs.py
    from kiosk.app import run_app  # Kivy opens a window on import: only when really running

    return run_app(config)


def has_display() -> bool:
    """Whether a screen is there to open the window on (X11, Wayland, or KMS when asked for)."""
    return any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY")) or os.environ.get("SDL_VIDEODRIVER") == "kmsdrm"


if __name__ == "__main__":
    sys.exit(main())
