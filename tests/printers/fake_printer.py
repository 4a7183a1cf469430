"""Printers played by the tests: a network printer on 127.0.0.1 and a serial printer on the
master side of a pseudo-terminal, each in a thread, each bounded in time.

Both answer the status questions ``DLE EOT 1/2/4`` with bytes the test chooses (``OK``,
``NO_PAPER``...), keep every byte they receive, and can misbehave: stay silent, hang up after
some bytes (network), or stop reading after answering the status (serial: a stalled port).
"""

from __future__ import annotations

import os
import select
import socket
import threading
import time
from collections.abc import Mapping
from types import TracebackType

Replies = Mapping[int, bytes]

# Status bytes as an ESC/POS printer sends them (bits 1 and 4 always set, bits 0 and 7 clear).
OK: Replies = {1: b"\x16", 2: b"\x12", 4: b"\x12"}
NO_PAPER: Replies = {1: b"\x1e", 2: b"\x32", 4: b"\x72"}  # offline; stopped for paper; paper end
COVER_OPEN: Replies = {1: b"\x1e", 2: b"\x16", 4: b"\x12"}  # offline; cover open
NEAR_END: Replies = {1: b"\x16", 2: b"\x12", 4: b"\x1e"}  # paper near its end, still printing
SILENT: Replies = {}

QUERY = b"\x10\x04"
LIFETIME = 20.0  # no fake outlives this many seconds, whatever a test does
POLL = 0.05


class _StatusParser:
    """Finds DLE EOT n in a byte stream (also when split across reads) and says what to answer."""

    def __init__(self) -> None:
        self.tail = b""
        self.queries: list[int] = []

    def feed(self, data: bytes, replies: Replies) -> bytes:
        stream = self.tail + data
        answer = b""
        index = 0
        while True:
            found = stream.find(QUERY, index)
            if found < 0 or found + 2 >= len(stream):
                break
            n = stream[found + 2]
            self.queries.append(n)
            answer += replies.get(n, b"")
            index = found + 3
        keep = max(index, len(stream) - 2)
        self.tail = stream[keep:]
        return answer


class FakeNetworkPrinter:
    """A raw TCP printer (like port 9100) on 127.0.0.1.

    ``replies``: status bytes by query number (``SILENT`` never answers). ``hang_up_after``:
    close the connection once that many bytes came in. ``replies`` may be changed while it runs
    (the paper is put in). ``port``: a free one, or the port of a printer that went away (plugged back).
    """

    def __init__(self, replies: Replies = OK, hang_up_after: int | None = None, lifetime: float = LIFETIME, port: int = 0) -> None:
        self.replies = dict(replies)
        self.hang_up_after = hang_up_after
        self.deadline = time.monotonic() + lifetime
        self.received = bytearray()
        self.connections = 0
        self.hung_up = threading.Event()
        self.parser = _StatusParser()
        self.stopping = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", port))
        self.listener.settimeout(POLL)
        self.host, self.port = self.listener.getsockname()[:2]
        self.thread = threading.Thread(target=self._serve, name="fake-network-printer", daemon=True)
        self.lock = threading.Lock()

    def __enter__(self) -> FakeNetworkPrinter:
        self.thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.stop()

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(5)
        self.listener.close()
        assert not self.thread.is_alive(), "the fake printer did not stop"

    @property
    def queries(self) -> list[int]:
        with self.lock:
            return list(self.parser.queries)

    def data(self) -> bytes:
        with self.lock:
            return bytes(self.received)

    def job_bytes(self) -> bytes:
        """What came in, without the status queries."""
        data = self.data()
        for n in (1, 2, 4):
            data = data.replace(QUERY + bytes([n]), b"")
        return data

    def _running(self) -> bool:
        return not self.stopping.is_set() and time.monotonic() < self.deadline

    def _serve(self) -> None:
        while self._running():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            with client:
                self._talk(client)

    def _talk(self, client: socket.socket) -> None:
        client.settimeout(POLL)
        count = 0
        while self._running():
            try:
                data = client.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            if not data:
                return
            if self.hang_up_after is not None and count + len(data) >= self.hang_up_after:
                data = data[: self.hang_up_after - count]
            count += len(data)
            with self.lock:
                self.received += data
                answer = self.parser.feed(data, self.replies)
            if answer:
                try:
                    client.sendall(answer)
                except OSError:
                    return
            if self.hang_up_after is not None and count >= self.hang_up_after:
                self.hung_up.set()
                return


class FakeSerialPrinter:
    """The printer's end of a pseudo-terminal: reads the master fd and answers status queries.

    ``stall_after_queries``: after answering that many queries, stop reading (the port's buffer
    fills and the kiosk's writes block), as a printer whose flow control says stop.
    """

    def __init__(self, master_fd: int, replies: Replies = OK, stall_after_queries: int | None = None, lifetime: float = LIFETIME) -> None:
        self.fd = master_fd
        self.replies = dict(replies)
        self.stall_after_queries = stall_after_queries
        self.deadline = time.monotonic() + lifetime
        self.received = bytearray()
        self.parser = _StatusParser()
        self.stopping = threading.Event()
        self.stalled = threading.Event()
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._serve, name="fake-serial-printer", daemon=True)

    def __enter__(self) -> FakeSerialPrinter:
        self.thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.stop()

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(5)
        assert not self.thread.is_alive(), "the fake serial printer did not stop"

    def data(self) -> bytes:
        with self.lock:
            return bytes(self.received)

    def job_bytes(self) -> bytes:
        data = self.data()
        for n in (1, 2, 4):
            data = data.replace(QUERY + bytes([n]), b"")
        return data

    @property
    def queries(self) -> list[int]:
        with self.lock:
            return list(self.parser.queries)

    def _serve(self) -> None:
        while not self.stopping.is_set() and time.monotonic() < self.deadline:
            stall = self.stall_after_queries
            if stall is not None and len(self.parser.queries) >= stall:
                self.stalled.set()
                self.stopping.wait(POLL)
                continue
            ready, _, _ = select.select([self.fd], [], [], POLL)
            if not ready:
                continue
            try:
                data = os.read(self.fd, 1 if stall is not None else 4096)  # one byte at a time: stop exactly after the queries
            except OSError:
                return
            with self.lock:
                self.received += data
                answer = self.parser.feed(data, self.replies)
            if answer:
                os.write(self.fd, answer)
