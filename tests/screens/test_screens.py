"""UI tests: the real kiosk in a real Kivy window under Xvfb, driven by touch events.

Each scenario runs in a fresh process (a Kivy app runs once per process) through
tests/screens/driver.py. Screenshots land in tests/screenshots/<test>/ to look at.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.paths import PROJECT_DIR, SAMPLE_CONTENT_DIR

SCREENSHOTS = PROJECT_DIR / "tests" / "screenshots"


def write_config(folder: Path, content_dir: Path, printer: dict[str, str] | None = None, **kiosk: str) -> Path:
    settings = {"orientation": "portrait", "language": "zh_CN", "fullscreen": "no", "idle_timeout": "60", **kiosk}
    lines = ["[kiosk]", *(f"{k} = {v}" for k, v in settings.items()), f"content_dir = {content_dir}", f"data_dir = {folder / 'data'}"]
    lines += ["[printer]", *(f"{k} = {v}" for k, v in (printer or {}).items())]
    path = folder / "kiosk.ini"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def play(scenario: str, tmp_path: Path, name: str, printer: dict[str, str] | None = None, **kiosk: str) -> dict[str, object]:
    """Run one scenario against a fresh kiosk on a copy of the sample content."""
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT_DIR, content)
    config = write_config(tmp_path, content, printer, **kiosk)
    out = SCREENSHOTS / name
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "KIVY_HOME": str(tmp_path / "kivy-home")}
    command = [sys.executable, "-m", "tests.screens.driver", scenario, "--config", str(config), "--out", str(out)]
    finished = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=180)
    result_file = out / "result.json"
    assert result_file.exists(), finished.stderr[-3000:]
    result: dict[str, object] = json.loads(result_file.read_text())
    assert result["ok"], result["error"]
    assert finished.returncode == 0, finished.stderr[-3000:]
    return result


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_every_screen_is_reached_from_home_and_back(tmp_path: Path, orientation: str, language: str) -> None:
    play("tour", tmp_path, f"tour-{orientation}-{language}", orientation=orientation, language=language)
    shots = SCREENSHOTS / f"tour-{orientation}-{language}"
    for name in ("attract", "home", "disclosures", "staff", "services", "service_detail", "guide"):
        assert (shots / f"{name}.png").stat().st_size > 10_000, name


def test_language_and_large_text_toggles(tmp_path: Path) -> None:
    play("languages_and_large_text", tmp_path, "toggles")


def test_idle_timeout_returns_to_attract_and_forgets_the_visitor(tmp_path: Path) -> None:
    play("idle_timeout", tmp_path, "idle")


def test_guide_leads_to_a_service_or_says_where_to_go(tmp_path: Path) -> None:
    play("guide_walk", tmp_path, "guide")


def test_long_content_scrolls_by_finger(tmp_path: Path) -> None:
    play("scroll_by_finger", tmp_path, "scroll")


def test_fullscreen_lockdown_keys_do_not_leave_the_app(tmp_path: Path) -> None:
    play("lockdown", tmp_path, "lockdown", fullscreen="yes")


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_admin_pin_reload_and_quit(tmp_path: Path, orientation: str) -> None:
    play("admin_pin", tmp_path, f"admin-{orientation}", orientation=orientation)


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_checklist_preview_and_print(tmp_path: Path, orientation: str, language: str) -> None:
    play("checklist_print", tmp_path, f"checklist-{orientation}-{language}", orientation=orientation, language=language)


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (a printer switched off)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_printer_down_shows_qr_and_keeps_the_job_for_reprint(tmp_path: Path, orientation: str) -> None:
    printer = {"type": "network", "host": "127.0.0.1", "port": str(closed_port()), "timeout": "1"}
    play("checklist_printer_down", tmp_path, f"printer-down-{orientation}", printer, orientation=orientation)
