"""The center's content sets and their versions (docs/appliance-api.md), kept in ``content_versions``.

A set is stored only when its files pass :func:`kiosk.content_loader.load_content`; otherwise
:class:`SetRefused` carries every problem as ``FILE:LINE: [section] key: expected ..., got ...``
with FILE relative to the set's root. A set whose digest equals the current version's is not
stored again. Archives are made and opened by :mod:`kiosk.content_archive`, under the rules a kiosk
unpacks by (an archive that breaks one is refused with its one line). Every set goes the same way:
packed, unpacked into a scratch folder, checked there, its digest taken there (what a kiosk computes
after its own unpacking), packed again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, insert, select

from kiosk.content import Content
from kiosk.content_archive import ArchiveRefused, pack, unpack
from kiosk.content_loader import content_version, load_content
from kiosk.problems import Problem, ProblemsFound, display_path, one_line
from server.db import Database
from server.models import content_versions
from server.times import Clock, instant, stamp

SERVER = "server"  # created_by of the first import
LISTED = 20  # the dashboard lists this many versions
NOTE_MAX, NAME_MAX = 400, 64
EDIT_ATTEMPTS = 3  # an edit made while another one was stored is made again on top of it, this many times at most
NO_VERSION = "content: expected a current version on the server, got none (kiosk-server publish-content FOLDER makes one)"


class SetRefused(Exception):
    """A content set that cannot be stored: ``lines`` are its problems, one line each."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass(frozen=True)
class VersionInfo:
    version: int
    digest: str
    created_at: dt.datetime
    created_by: str
    note: str


@dataclass(frozen=True)
class Published:
    info: VersionInfo  # the new version, or the current one when nothing changed
    unchanged: bool


# ----- reading the table


def _info(row: Any) -> VersionInfo:
    return VersionInfo(row.version, row.digest, instant(row.created_at), row.created_by, row.note)


INFO_COLUMNS = (
    content_versions.c.version,
    content_versions.c.digest,
    content_versions.c.created_at,
    content_versions.c.created_by,
    content_versions.c.note,
)


def current_version(connection: Connection) -> VersionInfo | None:
    """The current version (the highest), or None before the first import."""
    row = connection.execute(select(*INFO_COLUMNS).order_by(content_versions.c.version.desc()).limit(1)).first()
    return None if row is None else _info(row)


def recent_versions(connection: Connection, limit: int = LISTED) -> list[VersionInfo]:
    """The last ``limit`` versions, newest first."""
    query = select(*INFO_COLUMNS).order_by(content_versions.c.version.desc()).limit(limit)
    return [_info(row) for row in connection.execute(query)]


def archive_of(connection: Connection, version: int) -> bytes | None:
    """The zip of a version, or None when there is no such version."""
    archive = connection.execute(select(content_versions.c.archive).where(content_versions.c.version == version)).scalar()
    return None if archive is None else bytes(archive)


# ----- checking a set


def check_set(root: Path) -> Content:
    """The set in ``root`` loaded, or :class:`SetRefused` with its problems relative to ``root``."""
    try:
        return load_content(root)
    except ProblemsFound as found:
        raise SetRefused([set_problem(problem, root) for problem in found.problems]) from None


def set_problem(problem: Problem, root: Path) -> str:
    """One problem as a line, its file named relative to the set's root (``staff.ini:14: ...``)."""
    try:
        relative = problem.path.relative_to(root)
    except ValueError:
        relative = Path(problem.path.name)
    if relative == Path("."):
        return one_line(f"content set: {problem.message}")
    return str(dataclasses.replace(problem, path=relative))


# ----- archives


def _pack(folder: Path) -> bytes:
    """:func:`kiosk.content_archive.pack`, its refusal a set's."""
    try:
        return pack(folder)
    except ArchiveRefused as refused:
        raise SetRefused([str(refused)]) from None


