"""The zip of a content set (docs/appliance-api.md, "Archive limits"), made and opened the same way
on both sides: the server packs a set and unpacks what a manager uploads, a kiosk unpacks what it
downloads.

:func:`pack` makes the zip of a folder, :func:`unpack` writes the files of one into a folder. Each
refuses what breaks a rule with :class:`ArchiveRefused`, one line naming the entry: a zip over
20 MiB or not a zip, more than 300 entries, a file over 8 MiB or 64 MiB in all, anything but
regular files (a symbolic link, another kind of entry, an encrypted one), an absolute path, ``..``,
a backslash, a name twice, a name that is both a file and a folder, no file at all. A folder common
to every file (a zip made of a folder) is removed; ``__MACOSX`` and dot-files are left out.
"""

from __future__ import annotations

import io
import os
import shutil
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from kiosk.problems import display_path, one_line

MIB = 1024 * 1024
ARCHIVE_MAX = 20 * MIB  # the zip itself
ENTRIES_MAX = 300
ENTRY_MAX = 8 * MIB  # one file, unpacked
UNPACKED_MAX = 64 * MIB  # every file together, unpacked
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # every entry's time: the same files make the same archive
IGNORED_FOLDER = "__MACOSX"  # what macOS adds to a zip it makes; dot-files (.DS_Store, .git) are left out too
ENCRYPTED = 0x1  # the general purpose flag bit of an entry with a password

Entry = tuple[tuple[str, ...], zipfile.ZipInfo]  # a regular file's path parts, and its entry


class ArchiveRefused(Exception):
    """A content set's zip (or the folder to make one of) that breaks a rule; the message is one line naming the entry."""


def pack(folder: Path) -> bytes:
    """A zip of the files in ``folder`` (dot-files left out), paths relative to it, within the limits."""
    if not folder.is_dir():
        raise ArchiveRefused(f"{display_path(folder)}: expected a content folder, got no such folder")
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
    if count == 0:
        raise ArchiveRefused(f"{display_path(folder)}: expected the files of a content set, got no file")
    data = buffer.getvalue()
    if len(data) > ARCHIVE_MAX:
        raise ArchiveRefused(f"{display_path(folder)}: expected a set whose zip is at most {_mib(ARCHIVE_MAX)}, got {len(data)} bytes")
    return data


def unpack(archive: bytes, target: Path, sync: bool = True) -> None:
    """Write the files of the zip ``archive`` into the folder ``target`` (made afresh once every entry
    passed the rules, removed when one turns out unreadable), each synced to disk when ``sync``. An
    OSError is the disk's, not the archive's."""
    if len(archive) > ARCHIVE_MAX:
        raise ArchiveRefused(f"archive: expected a zip of at most {_mib(ARCHIVE_MAX)}, got {len(archive)} bytes")
    try:
        zipped = zipfile.ZipFile(io.BytesIO(archive))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as error:
        raise ArchiveRefused(one_line(f"archive: expected a zip file, got something else ({error})")) from None
    with zipped:
        entries = zipped.infolist()
        if len(entries) > ENTRIES_MAX:
            raise ArchiveRefused(f"archive: expected at most {ENTRIES_MAX} entries, got {len(entries)}")
        files = _files(entries)
        if not files:
            raise ArchiveRefused("archive: expected the files of a content set, got no file")
        _check_folders(files)
        common = {parts[0] for parts, _entry in files}
        strip = 1 if len(common) == 1 and all(len(parts) > 1 for parts, _entry in files) else 0
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        try:
            for parts, entry in files:
                _extract(zipped, entry, target.joinpath(*parts[strip:]), sync)
        except ArchiveRefused:
            shutil.rmtree(target, ignore_errors=True)
            raise


def _mib(limit: int) -> str:
    return f"{limit // MIB} MiB"


def _ignored(parts: tuple[str, ...]) -> bool:
    return parts[0] == IGNORED_FOLDER or any(part.startswith(".") for part in parts)


def _check_sizes(name: str, count: int, size: int, total: int) -> None:
    if count > ENTRIES_MAX:
        raise ArchiveRefused(f"{name}: expected at most {ENTRIES_MAX} files in a set, got more with this one")
    if size > ENTRY_MAX:
        raise ArchiveRefused(f"{name}: expected at most {_mib(ENTRY_MAX)} unpacked, got {size} bytes")
    if total > UNPACKED_MAX:
        raise ArchiveRefused(f"{name}: expected at most {_mib(UNPACKED_MAX)} unpacked in all, got more with this file")


def _files(entries: list[zipfile.ZipInfo]) -> list[Entry]:
    """The regular files to extract, each with its path's parts; every entry checked."""
    files: list[Entry] = []
    seen: set[tuple[str, ...]] = set()
    total = 0
    for count, entry in enumerate(entries, start=1):
        name = entry.filename
        parts = PurePosixPath(name).parts
        shown = one_line(name) or "(an entry without a name)"
        mode = entry.external_attr >> 16
        if "\\" in name:
            raise ArchiveRefused(one_line(f"{shown}: expected '/' between folders, got a backslash"))
        if name.startswith("/"):
            raise ArchiveRefused(one_line(f"{shown}: expected a path relative to the set's root, got an absolute path"))
        if ".." in parts:
            raise ArchiveRefused(one_line(f"{shown}: expected a path inside the set, got '..' in it"))
        if stat.S_ISLNK(mode):
            raise ArchiveRefused(one_line(f"{shown}: expected a regular file, got a symbolic link"))
        if entry.is_dir() or not parts:
            continue
        if stat.S_IFMT(mode) not in (0, stat.S_IFREG):  # 0: made without Unix file modes
            raise ArchiveRefused(one_line(f"{shown}: expected a regular file, got another kind of entry"))
        if entry.flag_bits & ENCRYPTED:
            raise ArchiveRefused(one_line(f"{shown}: expected an entry without a password, got an encrypted one"))
        if _ignored(parts):
            continue
        if parts in seen:
            raise ArchiveRefused(one_line(f"{shown}: expected each file once, got it twice"))
        seen.add(parts)
        total += entry.file_size
        _check_sizes(shown, count, entry.file_size, total)
        files.append((parts, entry))
    return files


def _check_folders(files: list[Entry]) -> None:
    """Refuse a file whose name other files use as a folder (``staff.ini`` and ``staff.ini/notes.txt``)."""
    folders = {parts[:end] for parts, _entry in files for end in range(1, len(parts))}
    clash = next((entry for parts, entry in files if parts in folders), None)
    if clash is not None:
        raise ArchiveRefused(one_line(f"{clash.filename}: expected a file, got a name other entries use as a folder"))


def _extract(zipped: zipfile.ZipFile, entry: zipfile.ZipInfo, target: Path, sync: bool) -> None:
    shown = one_line(entry.filename)
    try:
        with zipped.open(entry) as source:
            body = source.read(ENTRY_MAX + 1)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, ValueError, RuntimeError, OSError) as error:
        raise ArchiveRefused(one_line(f"{shown}: expected an intact zip entry, got one that cannot be read ({error})")) from None
    if len(body) > ENTRY_MAX:
        raise ArchiveRefused(f"{shown}: expected at most {_mib(ENTRY_MAX)} unpacked, got more")
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as file:
        file.write(body)
        if sync:
            file.flush()
            os.fsync(file.fileno())
