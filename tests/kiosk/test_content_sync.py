"""The kiosk takes the center's content from the server (docs/appliance-api.md, "The kiosk's side"),
against a real HTTP server on 127.0.0.1 that answers GET /api/v1/content as the contract says: a
new set is applied and shown, a set already shown is not downloaded again, a broken, forged or
unsafe set is never applied (the kiosk keeps its last good content and says why), a server that is
gone changes nothing, and what was applied survives a restart and a crash in the middle of the swap."""

from __future__ import annotations

import contextlib
import io
import re
import stat
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from kiosk import cli
from kiosk.config import load_config
from kiosk.content_loader import content_version
from kiosk.content_store import SERVER_NEW, SERVER_NOTE, SERVER_OLD, SERVER_SET, ContentStore
from kiosk.content_sync import ContentPuller
from kiosk.server_session import ServerAccess
from kiosk.services import make_services
from kiosk.sync_client import SyncClient
from tests.kiosk.conftest import MakeContent, kiosk_ini_text
from tests.kiosk.feedback_server import KIOSK_ID, TOKEN

ZHANG_ABSENT = ("on_duty = yes\nwindow", "on_duty = no\nabsence_reason = 参加培训\nwindow")
ZHANG_ABSENT_NO_REASON = ("on_duty = yes\nwindow", "on_duty = no\nwindow")


@dataclass
class ContentServer:
    """The center's current set: ``publish`` puts a zip up; GET /api/v1/content answers 200 or 304."""

    url: str = ""
    archive: bytes = b""
    version: int = 0
    digest: str = ""
    asked: list[str] = field(default_factory=list)  # each request's If-None-Match
    downloads: int = 0  # 200 answers

    def publish(self, archive: bytes, digest: str) -> None:
        self.archive, self.digest, self.version = archive, digest, self.version + 1


