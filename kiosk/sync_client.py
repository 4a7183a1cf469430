"""The kiosk's side of the central server's feedback API (docs/feedback-api.md): posts a batch of
ratings or complaints, or a heartbeat, and says how it went as an :class:`Answer`; and fetches the
center's current content set (docs/appliance-api.md) as a :class:`ContentDownload`.

One ``requests`` session per thread (the sync worker's, and ``kiosk sync``'s own), each with the
kiosk's bearer token and certificate verification (:mod:`kiosk.server_session`). Every request is
bounded by a connect and a read timeout. The answer is one of:

- delivered: the server answered 2xx with a result for each record (stored or duplicate);
- refused: 413 or 422, the batch as a whole (the worker sends it again in halves);
- unauthorized: 401 or 403, a wrong or missing token, or a kiosk id that is not the token's;
- rate_limited: 429, with the server's Retry-After;
- unavailable: no answer, a refused connection, an untrusted certificate, 5xx or anything else.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kiosk.outbox import COMPLAINT, RATING
from kiosk.server_session import ServerAccess, short

if TYPE_CHECKING:
    import requests

API = "/api/v1"
PATHS = {RATING: "/ratings", COMPLAINT: "/complaints"}
LISTS = {RATING: "ratings", COMPLAINT: "complaints"}  # the body's list of records of each kind
CONFIRMED = ("stored", "duplicate")
DELIVERED, REFUSED, UNAUTHORIZED, RATE_LIMITED, UNAVAILABLE = "delivered", "refused", "unauthorized", "rate_limited", "unavailable"
CONNECT_TIMEOUT, READ_TIMEOUT = 5.0, 20.0  # seconds; a batch of 500 is stored in well under a second
MESSAGE_LIMIT = 300  # the server's own words are kept whole when they fit (a refused record's reason)
UNCHANGED = "unchanged"  # the content: the server's current set is one the kiosk named (304)
DIGEST = re.compile(r"[0-9a-f]{12}")
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Answer:
    outcome: str  # DELIVERED, REFUSED, UNAUTHORIZED, RATE_LIMITED or UNAVAILABLE
    message: str = ""  # one line: what went wrong ("" when delivered)
    confirmed: frozenset[str] = field(default_factory=frozenset)  # ids the server now holds
    retry_after: float | None = None  # seconds, from a 429's Retry-After
    reply: Any = None  # the JSON the server answered with


@dataclass(frozen=True)
class ContentDownload:
    """The server's answer to GET /api/v1/content."""

    outcome: str  # DELIVERED (a new set in ``archive``), UNCHANGED, REFUSED (larger than allowed), UNAUTHORIZED, ...
    message: str = ""  # one line: what went wrong ("" when delivered or unchanged)
    version: int | None = None  # X-Content-Version
    digest: str = ""  # X-Content-Digest
    archive: bytes = b""


