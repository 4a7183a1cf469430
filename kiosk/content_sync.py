"""Pulls the center's content from the central server (docs/appliance-api.md, "The kiosk's side").

Once a sync round, after the heartbeat, :meth:`ContentPuller.pull` asks ``GET /api/v1/content``
with the digest of the content the kiosk shows and of the set it last refused, so each set is
downloaded once. A new set (at most 20 MiB) is unpacked under the contract's limits into
``<data_dir>/content-server.new``, its files' digest compared with the server's
``X-Content-Digest``, and handed to the :class:`~kiosk.content_store.ContentStore`, which shows it
only when it loads. Whatever goes wrong is one line for the sync round's note.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import stat
import zipfile
from pathlib import Path, PurePosixPath

from kiosk.content_loader import content_version
from kiosk.content_store import ContentStore
from kiosk.sync_client import DELIVERED, REFUSED, UNCHANGED, SyncClient

MIB = 1024 * 1024
ARCHIVE_MAX = 20 * MIB  # the zip as downloaded
ENTRIES_MAX = 300
ENTRY_MAX = 8 * MIB  # one file unpacked
UNPACKED_MAX = 64 * MIB  # every file unpacked
log = logging.getLogger(__name__)


class ArchiveRefused(Exception):
    """A content archive outside the contract's limits; the message is one line naming the entry."""


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


def unpack(archive: bytes, target: Path) -> None:
    """Write the files of a content set's zip into ``target`` (made afresh), each synced to disk.

    Refused, naming the entry: more than 20 MiB, not a zip, more than 300 entries, a file over
    8 MiB or 64 MiB in all, anything but regular files, an absolute path, ``..``, a backslash, a
    name twice or both a file and a folder. A folder common to every file (a zip made of a folder) is left out.
    """
    if len(archive) > ARCHIVE_MAX:
        raise ArchiveRefused(f"the archive: expected at most {ARCHIVE_MAX // MIB} MiB, got {len(archive) / MIB:.1f} MiB")
    try:
        zipped = zipfile.ZipFile(io.BytesIO(archive))
    except zipfile.BadZipFile as error:
        raise ArchiveRefused(f"the archive: expected a zip file, got something else ({error})") from None
    entries = zipped.infolist()
    if len(entries) > ENTRIES_MAX:
        raise ArchiveRefused(f"the archive: expected at most {ENTRIES_MAX} entries, got {len(entries)}")
    files = [(info, _checked_name(info)) for info in entries if not info.is_dir()]
    if not files:
        raise ArchiveRefused("the archive: expected the files of a content set, got no file")
    names = [name for _info, name in files]
    if len(set(names)) != len(names):
        twice = next(name for name in names if names.count(name) > 1)
        raise ArchiveRefused(f"{twice}: expected each file once, got it twice")
    folders = {folder for name in names for folder in name.parents}
    clash = next((name for name in names if name in folders), None)
    if clash is not None:
        raise ArchiveRefused(f"{clash}: expected a file, got a name other entries use as a folder")
    strip = 1 if all(len(name.parts) > 1 for name in names) and len({name.parts[0] for name in names}) == 1 else 0
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    total = 0
    for info, name in files:
        if info.file_size > ENTRY_MAX:
            raise ArchiveRefused(f"{name}: expected at most {ENTRY_MAX // MIB} MiB unpacked, got {info.file_size / MIB:.1f} MiB")
        total += info.file_size
        if total > UNPACKED_MAX:
            raise ArchiveRefused(f"{name}: expected at most {UNPACKED_MAX // MIB} MiB unpacked in all, got more")
        path = target.joinpath(*name.parts[strip:])
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            data = zipped.read(info)
        except (zipfile.BadZipFile, ValueError, NotImplementedError, EOFError, RuntimeError) as error:
            raise ArchiveRefused(f"{name}: expected a readable file, got {type(error).__name__}: {error}") from None
        with path.open("wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())


def _checked_name(info: zipfile.ZipInfo) -> PurePosixPath:
    """The entry's path when it is a regular file's, relative and inside the set."""
    name = info.filename
    if "\\" in name:
        raise ArchiveRefused(f"{name}: expected a path with / between folders, got a backslash")
    if name.startswith("/"):
        raise ArchiveRefused(f"{name}: expected a path relative to the set's root, got an absolute path")
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise ArchiveRefused(f"{name}: expected a path inside the set, got '..', '.' or an empty folder name")
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind not in (0, stat.S_IFREG):  # 0: made without Unix file modes
        what = "a symbolic link" if kind == stat.S_IFLNK else "something other than a file"
        raise ArchiveRefused(f"{name}: expected a regular file, got {what}")
    return PurePosixPath(name)
