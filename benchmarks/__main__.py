"""``python -m benchmarks``: measure the kiosk beside a bare Kivy app and print one JSON object.

Targets (issue 2): cold start to the first drawn home screen at most 1.5x the bare app; touch to
next screen drawn p95 at most 100 ms; resident memory after 1,000 screen switches at most
250 MB, growing at most 10 MB over the last 500 (read once the kiosk rests after the switches,
as between two touches; the figure right after the last switch and the peak are reported too). Runs under Xvfb when no display is set.
The "printing" figures come from :mod:`benchmarks.printing`, "ticket_issuing" (issue 4: a local
ticket, number and ledger, p95 at most 5 ms) from :mod:`benchmarks.ticket_issuing` and
"server_tickets" (the central server issues at least 500 tickets per second to 20 kiosks) from
:mod:`benchmarks.server_tickets`; "feedback" (issue 5: tap to rating on disk p95 at most 20 ms,
10,000 queued ratings drained to a local server in at most 10 s, the server ingesting at least
2,000 ratings per second) from :mod:`benchmarks.feedback`; "content_propagation" (issue 6: a
content change published on the server shows on a kiosk syncing every 10 s within 60 s) from
:mod:`benchmarks.content_propagation`; none of them needs a display. "soak" (issue 6: the attract
screen and random visitor flows for SOAK_MINUTES of wall time after a warm-up, 5 by default, 20 for
the long soak; resident memory grows at most 10 MiB, no file descriptor leaks) from :mod:`benchmarks.soak`.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

from benchmarks import content_propagation, feedback, printing, server_tickets, soak, ticket_issuing
from benchmarks import probe as probe_module
from kiosk.paths import PROJECT_DIR

RUNS = 3
SOAK_MINUTES = float(os.environ.get("SOAK_MINUTES", "5"))


def probe(mode: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.probe", mode]
    if not os.environ.get("DISPLAY"):
        command = ["xvfb-run", "-a", "-s", "-screen 0 1920x1920x24", *command]
    env = {**os.environ, "KIVY_HOME": tempfile.mkdtemp(prefix="kivy-home-")}
    started = time.time()
    finished = subprocess.run([*command, str(started)], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=600)
    shutil.rmtree(env["KIVY_HOME"], ignore_errors=True)
    lines = [line for line in finished.stdout.splitlines() if line.startswith("{")]
    if finished.returncode != 0 or not lines:
        raise SystemExit(f"benchmarks: {mode} failed: {finished.stderr.strip().splitlines()[-1:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def main() -> int:
    bare = [probe("bare")["cold_start_s"] for _ in range(RUNS)]
    bare_plain = [probe("bare-no-multisampling")["cold_start_s"] for _ in range(RUNS)]
    kiosk = [probe("kiosk-start")["cold_start_s"] for _ in range(RUNS)]
    touch = probe("kiosk-touch")
    memory = probe("kiosk-memory")
    churn = probe("bare-churn")
    bare_s, kiosk_s = statistics.median(bare), statistics.median(kiosk)
    report = {
        "cold_start": {
            "bare_kivy_label_s": round(bare_s, 3),
            "kiosk_home_s": round(kiosk_s, 3),
            "ratio": round(kiosk_s / bare_s, 2),
            "target_ratio_max": 1.5,
            "bare_kivy_label_without_multisampling_s": round(statistics.median(bare_plain), 3),
            "ratio_to_it": round(kiosk_s / statistics.median(bare_plain), 2),
            "runs": RUNS,
        },
        "touch_to_next_screen": {
            "p50_ms": round(touch["touch_to_screen_p50_ms"], 1),
            "p95_ms": round(touch["touch_to_screen_p95_ms"], 1),
            "target_p95_ms_max": 100,
        },
        "memory_1000_switches": {
            "rss_start_mib": round(memory["rss_start_mib"], 1),
            "rss_after_500_mib": round(memory["rss_half_mib"], 1),
            "rss_after_1000_mib": round(memory["rss_end_mib"], 1),
            "growth_last_500_mib": round(memory["growth_last_half_mib"], 1),
            "measured": f"at rest, {probe_module.REST_S} s after the last switch (kiosk/memory.py tidies up at rest)",
            "rss_after_1000_busy_mib": round(memory["rss_end_busy_mib"], 1),
            "rss_peak_mib": round(memory["rss_peak_mib"], 1),
            "target_rss_mib_max": 250,
            "target_growth_mib_max": 10,
            "baseline_bare_kivy_8_labels_replaced_1000_times": {
                "rss_start_mib": round(churn["rss_start_mib"], 1),
                "rss_after_1000_mib": round(churn["rss_end_mib"], 1),
            },
            "ratio_to_baseline_after_1000": round(memory["rss_end_mib"] / churn["rss_end_mib"], 2),
        },
        "printing": printing.measure(),
        "ticket_issuing": ticket_issuing.measure(),
        "server_tickets": server_tickets.measure(),
        "feedback": feedback.measure(),
        "content_propagation": content_propagation.measure(),
        "soak": soak.measure(soak.Plan(SOAK_MINUTES * 60, warmup_seconds=SOAK_MINUTES * 60 / 4)),
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
