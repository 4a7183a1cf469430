"""``kiosk sync``: send the ratings and complaints waiting in the outbox to the central server now,
without waiting for their backoff. Safe while the kiosk runs (records the kiosk is sending are
left to it). Prints ``sent N, pending N, failed N`` and, when a try failed, one line saying why.
Exit 0 when nothing is left pending, 1 when records remain (the server is unreachable, refuses
the token, ...), 2 for a kiosk.ini without a server.
"""

from __future__ import annotations

import argparse
import sys

from kiosk.config import KioskConfig
from kiosk.database import open_database
from kiosk.outbox import Outbox
from kiosk.server_session import ServerAccess
from kiosk.sync_client import SyncClient
from kiosk.sync_worker import SyncWorker

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2


def sync_outbox(config: KioskConfig, _args: argparse.Namespace) -> int:
    if not config.server_url:
        where = f"{config.path.name}: [server] url"
        print(f"kiosk sync: {where}: expected the central server's address, got nothing (records stay on this kiosk)", file=sys.stderr)
        return EXIT_INVALID
    database = open_database(config.data_dir)
    try:
        outbox = Outbox(database)
        client = SyncClient(config.server_url, config.kiosk_id, ServerAccess.of(config))
        try:
            tally = SyncWorker(outbox, client, config.sync_interval).sync_once(due_only=False, heartbeat=False)
        finally:
            client.close()
        counts = outbox.counts()
    finally:
        database.close()
    waiting = counts.pending + counts.in_flight
    print(f"sent {tally.sent}, pending {waiting}, failed {counts.failed}")
    if tally.note:
        print(f"kiosk sync: {tally.note}", file=sys.stderr)
    elif counts.in_flight:
        print(f"kiosk sync: {counts.in_flight} records are being sent by the running kiosk", file=sys.stderr)
    return EXIT_FAILED if waiting else EXIT_OK
