"""Issuing a ticket locally, for ``python -m benchmarks``: ``python -m benchmarks.ticket_issuing``.

Target (queue tickets issue): ``TicketBook.issue`` (the numbering day, the daily cap, the next
number, the row in the ledger, committed with WAL and ``synchronous = FULL``; no printing) p95 at
most 5 ms. The data folder is a fresh one on disk (under /var/tmp, which is not a RAM disk on a
usual Linux, so every commit waits for its fsync). The sample center's rules; a busy week of 500
tickets in four days of 125, one in ten through the green channel and one in 25 an appointment.
Beside it, the floor: a bare SQLite insert and commit of one row in the same kind of database.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from kiosk.content_loader import load_content
from kiosk.database import open_database
from kiosk.paths import SAMPLE_CONTENT_DIR
from kiosk.queue_rules import APPOINTMENT, NORMAL, PRIORITY
from kiosk.ticket_book import TicketBook

TICKETS = 500
PER_DAY = 125
TARGET_P95_MS = 5
DISK_FOLDER = "/var/tmp"
FIRST_MORNING = dt.datetime(2026, 3, 2, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def spread(samples_ms: list[float]) -> dict[str, float]:
    """p50 and p95 (inclusive method) and the largest, in milliseconds."""
    p95 = statistics.quantiles(samples_ms, n=20, method="inclusive")[-1]
    return {"p50_ms": round(statistics.median(samples_ms), 3), "p95_ms": round(p95, 3), "max_ms": round(max(samples_ms), 3)}


def filesystem(path: Path) -> str:
    """The type of the filesystem holding ``path`` (ext4, tmpfs...), from /proc/mounts."""
    try:
        mounts = [line.split()[1:3] for line in Path("/proc/mounts").read_text().splitlines()]
    except OSError:
        return "unknown"
    resolved = str(path.resolve())
    found = [(point, kind) for point, kind in mounts if resolved == point or resolved.startswith(point.rstrip("/") + "/")]
    return max(found, key=lambda pair: len(pair[0]))[1] if found else "unknown"


def issuing(folder: Path) -> dict[str, Any]:
    rules = load_content(SAMPLE_CONTENT_DIR).queues
    services = list(rules.queues)
    database = open_database(folder)
    book = TicketBook(database, "bench-kiosk")
    samples = []
    try:
        for index in range(TICKETS):
            day, visitor = divmod(index, PER_DAY)
            now = FIRST_MORNING + dt.timedelta(days=day, minutes=3 * visitor)
            service_id = services[index % len(services)]
            category = PRIORITY if index % 10 == 9 else APPOINTMENT if index % 25 == 12 else NORMAL
            kind = "elderly" if category == PRIORITY else None
            code = f"{index:06d}" if category == APPOINTMENT else None
            started = time.perf_counter()
            book.issue(rules, service_id, category, kind, code, now, None)
            samples.append((time.perf_counter() - started) * 1000)
    finally:
        database.close()
    return {"tickets": len(samples), "first_ms": round(samples[0], 3), **spread(samples)}


def bare_commits(folder: Path) -> dict[str, Any]:
    """One row inserted and committed per sample: WAL, synchronous FULL, no index, no reads."""
    connection = sqlite3.connect(folder / "bare.sqlite3", isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
    samples = []
    try:
        for index in range(TICKETS):
            started = time.perf_counter()
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("INSERT INTO rows (text) VALUES (?)", (f"row {index}",))
            connection.execute("COMMIT")
            samples.append((time.perf_counter() - started) * 1000)
    finally:
        connection.close()
    return {"rows": len(samples), **spread(samples)}


def measure() -> dict[str, Any]:
    """The "ticket_issuing" section of the benchmark report."""
    parent = DISK_FOLDER if os.path.isdir(DISK_FOLDER) else None
    with tempfile.TemporaryDirectory(prefix="kiosk-issue-bench-", dir=parent) as name:
        folder = Path(name)
        issued = issuing(folder / "data")
        baseline = bare_commits(folder)
        kind = filesystem(folder)
    return {
        "measures": "TicketBook.issue: numbering day, daily cap, next number, ledger row, commit (WAL, synchronous FULL); no printing",
        "data_folder_filesystem": kind,
        **issued,
        "target_p95_ms_max": TARGET_P95_MS,
        "baseline_bare_sqlite_insert_commit": baseline,
        "ratio_p95_to_baseline": round(issued["p95_ms"] / baseline["p95_ms"], 1) if baseline["p95_ms"] else None,
    }


def main() -> int:
    print(json.dumps({"ticket_issuing": measure()}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
