"""The admin screen's health facts in a real Kivy window (tests/screens/driver.py plays the scenarios
below in a fresh process): printer, outbox and last sync, content in use, app version, uptime and
free disk, and the red warning line when the data folder's disk has less free space than
``[kiosk] min_free_disk_mb``. Screenshots: tests/screenshots/admin-health-*."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk import __version__
from kiosk.health import MEGABYTE
from tests.screens.driver import Driver
from tests.screens.scenarios import check_fits, check_touch_targets, check_words, open_admin, tr, wait_for
from tests.screens.test_screens import play

MOST_MB = 100_000  # the highest [kiosk] min_free_disk_mb (kiosk/config.py)


def admin_health(d: Driver, disk_low: bool) -> Iterator[float]:
    yield d.tap(d.app.current_screen())
    yield from open_admin(d)
    health, warning = d.find("health"), d.find("disk_warning")
    facts = d.app.services.health.facts()
    assert facts.disk_low == disk_low, (facts.free_disk_bytes, d.app.services.config.min_free_disk_mb)
    state = tr(d, "printer_state_no_status")  # printing to a file: written is all the kiosk knows
    yield from wait_for(d, lambda: health.text.startswith(tr(d, "admin_health_printer", state=state)), what="the printer's state")
    lines = health.text.split("\n")
    assert lines[1] == tr(d, "admin_health_outbox", depth=0, last_sync=tr(d, "admin_health_never")), lines
    assert f"content_dir ({d.app.content.version})" in lines[2], lines
    assert lines[3] == tr(d, "admin_health_version", version=__version__), lines
    shown = d.app.current_screen().facts
    uptime = tr(d, "admin_uptime_hours", h=shown.uptime_s // 3600, m=shown.uptime_s // 60 % 60)  # minutes since the app started
    assert lines[4] == tr(d, "admin_health_uptime", uptime=uptime), lines
    assert lines[5].startswith(tr(d, "admin_health_disk", free="", minimum="")[:4]), lines
    if disk_low:
        assert warning.text.startswith(tr(d, "admin_disk_low", free="", minimum="")[:6]) and warning.opacity == 1, warning.text
        assert warning.height > 0 and warning.color[0] > 0.6, "a red line above the facts"
    else:
        assert (warning.text, warning.height, warning.opacity) == ("", 0, 0)
    check_touch_targets(d)
    check_fits(d)
    check_words(d, d.app.language == "zh_CN")
    d.screenshot("admin_health")


def admin_health_low(d: Driver) -> Iterator[float]:
    yield from admin_health(d, disk_low=True)


def admin_health_ok(d: Driver) -> Iterator[float]:
    yield from admin_health(d, disk_low=False)


def test_the_admin_screen_warns_in_red_when_the_disk_is_nearly_full(tmp_path: Path) -> None:
    free_mb = shutil.disk_usage(tmp_path).free // MEGABYTE
    if free_mb + 100 > MOST_MB:
        pytest.skip(f"the disk has {free_mb} MB free, more than [kiosk] min_free_disk_mb can be set to")
    play("test_admin_health.admin_health_low", tmp_path, "admin-health-portrait-zh_CN", min_free_disk_mb=str(free_mb + 100))


def test_the_admin_screen_shows_the_kiosks_health_in_english_without_a_warning(tmp_path: Path) -> None:
    play("test_admin_health.admin_health_ok", tmp_path, "admin-health-landscape-en", orientation="landscape", language="en")
