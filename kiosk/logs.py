"""The running kiosk's log: what the core and Kivy log (a sync round that failed, a printer fault,
content applied, the window that opened) as one line each on stderr, with the time, the level and
the logger's name. Under systemd that stream is the kiosk's log file (deploy/systemd), rotated by
deploy/logrotate; run by hand, it is the terminal.

``kiosk run`` calls :func:`log_to_stderr` before it imports Kivy. The one-shot commands keep their
own lines instead (``keep_log_lines_off_the_terminal`` in kiosk/cli.py).
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

LINE_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_to_stderr(stream: TextIO | None = None) -> logging.Handler:
    """Send INFO and above to stderr (or ``stream``), one line per record.

    The handler replaces whatever the root logger holds: importing python-escpos calls
    ``logging.basicConfig()``, which put a bare stderr handler there, and a second handler would
    write every line twice. The handler keeps the real stderr: Kivy, imported afterwards, replaces
    ``sys.stderr`` with a stream that logs what is written to it, which would loop back here. Its
    level filters too, because Kivy lowers the root logger's level to let everything through.
    """
    handler = logging.StreamHandler(stream or sys.__stderr__ or sys.stderr)
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter(LINE_FORMAT))
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(logging.INFO)
    return handler
