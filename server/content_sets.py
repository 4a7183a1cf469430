"""The center's content sets and their versions (docs/appliance-api.md), kept in ``content_versions``.

A set is stored only when its files pass :func:`kiosk.content_loader.load_content`; otherwise
:class:`SetRefused` carries every problem as ``FILE:LINE: [section] key: expected ..., got ...``
with FILE relative to the set's root. A set whose digest equals the current version's is not
stored again. Archives are zips with the limits of the contract, checked both ways: :func:`pack`
makes one from a folder, :func:`unpack` opens one into a folder (one line naming the entry when it
breaks a limit). Every set goes the same way: packed, unpacked into a scratch folder, checked
there, its digest taken there (what a kiosk computes after its own unpacking), packed again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import Connection, func, insert, select

from kiosk.content import Content
from kiosk.content_loader import content_version, load_content
from kiosk.problems import Problem, ProblemsFound, display_path, one_line
from server.db import Database
from server.models import content_versions
from server.times import Clock, instant, stamp

MIB = 1024 * 1024
ARCHIVE_MAX = 20 * MIB  # the zip itself
ENTRIES_MAX = 300
ENTRY_MAX = 8 * MIB  # one file, unpacked
UNPACKED_MAX = 64 * MIB  # every file together, unpacked
SERVER = "server"  # created_by of the first import
LISTED = 20  # the dashboard lists this many versions
NOTE_MAX, NAME_MAX = 400, 64
EDIT_ATTEMPTS = 3  # an edit made while another one was stored is made again on top of it, this many times at most
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # every entry's time: the same files make the same archive
NO_VERSION = "content: expected a current version on the server, got none (kiosk-server publish-content FOLDER makes one)"
IGNORED_FOLDER = "__MACOSX"  # what macOS adds to a zip it makes; dot-files (.DS_Store, .git) are left out too


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


def _mib(limit: int) -> str:
    return f"{limit // MIB} MiB"


def _ignored(parts: tuple[str, ...]) -> bool:
    return parts[0] == IGNORED_FOLDER or any(part.startswith(".") for part in parts)


def pack(folder: Path) -> bytes:
    """A zip of the files in ``folder`` (dot-files left out), paths relative to it, within the limits."""
    if not folder.is_dir():
        raise SetRefused([f"{display_path(folder)}: expected a content folder, got no such folder"])
    buffer = io.BytesIO()
    count = total = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            relative = path.relative_to(folder)
            if _ignored(relative.parts):
                continue
            name = relative.as_posix()
            size = path.stat().st_size
            count, total = count + 1, total + size
            _check_sizes(name, count, size, total)
            entry = zipfile.ZipInfo(name, ZIP_TIME)
            entry.external_attr = (stat.S_IFREG | 0o644) << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, path.read_bytes())
    data = buffer.getvalue()
    if len(data) > ARCHIVE_MAX:
        raise SetRefused([f"{display_path(folder)}: expected a set whose zip is at most {_mib(ARCHIVE_MAX)}, got {len(data)} bytes"])
    return data


def _check_sizes(name: str, count: int, size: int, total: int) -> None:
    if count > ENTRIES_MAX:
        raise SetRefused([f"{name}: expected at most {ENTRIES_MAX} files in a set, got more with this one"])
    if size > ENTRY_MAX:
        raise SetRefused([f"{name}: expected at most {_mib(ENTRY_MAX)} unpacked, got {size} bytes"])
    if total > UNPACKED_MAX:
        raise SetRefused([f"{name}: expected at most {_mib(UNPACKED_MAX)} unpacked in all, got more with this file"])


def unpack(data: bytes, into: Path) -> None:
    """Write the files of the zip ``data`` into the folder ``into``, a folder prefix common to every
    entry removed; :class:`SetRefused` (one line naming the entry) when it breaks a limit."""
    if len(data) > ARCHIVE_MAX:
        raise SetRefused([f"archive: expected a zip of at most {_mib(ARCHIVE_MAX)}, got {len(data)} bytes"])
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as error:
        raise SetRefused([one_line(f"archive: expected a zip file, got something else ({error})")]) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > ENTRIES_MAX:
            raise SetRefused([f"archive: expected at most {ENTRIES_MAX} entries, got {len(entries)}"])
        files = _files(entries)
        common = {parts[0] for parts, _entry in files}
        strip = 1 if len(common) == 1 and all(len(parts) > 1 for parts, _entry in files) else 0
        for parts, entry in files:
            _extract(archive, entry, into.joinpath(*parts[strip:]))


def _files(entries: list[zipfile.ZipInfo]) -> list[tuple[tuple[str, ...], zipfile.ZipInfo]]:
    """The regular files to extract, each with its path's parts; every entry checked."""
    files, seen, total = [], set(), 0
    for count, entry in enumerate(entries, start=1):
        name = entry.filename
        parts = PurePosixPath(name).parts
        shown = one_line(name) or "(an entry without a name)"
        mode = entry.external_attr >> 16
        if "\\" in name:
            raise SetRefused([one_line(f"{shown}: expected '/' between folders, got a backslash")])
        if name.startswith("/") or (parts and parts[0] == "/"):
            raise SetRefused([one_line(f"{shown}: expected a path relative to the set's root, got an absolute path")])
        if ".." in parts:
            raise SetRefused([one_line(f"{shown}: expected a path inside the set, got '..' in it")])
        if stat.S_ISLNK(mode):
            raise SetRefused([one_line(f"{shown}: expected a regular file, got a symbolic link")])
        if entry.is_dir() or not parts:
            continue
        if stat.S_IFMT(mode) not in (0, stat.S_IFREG):
            raise SetRefused([one_line(f"{shown}: expected a regular file, got another kind of entry")])
        if entry.flag_bits & 0x1:
            raise SetRefused([one_line(f"{shown}: expected an entry without a password, got an encrypted one")])
        if _ignored(parts):
            continue
        if parts in seen:
            raise SetRefused([one_line(f"{shown}: expected each file once, got it twice")])
        seen.add(parts)
        total += entry.file_size
        _check_sizes(shown, count, entry.file_size, total)
        files.append((parts, entry))
    return files


