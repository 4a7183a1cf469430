"""The center's content versions (docs/appliance-api.md): a broken set is refused with its file and
line and the current version stays; an unchanged set is not stored twice; a zip made of a folder
loses its folder (the archive's rules: tests/kiosk/test_content_archive.py); kiosks get the current
set from ``GET /api/v1/content`` (304 when they have it); ``kiosk-server publish-content`` from a shell. SQLite only."""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from kiosk.content_archive import unpack
from kiosk.content_loader import content_version, load_content
from kiosk.paths import SAMPLE_CONTENT_DIR
from server.cli import main
from server.content_sets import ContentStore, SetRefused, current_version
from server.db import Database
from server.main import create_app
from server.models import content_versions
from server.settings import Settings
from tests.server.center import Clock, auth, center_rules, register_test_kiosks

NO_REASON = (
    "staff.ini:30: [staff.zhao_min] absence_reason: expected the reason for being off duty (未在岗原因) when on_duty = no, got no value"
)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'server.sqlite3'}"


@pytest.fixture
def store(db_url: str) -> Iterator[ContentStore]:
    database = Database(db_url)
    yield ContentStore(database, Clock())
    database.close()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the sample content to change."""
    return Path(shutil.copytree(SAMPLE_CONTENT_DIR, tmp_path / "content"))


def versions(store: ContentStore) -> int:
    with store.database.read() as connection:
        count: int = connection.execute(select(func.count()).select_from(content_versions)).scalar_one()
        return count


def test_a_broken_set_is_refused_with_its_line_and_an_unchanged_one_is_not_stored_again(store: ContentStore, folder: Path) -> None:
    first = store.import_first(folder)
    assert (first.version, first.digest, first.created_by) == (1, content_version(SAMPLE_CONTENT_DIR), "server")
    staff = folder / "staff.ini"
    staff.write_text(
        staff.read_text(encoding="utf-8").replace("on_duty = yes\nwindow = 1号窗口", "on_duty = no\nwindow = 1号窗口"), "utf-8"
    )
    with pytest.raises(SetRefused) as refused:
        store.publish_folder(folder, "li.na", "zhao_min away")
    assert refused.value.lines == [NO_REASON]
    assert store.current() == first and versions(store) == 1

    away = "on_duty = no\nwindow = 1号窗口"
    staff.write_text(staff.read_text(encoding="utf-8").replace(away, "on_duty = no\nabsence_reason = 病假\nwindow = 1号窗口"), "utf-8")
    second = store.publish_folder(folder, "li.na", "zhao_min away")
    assert not second.unchanged
    assert (second.info.version, second.info.digest, second.info.created_by) == (2, content_version(folder), "li.na")
    again = store.publish_folder(folder, "li.na", "the same again")
    assert again.unchanged and again.info == second.info and versions(store) == 2
    assert store.import_first(SAMPLE_CONTENT_DIR) == second.info  # the table is not empty: nothing imported


def zip_of(*entries: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in entries:
            archive.writestr(name, body)
    return buffer.getvalue()


def test_a_zip_of_the_folder_itself_loses_its_common_prefix(store: ContentStore, folder: Path, tmp_path: Path) -> None:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    archive = zip_of(*((f"my-center/{p.relative_to(folder).as_posix()}", p.read_bytes()) for p in files), ("__MACOSX/._center.ini", b"x"))
    published = store.publish_archive(archive, "li.na", "uploaded")
    assert published.info.digest == content_version(folder)


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    app = create_app(Settings(db_url=db_url), center_rules(), Clock())
    register_test_kiosks(app.state.database)
    with TestClient(app) as client:
        yield client


def test_a_kiosk_gets_the_current_set_once(client: TestClient, tmp_path: Path) -> None:
    response = client.get("/api/v1/content", headers=auth())
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    digest = response.headers["x-content-digest"]
    assert (response.headers["etag"], response.headers["x-content-version"]) == (f'"{digest}"', "1")
    unpack(response.content, tmp_path / "pulled")
    assert load_content(tmp_path / "pulled").version == digest == content_version(SAMPLE_CONTENT_DIR)

    for header in (f'"{digest}"', f'"0123456789ab", "{digest}"', f'W/"{digest}"'):
        same = client.get("/api/v1/content", headers=auth() | {"If-None-Match": header})
        assert (same.status_code, same.content, same.headers["etag"], same.headers["x-content-version"]) == (304, b"", f'"{digest}"', "1")
    assert client.get("/api/v1/content", headers=auth() | {"If-None-Match": '"0123456789ab"'}).status_code == 200
    unauthorized = client.get("/api/v1/content")
    assert unauthorized.status_code == 401 and unauthorized.json()["error"] == "unauthorized"


def test_publish_content_prints_the_version_or_the_problems(db_url: str, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["publish-content", str(folder), "--db", db_url, "--by", "li.na", "--note", "first set"]) == 0
    digest = content_version(folder)
    assert capsys.readouterr().out == f"version 1 ({digest})\n"
    assert main(["publish-content", str(folder), "--db", db_url]) == 0
    assert capsys.readouterr().out == f"unchanged: version 1 ({digest})\n"

    for name, old, new in (("staff.ini", "photos/zhao_min.png", "photos/nobody.png"), ("notices.ini", "2026-11-20", "11/20/2026")):
        (folder / name).write_text((folder / name).read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    assert main(["publish-content", str(folder), "--db", db_url]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.splitlines() == [
        "staff.ini:29: [staff.zhao_min] photo: expected a PNG or JPEG file inside the content folder, got 'photos/nobody.png'",
        "notices.ini:84: [notice.opinions] published: expected a date as YYYY-MM-DD, got '11/20/2026'",
    ]
    assert main(["publish-content", str(folder / "nothing"), "--db", db_url]) == 2
    assert capsys.readouterr().err.startswith("kiosk-server publish-content: FOLDER: expected a content folder, got ")
    database = Database(db_url)
    try:
        with database.read() as connection:
            info = current_version(connection)
    finally:
        database.close()
    assert info is not None and (info.version, info.created_by, info.note) == (1, "li.na", "first set")
