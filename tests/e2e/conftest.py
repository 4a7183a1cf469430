"""Fixtures of the end-to-end tests: a content folder open around the clock, a kiosk.ini pointing
at a central server with the kiosk's token, the kiosk's real services built from it, a
``kiosk-server run`` process that a test can stop and start again, and the server's rows as its
database holds them.

The test kiosks (``kiosk-00`` to ``kiosk-10``, :mod:`tests.server.center`) are let into the
server's database before each test that has one (``db_url``), as ``kiosk-server add-kiosk ID
--token TOKEN`` would, and each kiosk.ini written here carries its kiosk's token."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Table, select

from kiosk.config import KioskConfig, load_config
from kiosk.paths import SAMPLE_CONTENT_DIR
from server.db import Database
from tests.server.center import kiosk_token, register_test_kiosks_at
from tests.server.serving import free_port, kiosk_server

ALWAYS_OPEN_HOURS = "[hours]\n" + "".join(
    f"{day} = 00:00-24:00\n" for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
)


def always_open_content(folder: Path) -> Path:
    """The sample content, open every hour of every day and without daily caps."""
    shutil.copytree(SAMPLE_CONTENT_DIR, folder)
    queues = folder / "queues.ini"
    text = queues.read_text(encoding="utf-8")
    text = re.sub(r"\[hours\]\n.*?(?=\n\[queue\.)", ALWAYS_OPEN_HOURS, text, flags=re.S)
    text = re.sub(r"(?m)^daily_cap = .*$", "daily_cap =", text)
    queues.write_text(text, encoding="utf-8")
    return folder


FILE_PRINTER = "type = file\npreview = no\n"


def write_kiosk_ini(
    folder: Path,
    content: Path,
    server_url: str,
    kiosk_id: str = "kiosk-01",
    block: int = 1,
    printer: str = FILE_PRINTER,
    **server: str,
) -> Path:
    """A kiosk.ini in ``folder`` (its data folder beside it); ``printer`` is the [printer] section's lines."""
    folder.mkdir(parents=True, exist_ok=True)
    server = {"token": kiosk_token(kiosk_id), **server}
    extra = "".join(f"{key} = {value}\n" for key, value in server.items())
    path = folder / "kiosk.ini"
    path.write_text(
        f"[kiosk]\nid = {kiosk_id}\ncontent_dir = {content}\ndata_dir = {folder / 'data'}\n"
        f"[printer]\n{printer}"
        f"[server]\nurl = {server_url}\noffline_block = {block}\n{extra}",
        encoding="utf-8",
    )
    return path


@pytest.fixture(autouse=True)
def registered_kiosks(request: pytest.FixtureRequest) -> None:
    """The test kiosks' tokens in the test's server database, before any server starts on it."""
    if "db_url" in request.fixturenames:
        register_test_kiosks_at(request.getfixturevalue("db_url"))


@pytest.fixture
def open_content(tmp_path: Path) -> Path:
    return always_open_content(tmp_path / "content")


@pytest.fixture
def kiosk_config(tmp_path: Path, open_content: Path) -> Callable[..., KioskConfig]:
    def make(server_url: str, kiosk_id: str = "kiosk-01", block: int = 1, content: Path | None = None, **server: str) -> KioskConfig:
        return load_config(write_kiosk_ini(tmp_path / kiosk_id, content or open_content, server_url, kiosk_id, block, **server))

    return make


class ServerProcess:
    """``kiosk-server run`` on one port of 127.0.0.1 that a test stops and starts again on the same database."""

    def __init__(self, db_url: str, content: Path) -> None:
        self.db_url, self.content, self.port = db_url, content, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._running: ExitStack | None = None

    def start(self) -> None:
        running = ExitStack()
        running.enter_context(kiosk_server(self.db_url, self.content, port=self.port))
        self._running = running

    def stop(self) -> None:
        """SIGTERM, as a service manager stops it; waits until the process ended."""
        if self._running is not None:
            self._running.close()
            self._running = None


@pytest.fixture
def server_process(db_url: str, open_content: Path) -> Iterator[ServerProcess]:
    server = ServerProcess(db_url, open_content)
    server.start()
    yield server
    server.stop()


def server_rows(db_url: str, table: Table) -> list[dict[str, Any]]:
    """Every row of one of the server's tables, read straight from its database."""
    database = Database(db_url)
    try:
        with database.read() as connection:
            return [dict(row._mapping) for row in connection.execute(select(table))]
    finally:
        database.close()


def wait_until(done: Callable[[], bool], what: str, seconds: float = 30.0) -> None:
    """Poll ``done`` until it holds; fail naming ``what`` after ``seconds`` (a bound, not a measurement)."""
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, f"{what}: still not so after {seconds:g} s"
        time.sleep(0.05)


def rows_by_id(db_url: str, table: Table) -> dict[str, dict[str, Any]]:
    """The server's rows of ``table`` by their id (a record twice fails here)."""
    rows = server_rows(db_url, table)
    found = {row["id"]: row for row in rows}
    assert len(found) == len(rows), f"{table.name}: a record twice on the server"
    return found
