"""A small central server on 127.0.0.1 for the sync tests, answering as docs/feedback-api.md says.

It checks the bearer token (401) and the body's kiosk id (403), refuses a batch holding a record
it cannot take (422, naming it, nothing of the batch stored), stores each id once (stored, then
duplicate) and answers heartbeats. A test can make it answer the next requests with a status of
its choice (429 with Retry-After, 500, ...) or hold them without answering (a timeout). Every
request is recorded: path, headers and JSON body.
"""

from __future__ import annotations

import json
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from kiosk.feedback import CATEGORIES, LEVELS

TOKEN = "test-kiosk-token-0123456789"
KIOSK_ID = "kiosk-07"
LISTS = {"/api/v1/ratings": "ratings", "/api/v1/complaints": "complaints"}


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class Forced:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class FeedbackServer:
    def __init__(self) -> None:
        self.requests: list[Seen] = []
        self.stored: dict[str, dict[str, Any]] = {}  # id -> first record
        self.heartbeats: list[dict[str, Any]] = []
        self.forced: list[Forced] = []
        self.hold = threading.Event()  # set: answer nothing until released
        self.released = threading.Event()
        self.received = threading.Event()  # set at each stored record
        self.beat = threading.Event()  # set at each heartbeat
        self.lock = threading.Lock()
        self.url = ""

    # ----- what a test asks for

    def answer_next(self, status: int, times: int = 1, headers: dict[str, str] | None = None) -> None:
        code = {401: "unauthorized", 413: "too_large", 429: "rate_limited"}.get(status, "server_error")
        for _ in range(times):
            self.forced.append(Forced(status, {"error": code, "message": f"forced {status}", "next_open": None}, headers or {}))

    def posts(self, path: str) -> list[Seen]:
        return [seen for seen in self.requests if seen.path == path]

    # ----- answering

    def answer(self, path: str, headers: dict[str, str], body: Any) -> tuple[int, dict[str, Any], dict[str, str]]:
        with self.lock:
            self.requests.append(Seen(path, headers, body))
            if self.forced:
                forced = self.forced.pop(0)
                return forced.status, forced.body, forced.headers
            if headers.get("authorization") != f"Bearer {TOKEN}":
                return 401, _error("unauthorized", "Authorization: expected 'Bearer' and the kiosk's token"), {"WWW-Authenticate": "Bearer"}
            if path == "/api/v1/queues":
                return 200, {"queues": []}, {}
            if not isinstance(body, dict) or body.get("kiosk_id") != KIOSK_ID:
                return 403, _error("wrong_kiosk", f"kiosk_id: expected {KIOSK_ID}"), {}
            if path == "/api/v1/heartbeat":
                self.heartbeats.append(body)
                self.beat.set()
                return 200, {"server_time": "2026-11-21T10:15:00+08:00"}, {}
            if path not in LISTS:
                return 404, _error("not_found", path), {}
            name = LISTS[path]
            records = body.get(name)
            if not isinstance(records, list) or not 1 <= len(records) <= 500:
                return 422, _error("invalid", f"{name}: expected 1 to 500 records"), {}
            for index, record in enumerate(records):
                problem = _problem(name, record)
                if problem:
                    return 422, _error("invalid", f"{name}.{index}.{problem}"), {}
            results = []
            for record in records:
                status = "duplicate" if record["id"] in self.stored else "stored"
                self.stored.setdefault(record["id"], record)
                results.append({"id": record["id"], "status": status})
            self.received.set()
            return 200, {"results": results}, {}


def _error(code: str, message: str) -> dict[str, Any]:
    return {"error": code, "message": message, "next_open": None}


def _problem(name: str, record: Any) -> str:
    if not isinstance(record, dict) or not isinstance(record.get("id"), str):
        return "id: expected a UUID"
    if name == "ratings" and record.get("level") not in LEVELS:
        return f"level: expected one of {', '.join(LEVELS)}, got {record.get('level')!r}"
    if name == "complaints" and record.get("category") not in CATEGORIES:
        return f"category: expected one of {', '.join(CATEGORIES)}, got {record.get('category')!r}"
    return ""


def _handler(server: FeedbackServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
            length = int(self.headers.get("Content-Length", "0"))
            try:
                body = json.loads(self.rfile.read(length) or b"null")
            except ValueError:
                body = None
            self._reply(body)

        def do_GET(self) -> None:  # noqa: N802
            self._reply(None)

        def _reply(self, body: Any) -> None:
            if server.hold.is_set():
                server.released.wait(30)  # the client gives up long before
                return
            status, reply, headers = server.answer(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            data = json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's name
            return

    return Handler


@contextmanager
def feedback_server(tls: Certificates | None = None) -> Iterator[FeedbackServer]:
    """The fake server listening on a free port of 127.0.0.1 (its address in ``.url``), stopped
    after; with ``tls``, over https with that certificate."""
    state = FeedbackServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    if tls is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(tls.server_cert, tls.server_key)
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    state.url = f"{'https' if tls else 'http'}://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.released.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(10)


@dataclass(frozen=True)
class Certificates:
    ca: Path  # the center's own certificate authority (PEM), for [server] ca_file
    server_cert: Path
    server_key: Path


def make_certificates(folder: Path) -> Certificates:
    """A CA and a certificate it signed for 127.0.0.1, made with the openssl command."""
    folder.mkdir(parents=True, exist_ok=True)
    ca_key, ca, key, request, cert = (folder / name for name in ("ca.key", "ca.pem", "server.key", "server.csr", "server.pem"))
    extensions = folder / "server.ext"
    extensions.write_text(
        "subjectAltName = IP:127.0.0.1\nbasicConstraints = critical, CA:FALSE\n"
        "keyUsage = critical, digitalSignature, keyEncipherment\nextendedKeyUsage = serverAuth\n"
        "authorityKeyIdentifier = keyid\n",
        encoding="utf-8",
    )
    commands = [
        [
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            ca_key,
            "-out",
            ca,
            "-days",
            "2",
            "-subj",
            "/CN=Test Center CA",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ],
        ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", request, "-subj", "/CN=127.0.0.1"],
        [
            "x509",
            "-req",
            "-in",
            request,
            "-CA",
            ca,
            "-CAkey",
            ca_key,
            "-CAcreateserial",
            "-out",
            cert,
            "-days",
            "2",
            "-extfile",
            extensions,
        ],
    ]
    for command in commands:
        subprocess.run(["openssl", *map(str, command)], check=True, capture_output=True, timeout=60)
    return Certificates(ca, cert, key)