def zip_of(folder: Path, prefix: str = "", extra: dict[str, bytes] | None = None) -> bytes:
    """The files of ``folder`` as a zip (folder entries too, as ``zip -r`` makes), under ``prefix``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            name = prefix + path.relative_to(folder).as_posix()
            archive.write(path, name + "/" if path.is_dir() else name)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def server() -> Iterator[ContentServer]:
    state = ContentServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            if self.path != "/api/v1/content" or self.headers.get("Authorization") != f"Bearer {TOKEN}":
                self.send_error(404 if self.headers.get("Authorization") else 401)
                return
            known = re.findall(r'"([0-9a-f]+)"', self.headers.get("If-None-Match", ""))
            state.asked.append(self.headers.get("If-None-Match", ""))
            fresh = state.digest not in known
            self.send_response(200 if fresh else 304)
            for key, value in (("ETag", f'"{state.digest}"'), ("X-Content-Version", state.version), ("X-Content-Digest", state.digest)):
                self.send_header(key, str(value))
            if fresh:
                state.downloads += 1
                self.send_header("Content-Type", "application/zip")
                self.send_header("Content-Length", str(len(state.archive)))
            self.end_headers()
            if fresh:
                with contextlib.suppress(ConnectionError):  # the kiosk stops reading an archive over its limit
                    self.wfile.write(state.archive)

        def do_POST(self) -> None:  # noqa: N802 - the heartbeat
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            body = b'{"server_time": "2026-11-21T10:15:00+08:00"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's name
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()
    thread.join(10)


def publish(server: ContentServer, make_content: MakeContent, tmp_path: Path, name: str, **changes: Any) -> str:
    """A variant of the test content put up on the server; its digest."""
    folder = make_content(folder=tmp_path / name, **changes)
    digest = content_version(folder)
    server.publish(zip_of(folder), digest)
    return digest


@pytest.fixture
def store(tmp_path: Path, content_dir: Path) -> ContentStore:
    return ContentStore(content_dir, tmp_path / "data", pull=True)


def puller(store: ContentStore, url: str) -> ContentPuller:
    return ContentPuller(SyncClient(url, KIOSK_ID, ServerAccess(TOKEN), (2.0, 5.0)), store)


def zhang(store: ContentStore) -> tuple[bool, str | None]:
    member = next(m for m in store.content.staff if m.id == "zhang")
    return member.on_duty, member.absence_reason.zh if member.absence_reason else None


def test_the_sync_round_applies_a_new_set_and_then_asks_for_it_no_more(
    tmp_path: Path, content_dir: Path, make_content: MakeContent, server: ContentServer
) -> None:
    folder = make_content(folder=tmp_path / "v1", replace={"staff.ini": ZHANG_ABSENT})
    digest = content_version(folder)
    server.publish(zip_of(folder, prefix="content/"), digest)  # as a zip made of a folder: the prefix is left out
    ini = tmp_path / "kiosk.ini"
    server_keys = f"[printer]\ntype = none\n[server]\nurl = {server.url}\ntoken = {TOKEN}\n"
    ini.write_text(kiosk_ini_text(id=KIOSK_ID) + server_keys, encoding="utf-8")
    services = make_services(load_config(ini))
    store, worker = services.content, services.feedback.worker
    shown_before = store.content.version
    assert worker is not None and zhang(store) == (True, None)

    assert worker.sync_once().note == ""
    assert zhang(store) == (False, "参加培训")
    assert store.content.version == digest and store.content.folder == tmp_path / "data" / SERVER_SET
    assert store.label == f"server version 1 ({digest})"
    assert store.in_use.startswith(f"server version 1 ({digest}), applied 20")
    assert server.asked == [f'"{shown_before}"']
    assert sorted(p.name for p in (tmp_path / "data").iterdir() if p.name.startswith("content-server")) == [SERVER_SET, SERVER_NOTE]

    shown = store.content
    assert worker.sync_once().note == ""
    assert server.asked[-1] == f'"{digest}"' and server.downloads == 1, "the set shown is not downloaded again"
    assert store.content is shown


def test_a_broken_set_is_never_applied_nor_downloaded_again(
    tmp_path: Path, store: ContentStore, make_content: MakeContent, server: ContentServer
) -> None:
    good = publish(server, make_content, tmp_path, "v1", replace={"staff.ini": ZHANG_ABSENT})
    pull = puller(store, server.url).pull
    assert pull() == ""
    broken = publish(server, make_content, tmp_path, "v2", replace={"staff.ini": ZHANG_ABSENT_NO_REASON})
    expected = (
        "server version 2 refused: staff.ini:5: [staff.zhang] absence_reason: "
        "expected the reason for being off duty (未在岗原因) when on_duty = no, got no value"
    )
    assert pull() == expected
    assert (store.refused, store.refused_digest) == (expected, broken)
    assert zhang(store) == (False, "参加培训") and store.label == f"server version 1 ({good})", "the last good set stays"
    assert not (tmp_path / "data" / SERVER_NEW).exists()

    assert pull() == ""
    assert server.asked[-1] == f'"{good}", "{broken}"' and server.downloads == 2, "a refused set is downloaded once"
    assert store.refused == expected, "the admin screen still says why"
    assert ContentStore(tmp_path / "content", tmp_path / "data", pull=True).label == f"server version 1 ({good})"


def unsafe(folder: Path, case: str) -> bytes:
    """The test content as a zip with one thing the contract forbids."""
    if case == "symlink":
        link = zipfile.ZipInfo("photos/link.png")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        buffer = io.BytesIO(zip_of(folder))
        with zipfile.ZipFile(buffer, "a") as archive:
            archive.writestr(link, "/etc/passwd")
        return buffer.getvalue()
    if case == "too large":
        return zip_of(folder) + bytes(20 * 1024 * 1024)  # a valid zip still (a comment-less tail), but over 20 MiB
    extra = {
        "path traversal": {"../evil.ini": b"x"},
        "absolute": {"/tmp/evil.ini": b"x"},
        "file over 8 MiB": {"notes.txt": bytes(9 << 20)},
        "file and folder": {"staff.ini/notes.txt": b"x"},
    }
    return zip_of(folder, extra=extra[case])


@pytest.mark.parametrize(
    ("case", "problem"),
    [
        ("path traversal", "../evil.ini: expected a path inside the set, got '..' in it"),
        ("absolute", "/tmp/evil.ini: expected a path relative to the set's root, got an absolute path"),
        ("symlink", "photos/link.png: expected a regular file, got a symbolic link"),
        ("file over 8 MiB", "notes.txt: expected at most 8 MiB unpacked, got 9437184 bytes"),
        ("file and folder", "staff.ini: expected a file, got a name other entries use as a folder"),
        ("too large", "the archive: expected at most 20 MiB, got more"),
        ("digest", "X-Content-Digest: expected the digest of the files sent, {files}, got 0123456789ab"),
    ],
)
def test_an_unsafe_or_forged_archive_is_refused(
    tmp_path: Path, store: ContentStore, make_content: MakeContent, server: ContentServer, case: str, problem: str
) -> None:
    folder = make_content(folder=tmp_path / "v1", replace={"staff.ini": ZHANG_ABSENT})
    files = content_version(folder)
    server.publish(zip_of(folder) if case == "digest" else unsafe(folder, case), "0123456789ab" if case == "digest" else files)
    shown = store.content
    assert puller(store, server.url).pull() == "server version 1 refused: " + problem.format(files=files)
    assert store.content is shown and zhang(store) == (True, None)
    assert not (tmp_path / "evil.ini").exists() and not (tmp_path / "data" / SERVER_NEW).exists()


def test_a_server_that_is_gone_changes_nothing(tmp_path: Path, store: ContentStore) -> None:
    shown = store.content
    assert puller(store, "http://127.0.0.1:9").pull() == "http://127.0.0.1:9/api/v1/content: cannot reach the server (ConnectionError)"
    assert store.content is shown and store.refused == "" and store.label == f"content_dir ({shown.version})"


def test_after_a_restart_the_server_set_is_shown_and_kiosk_check_names_it(
    tmp_path: Path, store: ContentStore, make_content: MakeContent, server: ContentServer, capsys: pytest.CaptureFixture[str]
) -> None:
    digest = publish(server, make_content, tmp_path, "v1", replace={"staff.ini": ZHANG_ABSENT})
    assert puller(store, server.url).pull() == ""
    again = ContentStore(tmp_path / "content", tmp_path / "data", pull=True)
    assert zhang(again) == (False, "参加培训") and again.label == f"server version 1 ({digest})"
    assert again.in_use == store.in_use, "applied when it was applied, not when the kiosk started"
    without_pull = ContentStore(tmp_path / "content", tmp_path / "data", pull=False)
    assert zhang(without_pull) == (True, None) and without_pull.label.startswith("content_dir (")

    server_down = "http://127.0.0.1:9"
    ini = tmp_path / "kiosk.ini"
    ini.write_text(kiosk_ini_text(id=KIOSK_ID) + f"[server]\nurl = {server_down}\ntoken = {TOKEN}\n", encoding="utf-8")
    assert cli.main(["check", "--config", str(ini)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert f"content: {store.in_use}: 7 services, 2 staff (0 on duty), " in "\n".join(lines)


class PowerCut(BaseException):
    """The kiosk stops dead at this point: nothing after it runs, no handler sees it."""


@pytest.mark.parametrize("cut_at", ["old set renamed away", "new set renamed in"])
def test_a_swap_cut_short_is_finished_or_undone_at_the_next_start(
    tmp_path: Path, store: ContentStore, make_content: MakeContent, server: ContentServer, monkeypatch: pytest.MonkeyPatch, cut_at: str
) -> None:
    first = publish(server, make_content, tmp_path, "v1", replace={"staff.ini": ZHANG_ABSENT})
    assert puller(store, server.url).pull() == ""
    renamed = ("name = 示范区公共法律服务中心", "name = 新区公共法律服务中心")
    second = publish(server, make_content, tmp_path, "v2", replace={"center.ini": renamed})
    renames: list[Path] = []
    real_rename = Path.rename

    def rename(self: Path, target: Path) -> Path:
        renames.append(self)
        if cut_at == "old set renamed away" and len(renames) == 2:
            raise PowerCut
        moved = real_rename(self, target)
        if cut_at == "new set renamed in" and len(renames) == 2:
            raise PowerCut
        return moved

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(PowerCut):
        puller(store, server.url).pull()
    monkeypatch.undo()
    assert [p.name for p in renames] == [SERVER_SET, SERVER_NEW]

    restarted = ContentStore(tmp_path / "content", tmp_path / "data", pull=True)
    if cut_at == "old set renamed away":
        assert restarted.label == f"server version 1 ({first})" and restarted.content.center.name.zh == "示范区公共法律服务中心"
    else:
        assert restarted.label == f"server version 2 ({second})" and restarted.content.center.name.zh == "新区公共法律服务中心"
    assert not (tmp_path / "data" / SERVER_OLD).exists() and not (tmp_path / "data" / SERVER_NEW).exists()
    assert content_version(tmp_path / "data" / SERVER_SET) == restarted.content.version
