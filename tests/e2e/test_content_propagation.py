"""A content change published on a real ``kiosk-server run`` process reaches a running kiosk without
a restart: a manager marks a staff member absent with a reason (``kiosk-server publish-content``),
and the kiosk's sync worker (every second here) downloads the set, applies it and tells the server
in its next heartbeat which content it shows. The bound of the wait is the issue's target, 60 s;
the time it takes is measured in benchmarks/content_propagation.py, not here."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from kiosk.config import KioskConfig
from kiosk.paths import PROJECT_DIR
from kiosk.services import make_services
from server.models import kiosks
from tests.e2e.conftest import ServerProcess, server_rows, wait_until
from tests.server.center import register_test_kiosks_at

KIOSK_SERVER = Path(sys.executable).parent / "kiosk-server"
TARGET_S = 60


def absent_with_reason(content: Path, folder: Path, reason: str) -> Path:
    """The content with 赵敏 off duty for ``reason``."""
    shutil.copytree(content, folder)
    staff = folder / "staff.ini"
    duty = "photo = photos/zhao_min.png\non_duty = yes\n"
    text = staff.read_text(encoding="utf-8")
    assert text.count(duty) == 1
    staff.write_text(text.replace(duty, f"photo = photos/zhao_min.png\non_duty = no\nabsence_reason = {reason}\n"), encoding="utf-8")
    return folder


def test_a_published_change_shows_on_a_running_kiosk(tmp_path: Path, open_content: Path, kiosk_config: Callable[..., KioskConfig]) -> None:
    db_url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    register_test_kiosks_at(db_url)
    server = ServerProcess(db_url, open_content)
    server.start()
    services = make_services(kiosk_config(server.url, sync_interval="1"))
    store = services.content
    try:
        services.feedback.start()
        changed = absent_with_reason(open_content, tmp_path / "changed", "外出调解")
        published = subprocess.run(
            [str(KIOSK_SERVER), "publish-content", str(changed), "--db", db_url, "--by", "manager", "--note", "赵敏外出调解"],
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert published.returncode == 0, published.stderr
        found = re.fullmatch(r"version (\d+) \(([0-9a-f]{12})\)\n", published.stdout)
        assert found, published.stdout
        version, digest = found.groups()
        wait_until(lambda: store.content.version == digest, "the kiosk shows the published set", TARGET_S)
        zhao_min = next(member for member in store.content.staff if member.name.zh == "赵敏")
        assert (zhao_min.on_duty, zhao_min.absence_reason.zh if zhao_min.absence_reason else None) == (False, "外出调解")
        assert store.label == f"server version {version} ({digest})" and store.refused == ""

        def fleet_row_says_so() -> bool:
            return any(row["id"] == "kiosk-01" and row["content_version"] == digest for row in server_rows(db_url, kiosks))

        wait_until(fleet_row_says_so, "the kiosk's heartbeat names the content it shows", 10)
    finally:
        services.feedback.stop()
        services.printing.spooler.stop()
        server.stop()
