"""The server application: ``create_app(settings, rules, ...)`` wires the database, the ticket office,
the counter, the feedback desk, the fleet, the center's content versions (the --content folder
imported as version 1 into an empty table) and the kiosks' tokens into FastAPI, and makes every
failure an answer a person can read.

Errors are ``{"error", "message", "next_open"}`` with one line of message: 409 for refusals, 422
for a malformed body or an unknown service, 404 for an unknown window, ticket or path, 401 without
a kiosk's token, 403 for a body about another kiosk, 413 for a body over the limit, 429 over a
kiosk's rate. An unexpected failure is logged with its traceback here and answered with a calm
500; no traceback ever reaches a client. The OpenAPI document is at ``/openapi.json``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from kiosk import __version__
from kiosk.appointments import Appointments
from kiosk.content import Text
from kiosk.queue_rules import QueueRules
from kiosk.ticket import TicketRefused
from server.api.openapi import openapi_document
from server.api.routes import content, counter, feedback, fleet, health, tickets
from server.auth import KioskTokens
from server.body_limit import BodyLimit, BodyTooLarge, too_large_response
from server.calling import Counter
from server.content_sets import ContentStore, SetRefused
from server.db import Database
from server.errors import INVALID, NOT_FOUND, SERVER_ERROR, ApiError, error_body
from server.feedback import FeedbackDesk
from server.fleet import Fleet
from server.ratelimit import RateLimiter
from server.settings import Settings
from server.tickets import TicketOffice
from server.times import Clock, system_clock
from server.web import content as content_pages
from server.web import include_web

log = logging.getLogger("kiosk-server")
STATIC = Path(__file__).parent / "static"


def create_app(
    settings: Settings,
    rules: QueueRules,
    clock: Clock = system_clock,
    appointments: Appointments | None = None,
    service_names: dict[str, Text] | None = None,
) -> FastAPI:
    database = Database(settings.db_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.office.close()
        database.close()

    title = "Legal service center: central server"
    app = FastAPI(title=title, version=__version__, lifespan=lifespan, openapi_url="/openapi.json", docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.database = database
    app.state.office = TicketOffice(database, rules, clock, appointments)
    app.state.counter = Counter(database, app.state.office, service_names)
    app.state.feedback = FeedbackDesk(database, rules, clock, settings.follow_up_working_days)
    app.state.fleet = Fleet(database, rules, clock)
    app.state.tokens = KioskTokens(database)
    app.state.rate = RateLimiter(settings.rate_per_second, settings.rate_burst)
    app.state.content = ContentStore(database, clock)
    _import_first_version(app.state.content, settings.content_dir)
    for router in (tickets.router, feedback.router, fleet.router, health.router, counter.router, content.router):
        app.include_router(router)
    app.include_router(content_pages.router)  # before the dashboard's own, whose /dashboard/{kind}/{record_id} would match its paths
    include_web(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(BodyLimit, limit=settings.body_limit, larger={content_pages.UPLOAD_PATH: settings.content_upload_limit})
    app.openapi = lambda: openapi_document(app)  # type: ignore[method-assign]
    _add_error_handlers(app)
    return app


def _import_first_version(store: ContentStore, folder: Path) -> None:
    """The --content folder as version 1 when the server holds no version yet. A folder that cannot
    be imported leaves the server without content (kiosks are told 404) and says why in the log."""
    try:
        store.import_first(folder)
    except SetRefused as refused:
        log.warning("content: %s could not be imported as version 1: %s", folder, refused.lines[0])


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_request: Request, error: ApiError) -> JSONResponse:
        return JSONResponse(error_body(error.code, error.message), status_code=error.status, headers=error.headers)

    @app.exception_handler(BodyTooLarge)
    async def too_large(_request: Request, error: BodyTooLarge) -> JSONResponse:
        return too_large_response(error)

    @app.exception_handler(TicketRefused)
    async def refused(_request: Request, error: TicketRefused) -> JSONResponse:
        return JSONResponse(error_body(error.reason, str(error), error.next_open), status_code=409)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        return JSONResponse(error_body(INVALID, validation_message(error.errors())), status_code=422)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        if error.status_code == 400:  # FastAPI could not even decode the body (bad bytes, absurd nesting)
            return JSONResponse(error_body(INVALID, "body: expected JSON in UTF-8, got something that cannot be parsed"), status_code=422)
        code = NOT_FOUND if error.status_code == 404 else f"http_{error.status_code}"
        message = f"{request.method} {request.url.path}: {error.detail}"
        return JSONResponse(error_body(code, message), status_code=error.status_code, headers=getattr(error, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("%s %s failed", request.method, request.url.path)
        message = "the server could not finish this request; it is logged, please try again or tell the administrator"
        # Starlette raises the error again once this answer is sent, and uvicorn then drops the connection: the
        # client is told so, or its next request on this kept-alive connection fails as if the server were gone.
        return JSONResponse(error_body(SERVER_ERROR, message), status_code=500, headers={"Connection": "close"})


def validation_message(errors: Any) -> str:
    """The first problem of a rejected request, as ``key: expected ..., got ...``. A model's own
    check names its key (``label: expected ...``) and gets the record's position in front
    (``tickets.0.label: ...``); a field's own check (``expected ...``) gets the field's key."""
    if not errors:
        return "body: expected the documented JSON, got something else"
    first = errors[0]
    kind, message = first.get("type", ""), str(first.get("msg", ""))
    key = ".".join(str(part) for part in first.get("loc", ()) if part != "body") or "body"
    if kind == "value_error":
        message = message.removeprefix("Value error, ")
        if message.startswith("expected "):
            return f"{key}: {message}"
        return message if key == "body" else f"{key}.{message}"
    if kind == "json_invalid":
        return f"body: expected JSON, got malformed JSON ({first.get('ctx', {}).get('error', 'cannot parse')})"
    if kind == "missing" and key == "body":
        return "body: expected a JSON object, got nothing"
    if kind == "missing":
        return f"{key}: expected a value, got nothing (the key is missing)"
    if kind == "extra_forbidden":
        return f"{key}: expected no such key, got one"
    if kind.startswith("uuid"):
        expected = "expected a UUID as text"
    elif message.startswith("Input should be "):
        expected = "expected " + message.removeprefix("Input should be ")
    elif kind == "string_pattern_mismatch":
        expected = f"expected text matching {first.get('ctx', {}).get('pattern', 'the pattern')}"
    else:
        expected = f"expected valid input ({message})"
    return f"{key}: {expected}, got {_shown(first.get('input'))}"


def _shown(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
