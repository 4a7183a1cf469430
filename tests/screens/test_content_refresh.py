"""A content set from the server shows on the screens without a restart: at once on the attract and
home screens; during a visit, when the visitor returns home (docs/appliance-api.md). The scenario
below runs in a real Kivy window through tests/screens/driver.py; each set is applied from another
thread, as the sync worker does."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

from kiosk.content_loader import content_version
from tests.screens.driver import Driver
from tests.screens.test_screens import play

SAMPLE_NAME = "重庆市示例区公共法律服务中心"


def test_a_new_set_shows_at_once_at_rest_and_after_going_home_during_a_visit(tmp_path: Path) -> None:
    play("test_content_refresh.content_refresh", tmp_path, "content_refresh")


def apply_set(d: Driver, version: int, center_name: str, zhao_min_reason: str | None) -> None:
    """The sample content with another center name and 赵敏 on duty or not, applied as the sync worker would."""
    store = d.app.services.content
    shutil.copytree(store.configured, store.server_new)
    center = store.server_new / "center.ini"
    center.write_text(center.read_text(encoding="utf-8").replace(f"name = {SAMPLE_NAME}", f"name = {center_name}"), encoding="utf-8")
    if zhao_min_reason:
        staff = store.server_new / "staff.ini"
        duty = "photo = photos/zhao_min.png\non_duty = yes\n"
        absent = f"photo = photos/zhao_min.png\non_duty = no\nabsence_reason = {zhao_min_reason}\n"
        staff.write_text(staff.read_text(encoding="utf-8").replace(duty, absent), encoding="utf-8")
    problems: list[str] = []
    worker = threading.Thread(target=lambda: problems.append(store.apply_server_set(version, content_version(store.server_new))))
    worker.start()
    worker.join(30)
    assert problems == [""] and store.label.startswith(f"server version {version} ")


def zhao_min(d: Driver) -> tuple[bool, str]:
    """赵敏's card on the staff screen: on duty, and the reason shown."""
    card = next(card for card in d.find_all("StaffCard") if card.name == "赵敏")
    return card.present, card.reason


def content_refresh(d: Driver) -> Iterator[float]:
    assert d.screen == "attract" and SAMPLE_NAME in d.visible_text()
    apply_set(d, 2, "东区公共法律服务中心", "参加培训")
    d.advance(1)
    assert "东区公共法律服务中心" in d.visible_text(), "the attract screen shows a new set at once"
    yield d.tap(d.app.current_screen())
    assert d.screen == "home"
    apply_set(d, 3, "西区公共法律服务中心", "参加培训")
    d.advance(1)
    assert "西区公共法律服务中心" in d.visible_text(), "the home screen shows a new set at once"
    yield d.tap_id("disclosures")
    yield d.tap_id("staff")
    assert d.screen == "staff" and zhao_min(d) == (False, "原因：参加培训")
    yield 0.5
    d.screenshot("staff_absent")

    apply_set(d, 4, "北区公共法律服务中心", None)
    d.advance(1)
    yield 0.3
    assert zhao_min(d) == (False, "原因：参加培训") and "西区公共法律服务中心" in d.visible_text(), "a visit keeps what it shows"
    yield d.tap_id("home")
    assert d.screen == "home" and "北区公共法律服务中心" in d.visible_text(), "going home shows the new set"
    yield d.tap_id("disclosures")
    yield d.tap_id("staff")
    assert zhao_min(d) == (True, "")
    yield 0.5
    d.screenshot("staff_back_on_duty")
