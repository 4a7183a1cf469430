"""The content set's zip (docs/appliance-api.md, "Archive limits"), as both the server and a kiosk
make and open it: a zip that breaks a rule is refused with one line naming the entry and nothing
is written; a folder packs into a zip that unpacks into the same files, dot-files left out. How the
two sides answer a refused zip is tested with them (tests/server, tests/kiosk/test_content_sync.py)."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest

from kiosk.content_archive import ARCHIVE_MAX, ArchiveRefused, pack, unpack

EIGHT_MIB = 8 * 1024 * 1024


def zip_of(*entries: tuple[str | zipfile.ZipInfo, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in entries:
            archive.writestr(name, body)
    return buffer.getvalue()


def of_kind(name: str, kind: int) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name)
    entry.external_attr = (kind | 0o644) << 16
    return entry


def encrypted(data: bytes) -> bytes:
    """The zip with its one entry marked as needing a password (zipfile cannot write one)."""
    marked = bytearray(data)
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # the local header, the central directory
        marked[marked.index(signature) + flags_at] |= 0x1
    return bytes(marked)


def corrupted(name: str, body: bytes, changed: bytes) -> bytes:
    """A zip whose stored entry was changed after its CRC was taken."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(name, body)
    return buffer.getvalue().replace(body, changed)


@pytest.mark.parametrize(
    ("archive", "line"),
    [
        (lambda: zip_of(("center.ini", b"x"), ("../evil.ini", b"x")), "../evil.ini: expected a path inside the set, got '..' in it"),
        (lambda: zip_of(("/etc/cron.d/evil", b"x")), "/etc/cron.d/evil: expected a path relative to the set's root, got an absolute path"),
        (lambda: zip_of(("services\\legal_aid.ini", b"x")), "services\\legal_aid.ini: expected '/' between folders, got a backslash"),
        (
            lambda: zip_of((of_kind("photos/zhao_min.png", stat.S_IFLNK), b"/etc/passwd")),
            "photos/zhao_min.png: expected a regular file, got a symbolic link",
        ),
        (lambda: zip_of((of_kind("staff.ini", stat.S_IFIFO), b"")), "staff.ini: expected a regular file, got another kind of entry"),
        (
            lambda: encrypted(zip_of(("center.ini", b"x"))),
            "center.ini: expected an entry without a password, got an encrypted one",
        ),
        (lambda: zip_of(("center.ini", b"x"), ("center.ini", b"y")), "center.ini: expected each file once, got it twice"),
        (lambda: zip_of(("__MACOSX/._center.ini", b"x"), (".DS_Store", b"x")), "archive: expected the files of a content set, got no file"),
        (
            lambda: corrupted("center.ini", b"name = a", b"name = b"),
            "center.ini: expected an intact zip entry, got one that cannot be read (Bad CRC-32 for file 'center.ini')",
        ),
        (lambda: zip_of(*((f"photos/{n}.png", b"") for n in range(301))), "archive: expected at most 300 entries, got 301"),
        (lambda: zip_of(("photos/big.png", bytes(EIGHT_MIB + 1))), "photos/big.png: expected at most 8 MiB unpacked, got 8388609 bytes"),
        (
            lambda: zip_of(*((f"photos/{n}.png", bytes(EIGHT_MIB)) for n in range(9))),
            "photos/8.png: expected at most 64 MiB unpacked in all, got more with this file",
        ),
        (lambda: bytes(ARCHIVE_MAX + 1), "archive: expected a zip of at most 20 MiB, got 20971521 bytes"),
        (lambda: b"not a zip", "archive: expected a zip file, got something else (File is not a zip file)"),
    ],
    ids=[
        "dot-dot",
        "absolute",
        "backslash",
        "symlink",
        "other-kind",
        "encrypted",
        "twice",
        "no-file",
        "unreadable",
        "entries",
        "entry-size",
        "total-size",
        "zip-size",
        "not-zip",
    ],
)
@pytest.mark.filterwarnings("ignore:Duplicate name")  # the zip with a name twice
def test_an_archive_that_breaks_a_rule_is_refused_with_one_line_naming_the_entry(tmp_path: Path, archive: object, line: str) -> None:
    with pytest.raises(ArchiveRefused) as refused:
        unpack(archive(), tmp_path / "set")  # type: ignore[operator]
    assert str(refused.value) == line
    assert not (tmp_path / "set").exists() and not (tmp_path / "evil.ini").exists()


def test_a_folder_packs_into_the_same_files_without_its_dot_files(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    (folder / "services").mkdir(parents=True)
    (folder / "center.ini").write_text("[center]\n", encoding="utf-8")
    (folder / "services" / "legal_aid.ini").write_text("[service]\n", encoding="utf-8")
    (folder / ".DS_Store").write_bytes(b"x")
    archive = pack(folder)
    assert pack(folder) == archive, "the same files make the same zip"
    unpack(archive, tmp_path / "unpacked", sync=False)
    unpacked = sorted(p.relative_to(tmp_path / "unpacked").as_posix() for p in (tmp_path / "unpacked").rglob("*") if p.is_file())
    assert unpacked == ["center.ini", "services/legal_aid.ini"]
    assert (tmp_path / "unpacked" / "services" / "legal_aid.ini").read_text(encoding="utf-8") == "[service]\n"

    with pytest.raises(ArchiveRefused) as refused:
        pack(tmp_path / "nothing")
    assert str(refused.value).endswith("nothing: expected a content folder, got no such folder")
