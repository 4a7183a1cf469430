"""Pulls the center's content from the central server (docs/appliance-api.md, "The kiosk's side").

Once a sync round, after the heartbeat, :meth:`ContentPuller.pull` asks ``GET /api/v1/content``
with the digest of the content the kiosk shows and of the set it last refused, so each set is
downloaded once. A new set (at most 20 MiB) is unpacked by :func:`kiosk.content_archive.unpack`
(the contract's limits, each file synced to disk) into ``<data_dir>/content-server.new``, its
files' digest compared with the server's ``X-Content-Digest``, and handed to the
:class:`~kiosk.content_store.ContentStore`, which shows it only when it loads. Whatever goes wrong is one line for the sync round's note.
"""

from __future__ import annotations

import shutil

from kiosk.content_archive import ARCHIVE_MAX, ArchiveRefused, unpack
from kiosk.content_loader import content_version
from kiosk.content_store import ContentStore
from kiosk.sync_client import DELIVERED, REFUSED, UNCHANGED, SyncClient


class ContentPuller:
    def __init__(self, client: SyncClient, store: ContentStore) -> None:
        self.client, self.store = client, store

    def pull(self) -> str:
        """Take the server's current set when it is new: "" when it is in use or nothing changed,
        else the problem in one line (the kiosk keeps showing what it showed)."""
        store = self.store
        download = self.client.content([store.content.version, store.refused_digest], ARCHIVE_MAX)
        if download.outcome == UNCHANGED:
            return ""
        if download.outcome == REFUSED and download.digest:
            return store.refuse(download.version, download.digest, download.message)
        if download.outcome != DELIVERED:
            return download.message
        try:
            unpack(download.archive, store.server_new)
        except ArchiveRefused as refused:
            shutil.rmtree(store.server_new, ignore_errors=True)
            return store.refuse(download.version, download.digest, str(refused))
        except OSError as error:  # the disk, not the set: the next round tries again
            shutil.rmtree(store.server_new, ignore_errors=True)
            return f"{store.server_new}: cannot unpack the server's content: {error}"
        digest = content_version(store.server_new)
        if digest != download.digest:
            shutil.rmtree(store.server_new, ignore_errors=True)
            problem = f"X-Content-Digest: expected the digest of the files sent, {digest}, got {download.digest}"
            return store.refuse(download.version, download.digest, problem)
        return store.apply_server_set(download.version or 0, digest)
