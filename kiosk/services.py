"""What the app is given to run: configuration, content, interface strings, printing and the clocks.

Built once by the ``kiosk run`` command (or a test) and handed to :class:`kiosk.app.KioskApp`,
so the app itself holds no file paths, wall clocks or globals of its own.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from kiosk.config import KioskConfig
from kiosk.content_store import ContentStore
from kiosk.database import open_database
from kiosk.i18n import Strings, load_strings
from kiosk.printing import PrintDesk
from kiosk.ticket_book import TicketBook
from kiosk.ticket_desk import TicketDesk


@dataclass
class KioskServices:
    config: KioskConfig
    content: ContentStore
    strings: Strings
    printing: PrintDesk
    tickets: TicketDesk
    now: Callable[[], dt.datetime] = dt.datetime.now
    monotonic: Callable[[], float] = field(default=time.monotonic)


def make_services(config: KioskConfig, now: Callable[[], dt.datetime] = dt.datetime.now) -> KioskServices:
    """The real services for ``config``: content from its folder (or the last good copy), the
    kiosk's database in its data folder, the printing desk and the ticket desk (their threads not
    yet started)."""
    strings = load_strings()
    database = open_database(config.data_dir)
    printing = PrintDesk(config, strings, database, now)
    content = ContentStore(config.content_dir, config.data_dir)
    tickets = TicketDesk(config, content, TicketBook(database, config.kiosk_id), printing, now)
    return KioskServices(config=config, content=content, strings=strings, printing=printing, tickets=tickets, now=now)
