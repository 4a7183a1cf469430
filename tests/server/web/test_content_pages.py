"""The dashboard's content page as a manager uses it: staff set off duty with a reason (a new
version whose staff.ini changed only there), refused without one (the problem shown, nothing
stored); notices added, changed and deleted; a whole set uploaded as a zip (good and broken); a
version downloaded. SQLite only."""

from __future__ import annotations

import difflib
import html
import io
import os
import re
import zipfile
from pathlib import Path

import pytest

from kiosk.content_loader import content_version
from kiosk.paths import SAMPLE_CONTENT_DIR
from server.web.login import SESSION_COOKIE, form_token
from tests.server.web.conftest import SAME_SITE, Web

SAMPLE_STAFF = (SAMPLE_CONTENT_DIR / "staff.ini").read_text(encoding="utf-8")
SAMPLE_NOTICES = (SAMPLE_CONTENT_DIR / "notices.ini").read_text(encoding="utf-8")


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'server.sqlite3'}"


def token(web: Web) -> str:
    """The form token the session's pages carry."""
    return form_token(str(web.client.cookies.get(SESSION_COOKIE)))


def post(web: Web, path: str, **fields: str) -> tuple[int, str]:
    """Post a form of the content page; the status and the page it leads to (or shows)."""
    response = web.client.post(path, data={"form_token": token(web), **fields}, headers=SAME_SITE)
    if response.status_code == 303:
        return 303, web.client.get(response.headers["location"]).text
    return response.status_code, response.text


def version_file(web: Web, version: int, name: str) -> str:
    response = web.client.get(f"/dashboard/content/{version}.zip")
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return archive.read(name).decode("utf-8")


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0) if line[:1] in "+-"][2:]


def problems(page: str) -> list[str]:
    return [html.unescape(line) for line in re.findall(r"<li><code>(.*?)</code></li>", page)]


def test_a_staff_member_set_off_duty_with_a_reason_makes_a_version_that_changes_only_that(manager: Web) -> None:
    page = manager.client.get("/dashboard/content").text
    assert 'id="current-version">第 1 版' in page and "imported from assets/content" in page and 'data-staff="zhao_min"' in page

    status, page = post(manager, "/dashboard/content/staff/zhao_min", on_duty="no", absence_reason="")
    assert status == 422
    assert problems(page) == [
        "staff.ini:30: [staff.zhao_min] absence_reason: expected the reason for being off duty (未在岗原因) when on_duty = no, got no value"
    ]
    assert 'id="current-version">第 1 版' in page

    status, page = post(
        manager, "/dashboard/content/staff/zhao_min", on_duty="no", absence_reason="参加业务培训", absence_reason_en="Training"
    )
    assert status == 303 and 'id="saved">已保存为第 2 版' in page and "staff.zhao_min: on_duty = no (参加业务培训)" in page
    staff = version_file(manager, 2, "staff.ini")
    assert changed_lines(SAMPLE_STAFF, staff) == [
        "-on_duty = yes",
        "+on_duty = no",
        "+absence_reason = 参加业务培训",
        "+absence_reason_en = Training",
    ]
    assert "# 在岗情况：on_duty = no 时必须填写 absence_reason（未在岗原因）。" in staff

    status, page = post(manager, "/dashboard/content/staff/chen_guifang", on_duty="yes", absence_reason="外出调解纠纷")
    assert status == 303 and 'id="saved">已保存为第 3 版' in page
    back = version_file(manager, 3, "staff.ini")
    assert changed_lines(staff, back) == [
        "-on_duty = no",
        "-absence_reason = 外出调解纠纷",
        "-absence_reason_en = Out mediating a dispute",
        "+on_duty = yes",
    ]
    assert post(manager, "/dashboard/content/staff/chen_guifang", on_duty="yes")[1].count('id="unchanged">内容没有变化，仍是第 3 版') == 1
    assert post(manager, "/dashboard/content/staff/nobody", on_duty="yes")[0] == 404


