"""The dashboard's content page (behind the login): the current version and how many kiosks show
it, staff on duty (with the reason when not), notices, the upload of a whole set, and the last
versions with their downloads (docs/appliance-api.md).

Every change becomes a new version through :class:`server.content_sets.ContentStore`: the files
are edited line by line (:mod:`server.content_edit`), the whole set is checked, and a refused
change shows its problem lines on the page (422) and stores nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import func, select
from starlette.datastructures import FormData, UploadFile

from kiosk.content import Content, Notice
from kiosk.content_archive import ARCHIVE_MAX
from server.content_edit import NoticeText, NotInSet, add_notice, delete_notice, edit_file, replace_notice, set_on_duty
from server.content_sets import ContentStore, Published, SetRefused, archive_of, recent_versions
from server.models import kiosks
from server.web.login import FormDep, Manager, ManagerDep
from server.web.names import Names
from server.web.pages import PageRoute, language, not_found, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
PAGE = "/dashboard/content"
UPLOAD_PATH = f"{PAGE}/upload"
SHOWN, EXPIRED, SCHEDULED = "shown", "expired", "scheduled"


def _store(request: Request) -> ContentStore:
    store: ContentStore = request.app.state.content
    return store


def _today(request: Request) -> dt.date:
    office = request.app.state.office
    today: dt.date = office.rules.local(office.clock()).date()
    return today


def notice_state(notice: Notice, today: dt.date) -> str:
    if notice.visible_on(today):
        return SHOWN
    return SCHEDULED if today < notice.published else EXPIRED


@router.get(PAGE, response_class=HTMLResponse)
def content_page(request: Request, who: ManagerDep, saved: int | None = None, unchanged: int | None = None) -> HTMLResponse:
    return _page(request, who, saved=saved, unchanged=unchanged)


def _page(request: Request, who: Manager, status_code: int = 200, problems: list[str] | None = None, **shown: Any) -> HTMLResponse:
    store = _store(request)
    content: Content | None = None
    try:
        info, content = store.current_content()
    except SetRefused as refused:  # no version yet (the --content folder could not be imported)
        info, problems = None, [*(problems or []), *refused.lines]
    with request.app.state.database.read() as connection:
        versions = recent_versions(connection)
        total = connection.execute(select(func.count()).select_from(kiosks)).scalar_one()
        showing = 0
        if info is not None:
            showing = connection.execute(select(func.count()).where(kiosks.c.content_version == info.digest)).scalar_one()
    today = _today(request)
    context: dict[str, Any] = {
        "info": info,
        "staff": () if content is None else content.staff,
        "notices": [] if content is None else [(notice, notice_state(notice, today)) for notice in content.notices],
        "versions": versions,
        "kiosks_showing": showing,
        "kiosks_total": total,
        "problems": problems or [],
        "saved": shown.get("saved"),
        "unchanged": shown.get("unchanged"),
        "archive_mib": ARCHIVE_MAX // (1024 * 1024),
        "today": today.isoformat(),
    }
    names = Names(language(request), request.app.state.counter.names, request.app.state.office.rules)
    return render(request, "content.html", status_code, who=who, names=names, section="content", **context)


@router.get(PAGE + "/{version:int}.zip")
def download(request: Request, who: ManagerDep, version: int) -> Response:
    with request.app.state.database.read() as connection:
        archive = archive_of(connection, version)
    if archive is None:
        return not_found(request)
    headers = {"Content-Disposition": f'attachment; filename="content-version-{version}.zip"', "Cache-Control": "no-store"}
    return Response(archive, media_type="application/zip", headers=headers)


# ----- changes


@router.post(PAGE + "/staff/{staff_id}", response_class=HTMLResponse)
def staff_on_duty(request: Request, who: ManagerDep, form: FormDep, staff_id: str) -> Response:
    answer = _text(form, "on_duty")
    if answer not in ("yes", "no"):
        return _page(request, who, 422, [f"on_duty: expected yes or no, got {answer[:40]!r}"])
    on_duty = answer == "yes"
    reason, reason_en = _text(form, "absence_reason"), _text(form, "absence_reason_en")

    def change(folder: Path) -> None:
        edit_file(folder / "staff.ini", lambda text: set_on_duty(text, staff_id, on_duty, reason, reason_en))

    note = f"staff.{staff_id}: on_duty = yes" if on_duty else f"staff.{staff_id}: on_duty = no ({' '.join(reason.split())})"
    return _edit(request, who, change, note)


@router.post(PAGE + "/notices", response_class=HTMLResponse)
def new_notice(request: Request, who: ManagerDep, form: FormDep) -> Response:
    notice = _notice(form, _text(form, "notice_id"))
    return _edit(request, who, _notices_file(lambda text: add_notice(text, notice)), f"notice.{notice.id}: added")


@router.post(PAGE + "/notices/{notice_id}", response_class=HTMLResponse)
def edit_notice(request: Request, who: ManagerDep, form: FormDep, notice_id: str) -> Response:
    notice = _notice(form, notice_id)
    return _edit(request, who, _notices_file(lambda text: replace_notice(text, notice)), f"notice.{notice_id}: changed")


@router.post(PAGE + "/notices/{notice_id}/delete", response_class=HTMLResponse)
def remove_notice(request: Request, who: ManagerDep, form: FormDep, notice_id: str) -> Response:
    return _edit(request, who, _notices_file(lambda text: delete_notice(text, notice_id)), f"notice.{notice_id}: deleted")


@router.post(UPLOAD_PATH, response_class=HTMLResponse)
def upload(request: Request, who: ManagerDep, form: FormDep) -> Response:
    archive = form.get("archive")
    if not isinstance(archive, UploadFile) or not archive.filename:
        return _page(request, who, 422, ["archive: expected a zip file of a content folder, got no file"])
    data = archive.file.read(ARCHIVE_MAX + 1)
    note = _text(form, "note") or f"uploaded {archive.filename}"
    try:
        published = _store(request).publish_archive(data, who.name, note)
    except SetRefused as refused:
        return _page(request, who, 422, refused.lines)
    return _done(published)


def _notices_file(change: Callable[[str], str]) -> Callable[[Path], None]:
    return lambda folder: edit_file(folder / "notices.ini", change)


def _edit(request: Request, who: Manager, change: Callable[[Path], None], note: str) -> Response:
    try:
        published = _store(request).edit(change, who.name, note)
    except SetRefused as refused:
        return _page(request, who, 422, refused.lines)
    except ValueError as error:
        return _page(request, who, 422, [str(error)])
    except NotInSet:
        return not_found(request)
    return _done(published)


def _done(published: Published) -> Response:
    asked = "unchanged" if published.unchanged else "saved"
    return Response(status_code=303, headers={"Location": f"{PAGE}?{asked}={published.info.version}"})


def _text(form: FormData, key: str) -> str:
    value = form.get(key, "")
    return value if isinstance(value, str) else ""


def _notice(form: FormData, notice_id: str) -> NoticeText:
    return NoticeText(
        id=notice_id,
        title=_text(form, "title"),
        title_en=_text(form, "title_en"),
        body=_text(form, "body"),
        body_en=_text(form, "body_en"),
        published=_text(form, "published"),
        period_days=_text(form, "period_days"),
        long_term=_text(form, "long_term") == "yes",
    )
