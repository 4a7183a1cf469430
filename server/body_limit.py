"""The largest request body the server reads (``Settings.body_limit``, or a larger limit for the
few paths given one, such as the upload of a content set), as plain ASGI middleware.

A request that declares a larger Content-Length is answered 413 ``too_large`` before any of its
body is read. A body sent without a length (chunked) is counted as it streams in: the read that
goes over the limit raises :class:`BodyTooLarge`, which :mod:`server.main` answers with the same
413, so no route ever sees, parses or stores any part of it.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.errors import TOO_LARGE, error_body


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int, got: str = "more") -> None:
        super().__init__(413, f"body: expected at most {limit} bytes, got {got}")


def too_large_response(error: BodyTooLarge) -> JSONResponse:
    return JSONResponse(error_body(TOO_LARGE, str(error.detail)), status_code=413, headers={"Connection": "close"})


class BodyLimit:
    def __init__(self, app: ASGIApp, limit: int, larger: Mapping[str, int] | None = None) -> None:
        self.app, self.default = app, limit
        self.larger = dict(larger or {})  # path -> its own limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.larger.get(scope["path"], self.default)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await too_large_response(BodyTooLarge(limit, f"{declared} (Content-Length)"))(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None