def test_a_notice_is_added_changed_and_deleted(manager: Web) -> None:
    notice = {"title": "元旦假期安排", "body": "1月1日休息。\n\n1月2日照常办公。", "published": "2026-12-28", "period_days": "10"}
    status, page = post(manager, "/dashboard/content/notices", notice_id="new_year", **notice)
    assert status == 303 and 'data-notice="new_year"' in page and "元旦假期安排" in page and "未到发布日期" in page
    added = version_file(manager, 2, "notices.ini")
    assert changed_lines(SAMPLE_NOTICES, added) == [
        "+",
        "+[notice.new_year]",
        "+title = 元旦假期安排",
        "+body =",
        "+    1月1日休息。",
        "+    1月2日照常办公。",
        "+published = 2026-12-28",
        "+period_days = 10",
    ]
    status, page = post(manager, "/dashboard/content/notices", notice_id="new_year", **notice)
    assert (status, problems(page)) == (422, ["notice_id: expected an id no other notice has, got 'new_year'"])

    status, page = post(manager, "/dashboard/content/notices/new_year", **notice | {"title_en": "New Year holiday", "long_term": "yes"})
    assert status == 303 and 'id="saved">已保存为第 3 版' in page
    changed = version_file(manager, 3, "notices.ini")
    assert changed_lines(added, changed) == ["+title_en = New Year holiday", "-period_days = 10", "+long_term = yes"]
    status, page = post(manager, "/dashboard/content/notices/new_year", **notice | {"period_days": "400"})
    assert (status, problems(page)) == (
        422,
        ["notices.ini:93: [notice.new_year] period_days: expected a whole number from 1 to 365, got '400'"],
    )

    status, page = post(manager, "/dashboard/content/notices/new_year/delete")
    assert status == 303 and 'id="saved">已保存为第 4 版' in page and 'data-notice="new_year"' not in page
    assert version_file(manager, 4, "notices.ini") == SAMPLE_NOTICES
    assert post(manager, "/dashboard/content/notices/new_year/delete")[0] == 404


def zipped(folder: Path, prefix: str = "content/", changes: dict[str, bytes | None] | None = None) -> bytes:
    """A zip of ``folder`` as a file manager makes one (every entry under ``prefix``), with files changed,
    added, or left out (None)."""
    files = {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, body in (files | (changes or {})).items():
            if body is not None:
                archive.writestr(prefix + name, body)
    return buffer.getvalue()


def upload(web: Web, data: bytes, note: str = "") -> tuple[int, str]:
    files = {"archive": ("content.zip", data, "application/zip")}
    response = web.client.post("/dashboard/content/upload", data={"form_token": token(web), "note": note}, files=files, headers=SAME_SITE)
    if response.status_code == 303:
        return 303, web.client.get(response.headers["location"]).text
    return response.status_code, response.text


def test_a_whole_set_is_uploaded_and_downloaded(manager: Web, tmp_path: Path) -> None:
    status, page = upload(manager, zipped(SAMPLE_CONTENT_DIR, changes={"staff.ini": None}))
    assert (status, problems(page)) == (422, ["staff.ini: expected this content file, got no such file"])
    status, page = upload(manager, zipped(SAMPLE_CONTENT_DIR, prefix="../"))
    assert (status, problems(page)) == (422, ["../README.md: expected a path inside the set, got '..' in it"])
    assert 'id="current-version">第 1 版' in page

    staff = SAMPLE_STAFF.replace("name = 杨静", "name = 杨晶").encode()
    photo = os.urandom(3 * 1024 * 1024)  # a set larger than the body limit of every other route (1 MiB)
    status, page = upload(
        manager, zipped(SAMPLE_CONTENT_DIR, changes={"staff.ini": staff, "photos/yang_jing_new.png": photo}), note="杨晶 joined"
    )
    assert status == 303 and 'id="saved">已保存为第 2 版' in page and "杨晶 joined" in page
    assert version_file(manager, 2, "staff.ini").encode() == staff
    with zipfile.ZipFile(io.BytesIO(manager.client.get("/dashboard/content/2.zip").content)) as archive:
        assert archive.read("photos/yang_jing_new.png") == photo
    assert version_file(manager, 1, "staff.ini") == SAMPLE_STAFF

    downloaded = manager.client.get("/dashboard/content/1.zip")
    (tmp_path / "one").mkdir()
    with zipfile.ZipFile(io.BytesIO(downloaded.content)) as archive:
        archive.extractall(tmp_path / "one")
    assert content_version(tmp_path / "one") == content_version(SAMPLE_CONTENT_DIR)
    assert manager.client.get("/dashboard/content/9.zip").status_code == 404
