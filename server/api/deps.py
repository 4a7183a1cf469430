"""What route functions are given: the center's ticket office, counter, feedback desk and fleet,
made once by :func:`server.main.create_app` and kept on the application's state, and the kiosk a
request comes from. They are ``async`` so that FastAPI does not hand them to a worker thread on
every request.

A kiosk route takes :data:`KioskDep` (``Authorization: Bearer TOKEN`` -> the kiosk's id, 401 without
a known token, 429 over the kiosk's rate) and reads its JSON body itself with :func:`kiosk_body`
(after the token is checked; 403 when the body names another kiosk).
"""

from __future__ import annotations

from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from server.auth import TOKEN, KioskTokens
from server.calling import Counter
from server.errors import RATE_LIMITED, UNAUTHORIZED, WRONG_KIOSK, ApiError
from server.feedback import FeedbackDesk
from server.fleet import Fleet
from server.ratelimit import RateLimiter, retry_after
from server.schemas import KioskBody
from server.tickets import TicketOffice

Body = TypeVar("Body", bound=KioskBody)
ASK_FOR_TOKEN = {"WWW-Authenticate": "Bearer"}


async def get_office(request: Request) -> TicketOffice:
    office: TicketOffice = request.app.state.office
    return office


async def get_counter(request: Request) -> Counter:
    counter: Counter = request.app.state.counter
    return counter


async def get_feedback(request: Request) -> FeedbackDesk:
    feedback: FeedbackDesk = request.app.state.feedback
    return feedback


async def get_fleet(request: Request) -> Fleet:
    fleet: Fleet = request.app.state.fleet
    return fleet


async def get_kiosk(request: Request) -> str:
    """The id of the kiosk whose token came with the request, once it is within its rate."""
    tokens: KioskTokens = request.app.state.tokens
    token = _bearer(request.headers.get("authorization"))
    kiosk_id = None if token is None else tokens.cached(token)
    if kiosk_id is None and token is not None:
        kiosk_id = await run_in_threadpool(tokens.lookup, token)
    if kiosk_id is None:
        got = "no token" if token is None else "a token no kiosk has"
        message = f"Authorization: expected 'Bearer' and the kiosk's token from kiosk-server add-kiosk, got {got}"
        raise ApiError(401, UNAUTHORIZED, message, ASK_FOR_TOKEN)
    limiter: RateLimiter = request.app.state.rate
    wait_s = limiter.take(kiosk_id)
    if wait_s is not None:
        seconds = retry_after(wait_s)
        rate = f"{limiter.rate:g} requests per second in bursts of {limiter.burst}"
        raise ApiError(
            429, RATE_LIMITED, f"kiosk {kiosk_id}: expected at most {rate}, got more; retry in {seconds} s", {"Retry-After": seconds}
        )
    return kiosk_id


def _bearer(header: str | None) -> str | None:
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not TOKEN.fullmatch(token):
        return None
    return token


async def kiosk_body(request: Request, model: type[Body], kiosk_id: str) -> Body:
    """The request's JSON body as ``model`` (422 with one line when it is not), sent by ``kiosk_id``
    about itself (403 when it names another kiosk). Pydantic reads the raw bytes: no dependency
    solving, no intermediate dict."""
    raw = await request.body()
    if not raw.strip():
        raise RequestValidationError([{"type": "missing", "loc": ("body",), "msg": "Field required", "input": None}])
    try:
        body = model.model_validate_json(raw)
    except ValidationError as error:
        raise RequestValidationError(error.errors()) from None
    if body.kiosk_id != kiosk_id:
        raise ApiError(403, WRONG_KIOSK, f"kiosk_id: expected {kiosk_id} (the kiosk of this token), got {body.kiosk_id!r}")
    return body


OfficeDep = Annotated[TicketOffice, Depends(get_office)]
CounterDep = Annotated[Counter, Depends(get_counter)]
FeedbackDep = Annotated[FeedbackDesk, Depends(get_feedback)]
FleetDep = Annotated[Fleet, Depends(get_fleet)]
KioskDep = Annotated[str, Depends(get_kiosk)]