def _unpack(data: bytes, into: Path) -> None:
    """:func:`kiosk.content_archive.unpack` into a scratch folder (not synced), its refusal a set's;
    a name the server's disk cannot take is refused too, in one line."""
    try:
        unpack(data, into, sync=False)
    except ArchiveRefused as refused:
        raise SetRefused([str(refused)]) from None
    except OSError as error:
        raise SetRefused([one_line(f"archive: expected files the server can write, got {error}")]) from None


# ----- the store


@dataclass(frozen=True)
class _Prepared:
    archive: bytes
    digest: str


class ContentStore:
    """Stores and reads the center's content versions in the server's database."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self.database, self.clock = database, clock

    def current(self) -> VersionInfo | None:
        with self.database.read() as connection:
            return current_version(connection)

    def import_first(self, folder: Path) -> VersionInfo:
        """The current version; when there is none, ``folder`` imported as version 1 (SetRefused when it is broken)."""
        current = self.current()
        if current is not None:
            return current
        prepared = self._prepare(_pack(folder))
        return self._store(prepared, SERVER, f"imported from {display_path(folder)}", only_if_empty=True).info

    def publish_folder(self, folder: Path, by: str, note: str) -> Published:
        return self.publish_archive(_pack(folder), by, note)

    def publish_archive(self, data: bytes, by: str, note: str) -> Published:
        return self._store(self._prepare(data), by, note)

    def edit(self, change: Callable[[Path], None], by: str, note: str) -> Published:
        """A new version made by ``change`` (which edits the files of the current set in the folder it is
        given). When another version was stored meanwhile, the change is made again on top of that one."""
        for _attempt in range(EDIT_ATTEMPTS):
            with self.current_folder() as (base, folder):
                change(folder)
                prepared = self._prepare(_pack(folder))
            try:
                return self._store(prepared, by, note, base=base.version)
            except _Moved:
                continue
        raise SetRefused(["content: expected the set to hold still while it is changed, got other changes each time; please try again"])

    @contextmanager
    def current_folder(self) -> Iterator[tuple[VersionInfo, Path]]:
        """The current version and its files unpacked in a scratch folder (removed after)."""
        with self.database.read() as connection:
            info = current_version(connection)
            data = None if info is None else archive_of(connection, info.version)
        if info is None or data is None:
            raise SetRefused([NO_VERSION])
        with tempfile.TemporaryDirectory(prefix="content-set-") as scratch:
            folder = Path(scratch)
            _unpack(data, folder)
            yield info, folder

    def current_content(self) -> tuple[VersionInfo, Content]:
        """The current version and its content as :func:`load_content` reads it (its photos' paths are gone after)."""
        with self.current_folder() as (info, folder):
            return info, check_set(folder)

    def _prepare(self, data: bytes) -> _Prepared:
        with tempfile.TemporaryDirectory(prefix="content-set-") as scratch:
            folder = Path(scratch)
            _unpack(data, folder)
            check_set(folder)
            return _Prepared(_pack(folder), content_version(folder))

    def _store(self, prepared: _Prepared, by: str, note: str, only_if_empty: bool = False, base: int | None = None) -> Published:
        """Store the set as the next version, unless its digest is the current one's (or the table is
        not empty when ``only_if_empty``); :class:`_Moved` when ``base`` is not the current version any more."""
        created_at, created_by = stamp(self.clock()), one_line(by.strip())[:NAME_MAX] or SERVER
        note = one_line(" ".join(note.split()))[:NOTE_MAX]
        with self.database.write() as connection:
            self.database.hold(connection, "content_versions")
            current = current_version(connection)
            if current is not None and (only_if_empty or current.digest == prepared.digest):
                return Published(current, unchanged=True)
            if base is not None and (current is None or current.version != base):
                raise _Moved()
            number = (connection.execute(select(func.max(content_versions.c.version))).scalar() or 0) + 1
            row = {"version": number, "digest": prepared.digest, "created_at": created_at, "created_by": created_by, "note": note}
            connection.execute(insert(content_versions), row | {"archive": prepared.archive})
        return Published(VersionInfo(number, prepared.digest, instant(created_at), created_by, note), unchanged=False)


class _Moved(Exception):
    """Another version was stored after the one an edit started from."""
