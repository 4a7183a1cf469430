"""The managers' login: ``GET/POST /login``, ``POST /logout``, and what the dashboard's routes
depend on (:func:`manager` for a valid session, :func:`checked_form` for a form that came from
this site's own page).

The session cookie is HttpOnly and SameSite=Strict (Secure over https). Every POST must come from
this site (its Origin, or else its Referer, names this host), and a logged-in form also carries a
token made from the session's own token, which another site cannot read. A wrong name or password
gets one calm line that does not say which was wrong; after a few failures for one name, further
attempts for it wait a while, doubling each time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import threading
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import FormData

from server.accounts import close_session, open_session, session_user, verify_user
from server.settings import Settings
from server.times import Clock
from server.web.pages import LoginRequired, PageRoute, Refused, render

SESSION_COOKIE = "kiosk_session"
FREE_FAILURES = 3  # failed logins of one name before attempts have to wait
LONGEST_WAIT_S = 300
FORGET_AFTER = dt.timedelta(hours=1)  # a name's failures older than this are forgotten
KEPT_NAMES = 10_000  # the throttle remembers at most this many names
router = APIRouter(route_class=PageRoute, include_in_schema=False)


class LoginThrottle:
    """Failed logins per name, kept in memory: after FREE_FAILURES, the next attempt for that name
    must wait 1 s, then 2, 4, ... up to LONGEST_WAIT_S after the last failure."""

    def __init__(self) -> None:
        self._failures: dict[str, tuple[int, dt.datetime]] = {}
        self._lock = threading.Lock()

    def wait_seconds(self, name: str, now: dt.datetime) -> int:
        with self._lock:
            count, last = self._failures.get(name, (0, now))
        if count < FREE_FAILURES or now - last > FORGET_AFTER:
            return 0
        wait = min(2 ** (count - FREE_FAILURES), LONGEST_WAIT_S)
        left = wait - (now - last).total_seconds()
        return max(0, int(left + 0.999))

    def failed(self, name: str, now: dt.datetime) -> None:
        with self._lock:
            count, last = self._failures.get(name, (0, now))
            if now - last > FORGET_AFTER:
                count = 0
            self._failures[name] = (count + 1, now)
            if len(self._failures) > KEPT_NAMES:
                oldest = min(self._failures, key=lambda known: self._failures[known][1])
                del self._failures[oldest]

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(name, None)


@dataclass(frozen=True)
class Manager:
    name: str
    token: str  # the session's token, from the cookie
    form_token: str


def form_token(session_token: str) -> str:
    return hashlib.sha256(f"form {session_token}".encode()).hexdigest()


def manager(request: Request) -> Manager:
    """The logged-in manager; a page without a valid session redirects to /login (see PageRoute)."""
    token = request.cookies.get(SESSION_COOKIE)
    name = session_user(request.app.state.database, token, _clock(request))
    if name is None or token is None:
        raise LoginRequired()
    return Manager(name, token, form_token(token))


ManagerDep = Annotated[Manager, Depends(manager)]


def check_origin(request: Request) -> None:
    """Refuse a POST whose Origin (or, without one, Referer) is not this host."""
    source = request.headers.get("origin") or request.headers.get("referer") or ""
    if source in ("", "null") or urlsplit(source).netloc != request.headers.get("host"):
        raise Refused()


async def checked_form(request: Request, who: ManagerDep) -> FormData:
    """The posted form of a logged-in manager, once it proved it came from this site's page."""
    check_origin(request)
    form = await request.form()
    if not hmac.compare_digest(str(form.get("form_token", "")), who.form_token):
        raise Refused()
    return form


FormDep = Annotated[FormData, Depends(checked_form)]


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    if session_user(request.app.state.database, request.cookies.get(SESSION_COOKIE), _clock(request)) is not None:
        return RedirectResponse("/dashboard", status_code=303)
    return render(request, "login.html", problem=None, name="", next=_next(request.query_params.get("next")))


@router.post("/login", response_class=HTMLResponse)
async def log_in(request: Request) -> Response:
    check_origin(request)
    form = await request.form()
    name, password = str(form.get("name", ""))[:64], str(form.get("password", ""))
    target = _next(str(form.get("next", "")))
    throttle: LoginThrottle = request.app.state.login_throttle
    now = _clock(request)()
    wait = throttle.wait_seconds(name, now)
    if wait:
        return render(request, "login.html", 429, problem=("login_wait", wait), name=name, next=target)
    if not await run_in_threadpool(verify_user, request.app.state.database, name, password):
        throttle.failed(name, now)
        return render(request, "login.html", 401, problem=("login_failed", 0), name=name, next=target)
    throttle.succeeded(name)
    settings: Settings = request.app.state.settings
    token = open_session(request.app.state.database, name, settings.session_hours, _clock(request))
    response = RedirectResponse(target, status_code=303)
    secure = request.url.scheme == "https"
    response.set_cookie(SESSION_COOKIE, token, max_age=settings.session_hours * 3600, httponly=True, samesite="strict", secure=secure)
    return response


@router.post("/logout")
def log_out(request: Request, who: ManagerDep, _form: FormDep) -> Response:
    close_session(request.app.state.database, who.token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="strict", secure=request.url.scheme == "https")
    return response


def _next(target: str | None) -> str:
    """Where to go after the login: a dashboard page of this site, never elsewhere."""
    if target and (target == "/dashboard" or target.startswith("/dashboard/")) and "//" not in target and "\\" not in target:
        return target
    return "/dashboard"


def _clock(request: Request) -> Clock:
    clock: Clock = request.app.state.office.clock
    return clock