def _extract(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, target: Path) -> None:
    shown = one_line(entry.filename)
    try:
        with archive.open(entry) as source:
            body = source.read(ENTRY_MAX + 1)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, ValueError, OSError) as error:
        raise SetRefused([one_line(f"{shown}: expected an intact zip entry, got one that cannot be read ({error})")]) from None
    if len(body) > ENTRY_MAX:
        raise SetRefused([f"{shown}: expected at most {_mib(ENTRY_MAX)} unpacked, got more"])
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
    except OSError:
        raise SetRefused([f"{shown}: expected a file, got a name another entry uses for a folder (or the reverse)"]) from None


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
        prepared = self._prepare(pack(folder))
        return self._store(prepared, SERVER, f"imported from {display_path(folder)}", only_if_empty=True).info

    def publish_folder(self, folder: Path, by: str, note: str) -> Published:
        return self.publish_archive(pack(folder), by, note)

    def publish_archive(self, data: bytes, by: str, note: str) -> Published:
        return self._store(self._prepare(data), by, note)

    def edit(self, change: Callable[[Path], None], by: str, note: str) -> Published:
        """A new version made by ``change`` (which edits the files of the current set in the folder it is
        given). When another version was stored meanwhile, the change is made again on top of that one."""
        for _attempt in range(EDIT_ATTEMPTS):
            with self.current_folder() as (base, folder):
                change(folder)
                prepared = self._prepare(pack(folder))
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
            unpack(data, folder)
            yield info, folder

    def current_content(self) -> tuple[VersionInfo, Content]:
        """The current version and its content as :func:`load_content` reads it (its photos' paths are gone after)."""
        with self.current_folder() as (info, folder):
            return info, check_set(folder)

    def _prepare(self, data: bytes) -> _Prepared:
        with tempfile.TemporaryDirectory(prefix="content-set-") as scratch:
            folder = Path(scratch)
            unpack(data, folder)
            check_set(folder)
            return _Prepared(pack(folder), content_version(folder))

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
