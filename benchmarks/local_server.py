"""A real ``kiosk-server run`` on 127.0.0.1 for the benchmarks: a fresh SQLite file in a folder of
the run, kiosks let in with their tokens (as ``kiosk-server add-kiosk --token`` does), stopped
when the block ends."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import requests

from kiosk.paths import PROJECT_DIR
from server.auth import register_kiosk
from server.db import Database

SERVER_COMMAND = str(Path(sys.executable).parent / "kiosk-server")
READY_WITHIN_S = 30


@contextmanager
def local_server(work: Path, content: Path, kiosks: Mapping[str, str], fixed_time: str | None = None) -> Iterator[str]:
    """The base URL of a server on a free port, its database in ``work``; ``kiosks`` maps kiosk ids
    to their tokens."""
    db_url = server_db_url(work)
    database = Database(db_url)
    try:
        for kiosk_id, token in kiosks.items():
            register_kiosk(database, kiosk_id, token)
    finally:
        database.close()
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [SERVER_COMMAND, "run", "--db", db_url, "--port", str(port), "--content", str(content)]
    if fixed_time:
        command += ["--fixed-time", fixed_time]
    server = subprocess.Popen(command, cwd=PROJECT_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _wait_ready(base_url, server)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=15)


def server_db_url(work: Path) -> str:
    return f"sqlite:///{work / 'server.sqlite3'}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_ready(base_url: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + READY_WITHIN_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"benchmarks: kiosk-server stopped: {server.stderr.read() if server.stderr else ''}")
        try:
            requests.get(f"{base_url}/api/v1/health", timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.05)
    raise SystemExit(f"benchmarks: kiosk-server did not answer within {READY_WITHIN_S} s")