class SyncClient:
    def __init__(self, base_url: str, kiosk_id: str, access: ServerAccess, timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT)):
        self.base_url, self.kiosk_id, self.access, self.timeout = base_url.rstrip("/"), kiosk_id, access, timeout
        self._local = threading.local()

    @property
    def session(self) -> requests.Session:
        """This thread's session, made on its first request."""
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = self.access.new_session()
        return session

    def close(self) -> None:
        """Close this thread's session."""
        session = getattr(self._local, "session", None)
        if session is not None:
            session.close()
            self._local.session = None

    # ----- calls

    def send(self, kind: str, payloads: Sequence[dict[str, Any]]) -> Answer:
        """Post one batch of records of ``kind`` (1 to 500)."""
        answer = self._post(PATHS[kind], {"kiosk_id": self.kiosk_id, LISTS[kind]: list(payloads)})
        if answer.outcome != DELIVERED:
            return answer
        try:
            confirmed = frozenset(str(r["id"]) for r in answer.reply["results"] if r["status"] in CONFIRMED)
        except (KeyError, TypeError) as error:
            url = f"{self.base_url}{API}{PATHS[kind]}"
            return Answer(UNAVAILABLE, f"{url}: expected a result for each record, got {short(answer.reply)} ({error})")
        return Answer(DELIVERED, confirmed=confirmed, reply=answer.reply)

    def heartbeat(self, body: dict[str, Any]) -> Answer:
        return self._post("/heartbeat", {"kiosk_id": self.kiosk_id, **body})

    def content(self, known: Sequence[str], limit: int) -> ContentDownload:
        """The server's current content set unless it is one of the ``known`` digests; an archive of
        more than ``limit`` bytes is not read to its end."""
        import requests

        url = f"{self.base_url}{API}/content"
        headers = {"If-None-Match": ", ".join(f'"{digest}"' for digest in known if digest)}
        try:
            with self.session.get(url, headers=headers, timeout=self.timeout, verify=self.access.verify, stream=True) as response:
                if response.status_code not in (200, 304):
                    answer = self._answer(url, response)
                    if answer.outcome == DELIVERED:
                        return ContentDownload(UNAVAILABLE, f"{url}: expected a zip or 304, got HTTP {response.status_code}")
                    return ContentDownload(answer.outcome, answer.message)
                version, digest, problem = _set_headers(url, response.headers)
                if problem:
                    return ContentDownload(UNAVAILABLE, problem)
                if response.status_code == 304:
                    return ContentDownload(UNCHANGED, version=version, digest=digest)
                archive = _read_at_most(response, limit)
        except requests.RequestException as error:
            return ContentDownload(UNAVAILABLE, self._no_answer(url, error))
        if archive is None:
            return ContentDownload(REFUSED, f"the archive: expected at most {limit / 2**20:g} MiB, got more", version, digest)
        return ContentDownload(DELIVERED, version=version, digest=digest, archive=archive)

    # ----- transport

    def _post(self, path: str, body: dict[str, Any]) -> Answer:
        import requests

        url = f"{self.base_url}{API}{path}"
        try:
            response = self.session.post(url, json=body, timeout=self.timeout, verify=self.access.verify)
        except requests.RequestException as error:
            return Answer(UNAVAILABLE, self._no_answer(url, error))
        return self._answer(url, response)

    def _no_answer(self, url: str, error: Exception) -> str:
        """Why a request got no answer from the server, in one line."""
        import requests

        if isinstance(error, requests.ConnectTimeout):
            return f"{url}: no connection within {self.timeout[0]:g} s"
        if isinstance(error, requests.Timeout):
            return f"{url}: no answer within {self.timeout[1]:g} s"
        if isinstance(error, requests.exceptions.SSLError):
            return f"{url}: the server's certificate is not trusted ({short(_reason(error), 160)})"
        return f"{url}: cannot reach the server ({type(error).__name__})"

    def _answer(self, url: str, response: requests.Response) -> Answer:
        status = response.status_code
        try:
            reply = response.json()
        except ValueError:
            reply = None
        if 200 <= status < 300 and reply is not None:
            return Answer(DELIVERED, reply=reply)
        said = _said(reply) or short(response.text) or response.reason
        message = f"{url}: HTTP {status} {said}"
        if status in (401, 403):
            return Answer(UNAUTHORIZED, message, reply=reply)
        if status in (413, 422):
            return Answer(REFUSED, message, reply=reply)
        if status == 429:
            return Answer(RATE_LIMITED, message, retry_after=retry_after_seconds(response.headers.get("Retry-After")), reply=reply)
        return Answer(UNAVAILABLE, message, reply=reply)


def retry_after_seconds(value: str | None, now: dt.datetime | None = None) -> float | None:
    """A Retry-After header in seconds: a number of seconds, or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - (now or dt.datetime.now(dt.timezone.utc))).total_seconds())


def _set_headers(url: str, headers: Any) -> tuple[int | None, str, str]:
    """X-Content-Version and X-Content-Digest of a content answer, and the problem with them ("" when none)."""
    version, digest = headers.get("X-Content-Version", ""), headers.get("X-Content-Digest", "")
    if not version.isdigit():
        return None, digest, f"{url}: X-Content-Version: expected a version number, got {short(version) or 'nothing'}"
    if not DIGEST.fullmatch(digest):
        return int(version), digest, f"{url}: X-Content-Digest: expected 12 hex digits, got {short(digest) or 'nothing'}"
    return int(version), digest, ""


def _read_at_most(response: requests.Response, limit: int) -> bytes | None:
    """The body, or None as soon as it is longer than ``limit`` bytes (said by Content-Length or found reading)."""
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > limit:
        return None
    body = bytearray()
    for chunk in response.iter_content(CHUNK):
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


def _said(reply: Any) -> str:
    """The API's error as ``code: message``."""
    if isinstance(reply, dict) and reply.get("error"):
        return short(f"{reply['error']}: {reply.get('message', '')}", MESSAGE_LIMIT)
    return ""


def _reason(error: BaseException) -> str:
    """The innermost reason of a requests error (``certificate verify failed: ...``): requests wraps
    urllib3's error, which holds the ssl module's as its ``reason``."""
    for _ in range(5):
        inner = getattr(error, "reason", None)
        if not isinstance(inner, BaseException) and error.args and isinstance(error.args[0], BaseException):
            inner = error.args[0]
        if not isinstance(inner, BaseException):
            break
        error = inner
    return str(error)
