"""The citizen's phone pages and the JSON behind them (no login: the UUID in the address is the key).

``/t/{ticket_id}`` is the printed ticket's QR code: the ticket's state, refreshed every 15 s while
waiting or called, and its rating once served. ``/c/{complaint_id}`` is a kiosk complaint's QR
code: the citizen types the details there. The public POSTs are limited per client address.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse

from kiosk.feedback import BAD_LEVELS, CATEGORY_NAMES, KIND_NAMES, LEVEL_NAMES, LEVELS, PRESETS, REASON_NAMES, REASONS, TEXT_MAX
from kiosk.phone import LANDLINE, MOBILE
from server.errors import NOT_FOUND, RATE_LIMITED, ApiError
from server.ratelimit import RateLimiter, retry_after
from server.settings import Settings
from server.web.citizen import DetailsForm, RatingForm, add_details, complaint_and_details, public_ticket, rate_ticket, ticket_key
from server.web.pages import PageRoute, not_found, render

PUBLIC_RATE, PUBLIC_BURST = 1.0, 20  # each client address's public POSTs: one a second, bursts of 20
RecordId = Annotated[str, Path(max_length=64)]
pages = APIRouter(route_class=PageRoute, include_in_schema=False)
api = APIRouter(prefix="/api/v1/public", tags=["phone"])


def public_limiter() -> RateLimiter:
    return RateLimiter(PUBLIC_RATE, PUBLIC_BURST)


async def limit_rate(request: Request) -> None:
    limiter: RateLimiter = request.app.state.public_limiter
    wait = limiter.take(request.client.host if request.client else "unknown")
    if wait is not None:
        message = f"{request.url.path}: expected at most {PUBLIC_BURST} requests at once from one address, got more; wait a moment"
        raise ApiError(429, RATE_LIMITED, message, headers={"Retry-After": retry_after(wait)})


def _key(record_id: str, what: str) -> str:
    key = ticket_key(record_id)
    if key is None:
        raise ApiError(404, NOT_FOUND, f"{what} {record_id[:40]!r}: expected the UUID of a {what}, got something else")
    return key


# ----- the ticket


@pages.get("/t/{ticket_id}", response_class=HTMLResponse)
def ticket_page(ticket_id: RecordId, request: Request) -> HTMLResponse:
    key = ticket_key(ticket_id)
    if key is None:
        return not_found(request, "not_found_ticket")
    try:
        ticket = public_ticket(request.app.state.office, request.app.state.counter.names, key)
    except ApiError as error:
        if error.status == 404:
            return not_found(request, "not_found_ticket")
        raise
    now = request.app.state.office.rules.local(request.app.state.office.clock())
    context: dict[str, Any] = {"ticket": ticket, "levels": LEVELS, "bad_levels": BAD_LEVELS, "level_names": LEVEL_NAMES, "reasons": REASONS}
    context |= {"reason_names": REASON_NAMES, "updated": now.strftime("%H:%M:%S"), "phone_patterns": (MOBILE.pattern, LANDLINE.pattern)}
    return render(request, "ticket.html", **context)


@api.get("/tickets/{ticket_id}")
def ticket_json(ticket_id: RecordId, request: Request) -> JSONResponse:
    ticket = public_ticket(request.app.state.office, request.app.state.counter.names, _key(ticket_id, "ticket"))
    return JSONResponse(ticket, headers={"Cache-Control": "no-store"})


@api.post("/tickets/{ticket_id}/rating", status_code=201, dependencies=[Depends(limit_rate)])
def rate(ticket_id: RecordId, form: RatingForm, request: Request) -> JSONResponse:
    office = request.app.state.office
    settings: Settings = request.app.state.settings
    rated = rate_ticket(office.db, office.rules, office.clock, settings.follow_up_working_days, _key(ticket_id, "ticket"), form)
    return JSONResponse(rated, status_code=201)


# ----- the complaint


@pages.get("/c/{complaint_id}", response_class=HTMLResponse)
def complaint_page(complaint_id: RecordId, request: Request) -> HTMLResponse:
    key = ticket_key(complaint_id)
    if key is None:
        return not_found(request, "not_found_complaint")
    complaint, details = complaint_and_details(request.app.state.database, key)
    presets = [] if complaint is None else [PRESETS[code] for code in complaint.presets.split(",") if code in PRESETS]
    context: dict[str, Any] = {"complaint_id": key, "complaint": complaint, "details": details, "presets": presets, "text_max": TEXT_MAX}
    context |= {"kind_names": KIND_NAMES, "category_names": CATEGORY_NAMES}
    return render(request, "complaint.html", **context)


@api.post("/complaints/{complaint_id}/details", status_code=201, dependencies=[Depends(limit_rate)])
def details(complaint_id: RecordId, form: DetailsForm, request: Request) -> JSONResponse:
    office = request.app.state.office
    return JSONResponse(add_details(office.db, office.clock, _key(complaint_id, "complaint"), form), status_code=201)
