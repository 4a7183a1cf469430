"""Real servers on 127.0.0.1 for the end-to-end tests and the benchmark: ``kiosk-server run`` as a
child process, or the app under uvicorn in a thread of the test."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import requests
import uvicorn
from fastapi import FastAPI

from kiosk.paths import PROJECT_DIR

KIOSK_SERVER = Path(sys.executable).parent / "kiosk-server"
READY_TIMEOUT_S = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_ready(base_url: str, process: subprocess.Popen[str] | None = None, log: IO[str] | None = None) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            said = ""
            if log is not None:
                log.seek(0)
                said = log.read()
            raise RuntimeError(f"kiosk-server stopped with exit {process.returncode}: {said}")
        try:
            if requests.get(f"{base_url}/api/v1/health", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{base_url} did not answer within {READY_TIMEOUT_S:g} s")


@contextmanager
def kiosk_server(db_url: str, content: Path, *extra: str, port: int | None = None) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``kiosk-server run`` on ``port`` (default: a free one); yields its base URL and process, and stops it after."""
    port = port or free_port()
    command = [str(KIOSK_SERVER), "run", "--db", db_url, "--host", "127.0.0.1", "--port", str(port), "--content", str(content), *extra]
    base_url = f"http://127.0.0.1:{port}"
    # Its output goes to a file: a pipe nobody reads would stop the server once 64 KiB of log (a few tracebacks) wait in it.
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(command, cwd=PROJECT_DIR, stdout=log, stderr=subprocess.STDOUT, text=True)
        try:
            wait_until_ready(base_url, process, log)
            yield base_url, process
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)


@contextmanager
def uvicorn_thread(app: FastAPI, port: int = 0) -> Iterator[str]:
    """The app under a real uvicorn on 127.0.0.1 in a thread, on ``port`` (default: a free one); yields the base URL."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(base_url)
        yield base_url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()
