"""A content change from publishing to the kiosk: ``python -m benchmarks.content_propagation``
prints one JSON object.

Target (issue 6): a content change on the server shows on a kiosk within 60 s. A real
``kiosk-server run`` on 127.0.0.1 and a kiosk's real services with its sync worker at the default
``[server] sync_interval`` of 10 s; each run publishes a set with one staff member's on-duty state
changed (as the dashboard's edit does) and measures the time until the kiosk's content store
shows the new digest. Each run publishes just after the kiosk saw the run before, that is just
after one of its sync rounds: the worst moment, so each figure is about one sync interval plus
the download, the check and the swap.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.local_server import local_server, server_db_url
from kiosk.config import load_config
from kiosk.paths import PROJECT_DIR
from kiosk.services import make_services
from server.content_sets import ContentStore as ServerContent
from server.db import Database
from server.times import system_clock

RUNS = 3
KIOSK_ID, TOKEN = "kiosk-01", "benchmark-kiosk-01-token"
CONTENT = PROJECT_DIR / "assets" / "content"
TARGET_S = 60
GIVE_UP_S = 120  # a run still waiting after this is reported as such
ON_DUTY = "photo = photos/zhao_min.png\non_duty = yes\n"


def measure() -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="content-bench-"))
    try:
        with local_server(work, CONTENT, {KIOSK_ID: TOKEN}) as base_url:
            interval, seconds = _runs(work, base_url)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "runs": RUNS,
        "sync_interval_s": interval,
        "publish_to_kiosk_s": [round(s, 2) for s in seconds],
        "median_s": round(statistics.median(seconds), 2),
        "max_s": round(max(seconds), 2),
        "target_s_max": TARGET_S,
    }


def _runs(work: Path, base_url: str) -> tuple[int, list[float]]:
    folder = work / "kiosk"
    folder.mkdir()
    ini = folder / "kiosk.ini"
    ini.write_text(
        f"[kiosk]\nid = {KIOSK_ID}\ndata_dir = data\n\n[printer]\ntype = file\n\n[server]\nurl = {base_url}\ntoken = {TOKEN}\n",
        encoding="utf-8",
    )
    config = load_config(ini)
    services = make_services(config)
    store = services.content
    server = ServerContent(Database(server_db_url(work)), system_clock)
    seconds = []
    try:
        services.feedback.start()
        for run in range(RUNS):
            changed = _changed_set(work / f"set-{run}", f"外出办案（第{run + 1}次）")
            digest = server.publish_folder(changed, "benchmark", f"run {run + 1}").info.digest
            published = time.perf_counter()
            while store.content.version != digest and time.perf_counter() - published < GIVE_UP_S:
                time.sleep(0.01)
            seconds.append(time.perf_counter() - published)
    finally:
        services.feedback.stop()
        server.database.close()
    return config.sync_interval, seconds


def _changed_set(folder: Path, reason: str) -> Path:
    """The sample content with 赵敏 off duty for ``reason``."""
    shutil.copytree(CONTENT, folder)
    staff = folder / "staff.ini"
    text = staff.read_text(encoding="utf-8")
    staff.write_text(text.replace(ON_DUTY, f"photo = photos/zhao_min.png\non_duty = no\nabsence_reason = {reason}\n"), encoding="utf-8")
    return folder


def main() -> int:
    print(json.dumps(measure(), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
