"""What every HTML page shares: the Jinja2 templates, the page's language (Chinese unless
``?lang=en`` or the remembered choice says English), the security headers, and :class:`PageRoute`,
which turns a missing login into a redirect, a refused form into a calm page, and any unexpected
failure into a calm page whose traceback stays in the server's log."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.exceptions import HTTPException

from kiosk.content import Text
from server.errors import ApiError
from server.web.words import WORDS

log = logging.getLogger("kiosk-server")
HERE = Path(__file__).parent
TEMPLATES = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, undefined=StrictUndefined)
LANGUAGES = ("zh", "en")
LANGUAGE_COOKIE = "lang"
HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class LoginRequired(Exception):
    """A dashboard page was asked for without a valid session."""


class Refused(Exception):
    """A form that did not come from this site's own page (CSRF), or without its form token."""


def language(request: Request) -> str:
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    remembered = request.cookies.get(LANGUAGE_COOKIE)
    return remembered if remembered in LANGUAGES else "zh"


class Words:
    """``t("key", n=3)`` in templates: the key's words in the page's language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, **values: object) -> str:
        text = WORDS[key].get(self.lang)
        return text.format(**values) if values else text

    def name(self, text: Text | None, fallback: str = "") -> str:
        return fallback if text is None else text.get(self.lang)


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    lang = language(request)
    other = "en" if lang == "zh" else "zh"
    query = {key: value for key, value in request.query_params.items() if key != "lang"} | {"lang": other}
    switch_url = request.url.path + "?" + "&".join(f"{quote(k)}={quote(v)}" for k, v in query.items())
    page = TEMPLATES.get_template(template).render(lang=lang, t=Words(lang), switch_url=switch_url, **context)
    response = HTMLResponse(page, status_code=status_code, headers=HEADERS)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, lang, max_age=365 * 86400, httponly=True, samesite="strict")
    return response


def not_found(request: Request, key: str = "not_found_page") -> HTMLResponse:
    return render(request, "message.html", 404, title_key="not_found_title", text_key=key)


class PageRoute(APIRoute):
    """The route class of the HTML pages (see the module's docstring)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def calm(request: Request) -> Response:
            try:
                return await handler(request)
            except LoginRequired:
                return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
            except Refused:
                return render(request, "message.html", 403, title_key="refused_title", text_key="refused_text")
            except (ApiError, HTTPException, RequestValidationError):
                raise
            except Exception:
                log.exception("%s %s failed", request.method, request.url.path)
                return render(request, "message.html", 500, title_key="error_title", text_key="error_text")

        return calm
