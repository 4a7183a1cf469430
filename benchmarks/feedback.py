"""Ratings from tap to server: ``python -m benchmarks.feedback`` prints one JSON object.

Targets (issue 5):
- tap to rating on disk (FeedbackDesk.rate: checked, stored with its outbox record, committed with
  synchronous FULL) p95 at most 20 ms; the baseline is a bare SQLite insert and commit, same
  settings, same run;
- draining 10,000 queued ratings to a local server (the sync worker, batches of 500) at most 10 s;
- the server ingests at least 2,000 ratings per second on SQLite through the batch API (one kiosk
  posting batches of 500, one after the other).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import requests

from benchmarks.local_server import local_server, server_db_url
from kiosk.config import load_config
from kiosk.feedback import BAD_LEVELS, LEVELS
from kiosk.paths import PROJECT_DIR
from kiosk.services import make_services

TAPS = 300
QUEUED = 10_000
INGEST_BATCHES, BATCH = 40, 500
KIOSK_ID, TOKEN = "kiosk-01", "benchmark-kiosk-01-token"
CONTENT = PROJECT_DIR / "assets" / "content"
TARGETS = {"tap_p95_ms_max": 20, "drain_10000_s_max": 10, "ingest_ratings_per_s_min": 2000}


def measure() -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="feedback-bench-"))
    try:
        tap = _tap_to_disk(work / "tap")
        with local_server(work, CONTENT, {KIOSK_ID: TOKEN}) as base_url:
            drain = _drain(work / "drain", base_url)
            drain["server_holds"] = _server_count(work)
            ingest = _ingest(base_url)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"tap_to_rating_on_disk": tap, "drain_10000_queued": drain, "server_ingest": ingest, "targets": TARGETS}


def _kiosk_ini(folder: Path, server_url: str) -> Path:
    folder.mkdir(parents=True)
    ini = folder / "kiosk.ini"
    ini.write_text(
        f"[kiosk]\nid = {KIOSK_ID}\ndata_dir = data\n\n[printer]\ntype = file\n\n"
        f"[server]\nurl = {server_url}\ntoken = {TOKEN if server_url else ''}\n",
        encoding="utf-8",
    )
    return ini


def _tap_to_disk(folder: Path) -> dict[str, Any]:
    services = make_services(load_config(_kiosk_ini(folder, "")))
    desk = services.feedback
    taps: list[float] = []
    for n in range(TAPS):
        level = LEVELS[n % len(LEVELS)]
        bad = level in BAD_LEVELS
        started = time.perf_counter()
        desk.rate(desk.new_draft(), level, ("efficiency",) if bad else (), "13812345678" if bad else None)
        taps.append(time.perf_counter() - started)
    bare = _bare_sqlite_commits(folder / "bare.sqlite3")
    tap_p95, bare_p95 = _p95(taps), _p95(bare)
    return {
        "ratings": TAPS,
        "p50_ms": round(statistics.median(taps) * 1000, 2),
        "p95_ms": round(tap_p95 * 1000, 2),
        "baseline_bare_sqlite_insert_commit_p95_ms": round(bare_p95 * 1000, 2),
        "ratio_to_baseline_p95": round(tap_p95 / bare_p95, 2),
    }


def _bare_sqlite_commits(path: Path) -> list[float]:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("CREATE TABLE t (id TEXT PRIMARY KEY, body TEXT)")
    times: list[float] = []
    for _ in range(TAPS):
        started = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("INSERT INTO t VALUES (?, ?)", (str(uuid.uuid4()), "{}"))
        connection.execute("COMMIT")
        times.append(time.perf_counter() - started)
    connection.close()
    return times


def _drain(folder: Path, base_url: str) -> dict[str, Any]:
    services = make_services(load_config(_kiosk_ini(folder, base_url)))
    outbox, worker = services.feedback.outbox, services.feedback.worker
    assert worker is not None
    created_at = services.feedback.instant().isoformat()
    with outbox.db.lock:
        outbox.db.connection.execute("BEGIN IMMEDIATE")
        for n in range(QUEUED):
            record_id = str(uuid.uuid4())
            payload = _rating(record_id, created_at, LEVELS[n % len(LEVELS)])
            outbox.add_in_transaction("rating", record_id, payload)
        outbox.db.connection.execute("COMMIT")
    started = time.perf_counter()
    tally = worker.drain(due_only=False)
    wall = time.perf_counter() - started
    counts = outbox.counts()
    return {
        "queued": QUEUED,
        "seconds": round(wall, 2),
        "ratings_per_s": round(QUEUED / wall, 1),
        "kiosk_sent": counts.sent,
        "kiosk_pending_after": counts.pending,
        "note": tally.note,
    }


def _ingest(base_url: str) -> dict[str, Any]:
    created_at = dt.datetime.now(dt.timezone.utc).isoformat()
    bodies: list[dict[str, Any]] = [
        {"kiosk_id": KIOSK_ID, "ratings": [_rating(str(uuid.uuid4()), created_at, LEVELS[n % len(LEVELS)]) for n in range(BATCH)]}
        for _ in range(INGEST_BATCHES)
    ]
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {TOKEN}"
    stored = 0
    started = time.perf_counter()
    for body in bodies:
        answer = session.post(f"{base_url}/api/v1/ratings", json=body, timeout=60)
        answer.raise_for_status()
        stored += sum(result["status"] == "stored" for result in answer.json()["results"])
    wall = time.perf_counter() - started
    session.close()
    return {
        "ratings_stored": stored,
        "batch_size": BATCH,
        "seconds": round(wall, 2),
        "ratings_per_s": round(stored / wall, 1),
        "database": "SQLite, WAL, synchronous FULL, one transaction per batch",
    }


def _rating(record_id: str, created_at: str, level: str) -> dict[str, Any]:
    bad = level in BAD_LEVELS
    return {
        "id": record_id,
        "created_at": created_at,
        "level": level,
        "reasons": ["efficiency"] if bad else [],
        "phone": "13812345678" if bad else None,
        "ticket_label": None,
        "ticket_day": None,
        "ticket_id": None,
        "service_id": "legal_aid",
    }


def _server_count(work: Path) -> int:
    connection = sqlite3.connect(server_db_url(work).removeprefix("sqlite:///"))
    try:
        count: int = connection.execute("SELECT COUNT(*) FROM ratings WHERE kiosk_id = ?", (KIOSK_ID,)).fetchone()[0]
        return count
    finally:
        connection.close()


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def main() -> int:
    print(json.dumps(measure(), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
