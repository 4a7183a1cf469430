"""The managers' dashboard (behind the login): satisfaction per month, service and window with
charts; bad ratings and complaints with their follow-up; the kiosk fleet; CSV exports.

Phone numbers are masked everywhere, except on a record's page after the explicit "show number for
call-back" action, which is itself written down as a note (who looked, when).
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import func, select

from kiosk.feedback import BAD_LEVELS
from kiosk.phone import mask_phone
from server.content_sets import current_version
from server.models import COMPLAINT_RECORD, FOLLOW_UP_STATES, RATING_RECORD, RESOLVED, follow_ups
from server.settings import Settings
from server.times import stamp
from server.web import export, figures, follow_up
from server.web.charts import Bar, bar_chart
from server.web.fleet import fleet, free_disk_text, summary, uptime_text
from server.web.login import FormDep, Manager, ManagerDep
from server.web.names import Names
from server.web.pages import PageRoute, language, not_found, render
from server.web.words import WORDS

router = APIRouter(route_class=PageRoute, include_in_schema=False)
KINDS = {"ratings": RATING_RECORD, "complaints": COMPLAINT_RECORD}


def _names(request: Request) -> Names:
    return Names(language(request), request.app.state.counter.names, request.app.state.office.rules)


def _today(request: Request) -> dt.datetime:
    office = request.app.state.office
    now: dt.datetime = office.rules.local(office.clock())
    return now


def _month_or_all(asked: str | None) -> str | None:
    """The month asked for when it is one (YYYY-MM), else None: all months."""
    return asked if asked and figures.MONTH.fullmatch(asked) else None


def _month(request: Request, asked: str | None) -> str:
    """The month asked for when it is one, else this month."""
    return _month_or_all(asked) or _today(request).strftime("%Y-%m")


def _page(request: Request, who: Manager, template: str, section: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return render(request, template, status_code, who=who, names=_names(request), section=section, **context)


# ----- overview


@router.get("/dashboard", response_class=HTMLResponse)
def overview(request: Request, who: ManagerDep, month: str | None = None) -> HTMLResponse:
    names = _names(request)
    chosen = _month(request, month)
    today = _today(request).date().isoformat()
    with request.app.state.database.read() as connection:
        months = figures.per_month(connection)
        services = figures.per_service(connection, chosen)
        windows = figures.per_window(connection, chosen)
        levels = figures.per_level(connection, chosen)
        available = figures.months_with_ratings(connection)
        open_count = connection.execute(select(func.count()).where(follow_ups.c.state != RESOLVED)).scalar_one()
        overdue = connection.execute(select(func.count()).where(follow_ups.c.state != RESOLVED, follow_ups.c.due_day < today)).scalar_one()
        kiosks = fleet(connection, request.app.state.office.clock(), current_version(connection))
    if chosen not in available:
        available = sorted([*available, chosen], reverse=True)

    def share_chart(rows: list[figures.Figure], label: Any, title: str) -> Any:
        bars = [Bar(label(row.key), row.share * 100, f"{row.share:.0%} ({row.count})") for row in rows]
        return bar_chart(bars, 100, title) if bars else None

    level_bars = [Bar(names.level(level), count, str(count), warn=level in BAD_LEVELS) for level, count in levels.items()]
    charts = {
        "months": share_chart(months, str, names.word("per_month")),
        "services": share_chart(services, names.service, names.word("per_service", month=chosen)),
        "windows": share_chart(windows, names.window, names.word("per_window", month=chosen)),
        "levels": bar_chart(level_bars, max(levels.values()), names.word("per_level", month=chosen)) if any(levels.values()) else None,
    }
    context: dict[str, Any] = {
        "month": chosen,
        "months": months,
        "services": services,
        "windows": windows,
        "available": available,
        "charts": charts,
        "fleet": summary(kiosks),
    }
    return _page(request, who, "overview.html", "overview", open_count=open_count, overdue=overdue, **context)


# ----- bad ratings and complaints


@router.get("/dashboard/ratings", response_class=HTMLResponse)
def rating_list(request: Request, who: ManagerDep, state: str = follow_up.OPEN, month: str | None = None) -> HTMLResponse:
    state = state if state in follow_up.FILTERS else follow_up.OPEN
    chosen = _month_or_all(month)
    with request.app.state.database.read() as connection:
        rows = follow_up.bad_ratings(connection, state, chosen)
    return _list(request, who, "ratings", rows, state, chosen)


@router.get("/dashboard/complaints", response_class=HTMLResponse)
def complaint_list(request: Request, who: ManagerDep, state: str = follow_up.OPEN, month: str | None = None) -> HTMLResponse:
    state = state if state in follow_up.FILTERS else follow_up.OPEN
    chosen = _month_or_all(month)
    with request.app.state.database.read() as connection:
        rows = follow_up.complaint_list(connection, request.app.state.office.rules, state, chosen)
    return _list(request, who, "complaints", rows, state, chosen)


def _list(request: Request, who: Manager, kind: str, rows: list[Any], state: str, month: str | None) -> HTMLResponse:
    months = figures.recent_months(_today(request).date())
    context: dict[str, Any] = {
        "rows": rows,
        "state": state,
        "month": month,
        "months": months,
        "filters": follow_up.FILTERS,
        "listed": follow_up.LISTED,
    }
    return _page(request, who, f"{kind}.html", kind, today=_today(request).date(), overdue=follow_up.is_overdue, mask=_mask, **context)


def _mask(phone: str | None) -> str:
    return "—" if phone is None else mask_phone(phone)


# ----- the fleet and the exports (before the record routes, whose paths would match theirs)


@router.get("/dashboard/fleet", response_class=HTMLResponse)
def fleet_page(request: Request, who: ManagerDep) -> HTMLResponse:
    now = request.app.state.office.clock()
    with request.app.state.database.read() as connection:
        current = current_version(connection)
        kiosks = fleet(connection, now, current)
    context: dict[str, Any] = {"kiosks": kiosks, "current": current, "disk_text": free_disk_text}
    context["uptime_text"] = partial(uptime_text, _names(request))
    return _page(request, who, "fleet.html", "fleet", **context)


@router.get("/dashboard/export/ratings.csv")
def export_ratings(request: Request, who: ManagerDep, month: str | None = None) -> Response:
    chosen = _month_or_all(month)
    with request.app.state.database.read() as connection:
        body = export.ratings_csv(connection, _names(request), chosen)
    return _csv(body, f"ratings-{chosen or 'all'}.csv")


@router.get("/dashboard/export/complaints.csv")
def export_complaints(request: Request, who: ManagerDep, month: str | None = None) -> Response:
    chosen = _month_or_all(month)
    with request.app.state.database.read() as connection:
        body = export.complaints_csv(connection, _names(request), request.app.state.office.rules, chosen)
    return _csv(body, f"complaints-{chosen or 'all'}.csv")


def _csv(body: bytes, filename: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}
    return Response(body, media_type="text/csv; charset=utf-8", headers=headers)


# ----- one record and its follow-up


@router.get("/dashboard/{kind}/{record_id}", response_class=HTMLResponse)
def record_page(request: Request, who: ManagerDep, kind: str, record_id: str, saved: str = "") -> HTMLResponse:
    return _record(request, who, kind, record_id, saved=bool(saved))


@router.post("/dashboard/{kind}/{record_id}", response_class=HTMLResponse)
def record_follow(request: Request, who: ManagerDep, form: FormDep, kind: str, record_id: str) -> Response:
    if kind not in KINDS:
        return not_found(request)
    office = request.app.state.office
    settings: Settings = request.app.state.settings
    state, note, days = str(form.get("state", "")), str(form.get("note", "")), settings.follow_up_working_days
    try:
        found = follow_up.follow(office.db, office.rules, office.clock, days, KINDS[kind], record_id, state, note, who.name)
    except ValueError as error:
        return _record(request, who, kind, record_id, problem=str(error), status_code=422)
    if not found:
        return not_found(request)
    return Response(status_code=303, headers={"Location": f"/dashboard/{kind}/{record_id}?saved=1"})


@router.post("/dashboard/{kind}/{record_id}/phone", response_class=HTMLResponse)
def show_phone(request: Request, who: ManagerDep, form: FormDep, kind: str, record_id: str) -> HTMLResponse:
    """The whole number, for the call-back; the look is written down as a note."""
    if kind not in KINDS:
        return not_found(request)
    office = request.app.state.office
    with office.db.write() as connection:
        row = follow_up.record(connection, KINDS[kind], record_id)
        if row is None or row.phone is None:
            return not_found(request)
        shown = WORDS["number_shown_note"]
        follow_up.add_note(connection, KINDS[kind], record_id, stamp(office.clock()), who.name, f"{shown.zh} ({shown.en})")
    return _record(request, who, kind, record_id, show_phone=True)


def _record(
    request: Request,
    who: Manager,
    kind: str,
    record_id: str,
    saved: bool = False,
    show_phone: bool = False,
    problem: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    if kind not in KINDS:
        return not_found(request)
    with request.app.state.database.read() as connection:
        row = follow_up.record(connection, KINDS[kind], record_id)
        notes = follow_up.notes(connection, KINDS[kind], record_id)
    if row is None:
        return not_found(request)
    phone = None if row.phone is None else row.phone if show_phone else mask_phone(row.phone)
    context: dict[str, Any] = {
        "kind": kind,
        "row": row,
        "notes": notes,
        "phone": phone,
        "phone_shown": show_phone,
        "saved": saved,
        "problem": problem,
    }
    context |= {"states": FOLLOW_UP_STATES, "overdue": follow_up.is_overdue(row, _today(request).date()), "bad_levels": BAD_LEVELS}
    return _page(request, who, "record.html", kind, status_code, **context)


@router.get("/dashboard/{rest:path}", response_class=HTMLResponse)
def unknown(request: Request, who: ManagerDep, rest: str) -> HTMLResponse:
    return not_found(request)
