"""What the app is given to run: configuration, content, interface strings, printing, tickets,
ratings and complaints, and the clocks.

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
from kiosk.content_sync import ContentPuller
from kiosk.database import open_database
from kiosk.feedback_desk import FeedbackDesk
from kiosk.health import Health, content_in_use
from kiosk.i18n import Strings, load_strings
from kiosk.outbox import Outbox
from kiosk.printing import PrintDesk
from kiosk.server_session import ServerAccess
from kiosk.sync_client import SyncClient
from kiosk.sync_worker import SyncWorker
from kiosk.ticket_book import TicketBook
from kiosk.ticket_desk import TicketDesk


@dataclass
class KioskServices:
    config: KioskConfig
    content: ContentStore
    strings: Strings
    printing: PrintDesk
    tickets: TicketDesk
    feedback: FeedbackDesk
    health: Health
    now: Callable[[], dt.datetime] = dt.datetime.now
    monotonic: Callable[[], float] = field(default=time.monotonic)


def make_services(config: KioskConfig, now: Callable[[], dt.datetime] = dt.datetime.now) -> KioskServices:
    """The real services for ``config``: content (the server's last set, or its folder, or the last good copy), the
    kiosk's database in its data folder, the printing desk, the ticket desk and the feedback desk
    with its sync worker (their threads not yet started)."""
    strings = load_strings()
    database = open_database(config.data_dir)
    printing = PrintDesk(config, strings, database, now)
    content = ContentStore.of(config, now)
    book = TicketBook(database, config.kiosk_id)
    tickets = TicketDesk(config, content, book, printing, now)
    outbox = Outbox(database, now)
    health = Health(outbox, config.data_dir, config.min_free_disk_mb, lambda: printing.spooler.last_status, lambda: content_in_use(content))
    worker = None
    if config.server_url:
        client = SyncClient(config.server_url, config.kiosk_id, ServerAccess.of(config))
        puller = ContentPuller(client, content) if config.pull_content else None
        worker = SyncWorker(outbox, client, config.sync_interval, health=health, content=puller.pull if puller else None)
    feedback = FeedbackDesk(config, content, book, printing, outbox, worker, now)
    return KioskServices(
        config=config, content=content, strings=strings, printing=printing, tickets=tickets, feedback=feedback, health=health, now=now
    )
