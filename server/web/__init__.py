"""The server's HTML pages: the citizen's phone pages and the managers' dashboard.

Their stylesheets and script are under ``/web/static``, and the bundled Chinese font is served at
``/web/fonts/...`` so that the pages render in Chinese on a machine or a lobby without internet.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from kiosk.paths import BUNDLED_FONT
from server.web import login, phone
from server.web.dashboard import router as dashboard
from server.web.pages import HERE

FONT_CACHE = "public, max-age=2592000"  # 30 days: 3.4 MB once per phone, not on every refresh
fonts = APIRouter(include_in_schema=False)


@fonts.get(f"/web/fonts/{BUNDLED_FONT.name}")
def bundled_font() -> FileResponse:
    return FileResponse(BUNDLED_FONT, media_type="font/otf", headers={"Cache-Control": FONT_CACHE})


def include_web(app: FastAPI) -> None:
    """Add the pages' routes, their static files and the state they keep to ``app``."""
    app.state.public_limiter = phone.public_limiter()
    app.state.login_throttle = login.LoginThrottle()
    for router in (phone.pages, phone.api, login.router, dashboard, fonts):
        app.include_router(router)
    app.mount("/web/static", StaticFiles(directory=HERE / "static"), name="web-static")
