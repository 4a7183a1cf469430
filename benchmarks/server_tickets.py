"""The central server's issuing speed: ``python -m benchmarks.server_tickets`` prints one JSON object.

Starts the real ``kiosk-server run`` on 127.0.0.1 with a fresh SQLite file (WAL, synchronous FULL)
and the default content, widened for the run (four-digit numbers, no daily caps) and with its
clock stopped on a Monday morning so every queue is open. Twenty client threads, each with its own
``requests.Session`` and its own kiosk token (registered as ``kiosk-server add-kiosk`` does) as
twenty kiosks would have, take tickets across the services until TOTAL tickets are issued or
TIME_CAP_S passes. Target (issue 4): at least 500 tickets per second.
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import requests

from benchmarks.local_server import local_server
from kiosk.paths import PROJECT_DIR
from server.auth import new_token

TOTAL = 3000
CLIENTS = 20
TIME_CAP_S = 60.0
TARGET_TICKETS_PER_S_MIN = 500
MONDAY_MORNING = "2026-11-23T09:30:00+08:00"
SERVICES = ("consultation", "legal_aid", "notarization", "mediation", "appraisal", "correction")


def measure(total: int = TOTAL, clients: int = CLIENTS, time_cap_s: float = TIME_CAP_S) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="server-bench-"))
    try:
        tokens = {f"bench-{index:02d}": new_token() for index in range(clients)}
        with local_server(work, _wide_content(work / "content"), tokens, MONDAY_MORNING) as base_url:
            return _load(base_url, tokens, total, time_cap_s)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _load(base_url: str, tokens: dict[str, str], total: int, time_cap_s: float) -> dict[str, Any]:
    clients = len(tokens)
    kiosks = list(tokens.items())
    lock = threading.Lock()
    counter = {"started": 0}
    latencies: list[float] = []
    labels: list[tuple[str, str]] = []
    failures: list[str] = []
    deadline = time.monotonic() + time_cap_s

    def kiosk(index: int) -> None:
        session = requests.Session()
        kiosk_id, token = kiosks[index]
        session.headers["Authorization"] = f"Bearer {token}"
        while time.monotonic() < deadline:
            with lock:
                if counter["started"] >= total:
                    break
                counter["started"] += 1
                n = counter["started"]
            service_id = SERVICES[n % len(SERVICES)]
            body: dict[str, Any] = {"id": str(uuid.uuid4()), "kiosk_id": kiosk_id, "service_id": service_id, "category": "normal"}
            if n % 10 == 0:
                body.update(category="priority", priority_kind="elderly")
            started = time.perf_counter()
            try:
                response = session.post(f"{base_url}/api/v1/tickets", json=body, timeout=10)
                ok = response.status_code == 201
                reply = response.json()
            except (requests.RequestException, ValueError) as error:
                ok, reply = False, {"message": type(error).__name__}
            elapsed = time.perf_counter() - started
            with lock:
                if ok:
                    latencies.append(elapsed)
                    labels.append((reply["day"], reply["label"]))
                else:
                    failures.append(str(reply.get("message", reply))[:120])
        session.close()

    threads = [threading.Thread(target=kiosk, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "tickets": len(latencies),
        "clients": clients,
        "wall_s": round(wall, 2),
        "tickets_per_s": round(len(latencies) / wall, 1),
        "latency_p50_ms": round(statistics.median(ordered) * 1000, 2) if ordered else None,
        "latency_p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 2) if ordered else None,
        "duplicate_numbers": len(labels) - len(set(labels)),
        "failures": len(failures),
        "first_failure": failures[0] if failures else None,
        "target_tickets_per_s_min": TARGET_TICKETS_PER_S_MIN,
        "database": "SQLite, WAL, synchronous FULL, one transaction per ticket",
    }


def _wide_content(folder: Path) -> Path:
    """The default content with four-digit numbers and no daily caps, so 3,000 tickets fit in one day."""
    shutil.copytree(PROJECT_DIR / "assets" / "content", folder)
    queues = folder / "queues.ini"
    text = queues.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^digits = \d$", "digits = 4", text)
    text = re.sub(r"(?m)^daily_cap = \d*$", "daily_cap =", text)
    queues.write_text(text, encoding="utf-8")
    return folder


def main() -> int:
    print(json.dumps(measure(), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
