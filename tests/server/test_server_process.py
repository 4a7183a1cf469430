"""The real ``kiosk-server run``: a child process on 127.0.0.1 with its own database (a SQLite file,
or ``--db postgresql+psycopg://...`` on the tests' PostgreSQL), killed without warning and started
again, numbers on from where it stopped."""

from __future__ import annotations

import signal
import threading
import uuid

import requests

from kiosk.paths import PROJECT_DIR
from tests.server.center import auth, register_test_kiosks_at
from tests.server.serving import kiosk_server

CONTENT = PROJECT_DIR / "assets" / "content"
MONDAY_MORNING = "2026-11-23T09:30:00+08:00"  # the sample center is open: no flaky evening runs


def take(base_url: str, service_id: str, kiosk_id: str) -> str:
    body = {"id": str(uuid.uuid4()), "kiosk_id": kiosk_id, "service_id": service_id, "category": "normal", "offline_block": None}
    response = requests.post(f"{base_url}/api/v1/tickets", json=body, headers=auth(kiosk_id), timeout=5)
    assert response.status_code == 201, response.text
    label: str = response.json()["label"]
    return label


def test_numbering_continues_after_the_server_is_killed_and_restarted(db_url: str) -> None:
    register_test_kiosks_at(db_url)
    with kiosk_server(db_url, CONTENT, "--fixed-time", MONDAY_MORNING) as (base_url, process):
        before = [take(base_url, "legal_aid", f"kiosk-0{n % 2 + 1}") for n in range(3)] + [take(base_url, "consultation", "kiosk-01")]
        process.send_signal(signal.SIGKILL)  # a power cut: no shutdown of any kind
        process.wait(timeout=10)
    with kiosk_server(db_url, CONTENT, "--fixed-time", MONDAY_MORNING) as (base_url, _process):
        after = [take(base_url, "legal_aid", "kiosk-02"), take(base_url, "consultation", "kiosk-01")]
        page = requests.get(f"{base_url}/counter?window=1", timeout=5)
    assert before == ["B001", "B002", "B003", "A001"]
    assert after == ["B004", "A002"]
    assert page.status_code == 200 and "叫号" in page.text


def test_kiosks_asking_at_once_never_share_a_number(db_url: str) -> None:
    labels: list[str] = []

    def kiosk(index: int) -> None:
        for n in range(15):
            labels.append(take(base_url, ("legal_aid", "consultation")[n % 2], f"kiosk-{index:02d}"))

    register_test_kiosks_at(db_url)
    with kiosk_server(db_url, CONTENT, "--fixed-time", MONDAY_MORNING) as (base_url, _process):
        threads = [threading.Thread(target=kiosk, args=(i,)) for i in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert len(labels) == 150
    assert sorted(labels) == [f"A{n:03d}" for n in range(1, 71)] + [f"B{n:03d}" for n in range(1, 81)]  # 7 and 8 per kiosk
