"""Answers that are not a ticket: each has a status, a code the client can act on, and one line a
person can read. Refusals of the numbering rules themselves are :class:`kiosk.ticket.TicketRefused`
(409); everything else the server refuses is an :class:`ApiError`."""

from __future__ import annotations

import datetime as dt

from kiosk.problems import one_line

# Codes beside kiosk.ticket's refusal reasons.
INVALID = "invalid"  # a malformed body or path (422)
UNKNOWN_SERVICE = "unknown_service"  # 422
UNKNOWN_WINDOW = "unknown_window"  # 404
NOT_FOUND = "not_found"  # 404
REQUEST_ABANDONED = "request_abandoned"  # 409: the kiosk reported it gave up on this request
FINISH_CURRENT = "finish_current"  # 409: the window still has a current ticket
NOBODY_WAITING = "nobody_waiting"  # 409
NO_CURRENT = "no_current"  # 409: recall, skip, done or transfer with no current ticket
SERVER_ERROR = "server_error"  # 500, logged with its traceback on the server only
# Issue 5: what a kiosk may send.
UNAUTHORIZED = "unauthorized"  # 401: no token, or one no kiosk has
WRONG_KIOSK = "wrong_kiosk"  # 403: the body names another kiosk than the token's
RATE_LIMITED = "rate_limited"  # 429, with Retry-After
TOO_LARGE = "too_large"  # 413: the body is over Settings.body_limit


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, one_line(message)
        self.headers = headers  # e.g. WWW-Authenticate with 401, Retry-After with 429


def error_body(code: str, message: str, next_open: dt.datetime | None = None) -> dict[str, str | None]:
    return {"error": code, "message": one_line(message), "next_open": next_open.isoformat() if next_open else None}
