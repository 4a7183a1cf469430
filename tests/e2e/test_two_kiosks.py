"""Two kiosk processes and one central server process, all real, on 127.0.0.1: the whole center
gets one sequence per service; with the server stopped mid-way the kiosks go on from their own
blocks, and once it is back the server holds every ticket exactly once. No two kiosks ever hand
out one number on one day."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import requests

from kiosk.paths import PROJECT_DIR
from tests.e2e.conftest import write_kiosk_ini
from tests.server.center import auth
from tests.server.serving import kiosk_server

TICKETS_EACH = 40
LINE_TIMEOUT_S = 60


class KioskProcess:
    """``tests.e2e.kiosk_child`` in a process: takes tickets and says which ones it showed."""

    def __init__(self, config: Path, count: int, pause_every: int = 0) -> None:
        command = [sys.executable, "-m", "tests.e2e.kiosk_child", str(config), str(count), str(pause_every)]
        self.process = subprocess.Popen(command, cwd=PROJECT_DIR, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.shown: list[dict[str, Any]] = []

    def read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, f"the kiosk process stopped (exit {self.process.poll()})"
        message: dict[str, Any] = json.loads(line)
        if "label" in message:
            self.shown.append(message)
        return message

    def read_until(self, key: str) -> dict[str, Any]:
        for _ in range(TICKETS_EACH * 4):
            message = self.read()
            if key in message:
                return message
        raise AssertionError(f"no {key!r} from the kiosk process")

    def say(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def close(self) -> None:
        if self.process.poll() is None:
            self.say("quit")
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def kiosks(stack: ExitStack, tmp_path: Path, content: Path, url: str, pause_every: int = 0) -> list[KioskProcess]:
    started = []
    for block in (1, 2):
        config = write_kiosk_ini(tmp_path / f"kiosk-{block}", content, url, f"kiosk-{block:02d}", block)
        kiosk = KioskProcess(config, TICKETS_EACH, pause_every)
        stack.callback(kiosk.close)
        started.append(kiosk)
    return started


def assert_one_number_one_ticket(shown: list[dict[str, Any]]) -> None:
    counts = Counter((t["day"], t["label"]) for t in shown)
    assert [key for key, n in counts.items() if n > 1] == []
    assert len({t["id"] for t in shown}) == len(shown)


def server_state(base_url: str, ticket_id: str) -> str:
    reply = requests.get(f"{base_url}/api/v1/tickets/{ticket_id}", headers=auth(), timeout=10)
    assert reply.status_code == 200, reply.text
    state: str = reply.json()["state"]
    return state


def test_two_kiosks_share_one_sequence(tmp_path: Path, open_content: Path, db_url: str) -> None:
    with ExitStack() as stack:
        base_url, _ = stack.enter_context(kiosk_server(db_url, open_content))
        both = kiosks(stack, tmp_path, open_content, base_url)
        for kiosk in both:
            kiosk.read_until("done")
        shown = [t for kiosk in both for t in kiosk.shown]
    assert len(shown) == 2 * TICKETS_EACH
    assert {t["source"] for t in shown} == {"server"}
    assert_one_number_one_ticket(shown)
    by_prefix: dict[str, list[int]] = {}
    for ticket in shown:
        by_prefix.setdefault(ticket["label"][0], []).append(int(ticket["label"][1:]))
    for numbers in by_prefix.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))  # one sequence, no gaps


def test_the_server_stops_mid_way_and_comes_back(tmp_path: Path, open_content: Path, db_url: str) -> None:
    with ExitStack() as stack:
        server = stack.enter_context(ExitStack())
        base_url, _ = server.enter_context(kiosk_server(db_url, open_content))
        port = int(base_url.rsplit(":", 1)[1])
        both = kiosks(stack, tmp_path, open_content, base_url, pause_every=TICKETS_EACH // 2)
        for kiosk in both:
            kiosk.read_until("paused")  # half the tickets issued with the server up
        server.close()  # the server stops
        for kiosk in both:
            kiosk.say("go")
            kiosk.read_until("done")  # the other half from the kiosks' own blocks
        base_url, _ = stack.enter_context(kiosk_server(db_url, open_content, port=port))
        for kiosk in both:
            kiosk.say("report")
            assert kiosk.read_until("reported")["reported"] > 0
        shown = [t for kiosk in both for t in kiosk.shown]
        assert len(shown) == 2 * TICKETS_EACH
        assert {t["source"] for t in shown} == {"server", "offline"}
        assert_one_number_one_ticket(shown)
        assert all(server_state(base_url, t["id"]) == "waiting" for t in shown)  # every ticket, once
        queues = requests.get(f"{base_url}/api/v1/queues", headers=auth(), timeout=10).json()["queues"]
        assert sum(q["waiting"] for q in queues) == 2 * TICKETS_EACH
