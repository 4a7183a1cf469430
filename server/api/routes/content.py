"""``GET /api/v1/content``: the center's current content set for a kiosk, as a zip.

The kiosk sends the digests it already has in If-None-Match (the one it shows, the one it last
refused); when the current digest is among them (or the header says ``*``) the answer is 304
without a body. Both answers carry ETag, X-Content-Version and X-Content-Digest.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from server.api.deps import KioskDep
from server.api.openapi import kiosk_operation
from server.content_sets import NO_VERSION, VersionInfo, archive_of, current_version
from server.db import Database
from server.errors import NOT_FOUND, ApiError

router = APIRouter(prefix="/api/v1", tags=["content"])
ZIP = "application/zip"
ANSWERS: dict[int | str, dict[str, Any]] = {
    200: {"description": "the current set, a zip of its files", "content": {ZIP: {}}},
    304: {"description": "the kiosk already has the current set (no body)"},
    404: {"description": "the server has no content version yet"},
}


@router.get("/content", openapi_extra=kiosk_operation(), responses=ANSWERS, response_class=Response)
async def content(request: Request, _kiosk_id: KioskDep) -> Response:
    database: Database = request.app.state.database
    known = listed_digests(request.headers.get("if-none-match", ""))
    found = await run_in_threadpool(_current, database, known)
    if found is None:
        raise ApiError(404, NOT_FOUND, NO_VERSION)
    info, archive = found
    headers = {"ETag": f'"{info.digest}"', "X-Content-Version": str(info.version), "X-Content-Digest": info.digest}
    headers["Cache-Control"] = "no-cache"  # a proxy between kiosk and server asks every time
    if archive is None:
        return Response(status_code=304, headers=headers)
    return Response(archive, media_type=ZIP, headers=headers)


def listed_digests(header: str) -> set[str]:
    """The entity tags of an If-None-Match header (``"d1", W/"d2"`` -> {d1, d2}; ``*`` stays ``*``)."""
    return {tag.strip().removeprefix("W/").strip('"') for tag in header.split(",") if tag.strip()}


def _current(database: Database, known: set[str]) -> tuple[VersionInfo, bytes | None] | None:
    """The current version and its zip (None when the kiosk has it already); None without any version."""
    with database.read() as connection:
        info = current_version(connection)
        if info is None:
            return None
        if info.digest in known or "*" in known:
            return info, None
        return info, archive_of(connection, info.version)
