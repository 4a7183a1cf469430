"""UI tests: the real kiosk in a real Kivy window under Xvfb, driven by touch events.

Each scenario runs in a fresh process (a Kivy app runs once per process) through
tests/screens/driver.py. Screenshots land in tests/screenshots/<test>/ to look at.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests

from kiosk.content_loader import load_content
from kiosk.paths import PROJECT_DIR, SAMPLE_CONTENT_DIR
from server.main import create_app
from server.settings import Settings
from tests.server.center import auth, kiosk_token, register_test_kiosks
from tests.server.serving import uvicorn_thread

SCREENSHOTS = PROJECT_DIR / "tests" / "screenshots"


def write_config(
    folder: Path,
    content_dir: Path,
    printer: dict[str, str] | None = None,
    tickets: dict[str, str] | None = None,
    server: dict[str, str] | None = None,
    **kiosk: str,
) -> Path:
    settings = {"orientation": "portrait", "language": "zh_CN", "fullscreen": "no", "idle_timeout": "60", **kiosk}
    lines = ["[kiosk]", *(f"{k} = {v}" for k, v in settings.items()), f"content_dir = {content_dir}", f"data_dir = {folder / 'data'}"]
    lines += ["[printer]", *(f"{k} = {v}" for k, v in (printer or {}).items())]
    lines += ["[tickets]", *(f"{k} = {v}" for k, v in (tickets or {}).items())]
    lines += ["[server]", *(f"{k} = {v}" for k, v in (server or {}).items())]
    path = folder / "kiosk.ini"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def play(
    scenario: str,
    tmp_path: Path,
    name: str,
    printer: dict[str, str] | None = None,
    tickets: dict[str, str] | None = None,
    start: str = "",
    server: dict[str, str] | None = None,
    **kiosk: str,
) -> dict[str, object]:
    """Run one scenario against a fresh kiosk on a copy of the sample content. ``start`` is the
    local time the scenario's clock starts at (default: the driver's START, a Saturday)."""
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT_DIR, content)
    config = write_config(tmp_path, content, printer, tickets, server, **kiosk)
    out = SCREENSHOTS / name
    shutil.rmtree(out, ignore_errors=True)
    # The kiosk's clock is the machine's local time, as on a kiosk set to the center's zone.
    env = {**os.environ, "KIVY_HOME": str(tmp_path / "kivy-home"), "TZ": "Asia/Shanghai"}
    command = [sys.executable, "-m", "tests.screens.driver", scenario, "--config", str(config), "--out", str(out)]
    if start:
        command += ["--start", start]
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


# ----- queue tickets (the sample queues.ini: Monday to Friday from 09:00 to 12:00 and in the afternoon)

MONDAY_MORNING = "2026-11-23T09:30:00"
SATURDAY = "2026-11-21T10:30:00"
APPOINTMENTS = """code,date,time,service
20481,2026-11-23,09:00-10:00,consultation
55555,2026-11-24,09:00-10:00,notarization
30303,2026-11-23,08:00-09:00,mediation
"""


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_take_a_ticket_shows_the_number_and_prints_it(tmp_path: Path, orientation: str, language: str) -> None:
    name = f"ticket-{orientation}-{language}"
    play("ticket_take", tmp_path, name, start=MONDAY_MORNING, orientation=orientation, language=language)


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_a_ticket_from_the_central_server_says_who_is_ahead(tmp_path: Path, orientation: str) -> None:
    """Two visitors took legal aid numbers at another kiosk: this kiosk shows them waiting and the
    estimate (the sample's 20 minutes each, shared by the two windows that serve legal aid)."""
    rules = load_content(SAMPLE_CONTENT_DIR).queues
    opened = dt.datetime.fromisoformat(MONDAY_MORNING).replace(tzinfo=rules.zone)
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'server.sqlite3'}"), rules, lambda: opened)
    register_test_kiosks(app.state.database)
    with uvicorn_thread(app) as base_url:
        for _ in range(2):
            body = {"id": str(uuid.uuid4()), "kiosk_id": "kiosk-09", "service_id": "legal_aid"}
            assert requests.post(f"{base_url}/api/v1/tickets", json=body, headers=auth("kiosk-09"), timeout=10).status_code == 201
        name = f"ticket-server-{orientation}"
        server = {"url": base_url, "token": kiosk_token("kiosk-01")}
        play("ticket_from_server", tmp_path, name, start=MONDAY_MORNING, server=server, orientation=orientation)


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_green_channel_ticket(tmp_path: Path, orientation: str) -> None:
    play("green_channel", tmp_path, f"green-{orientation}", start=MONDAY_MORNING, orientation=orientation)


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_appointment_check_in_on_the_keypad(tmp_path: Path, orientation: str) -> None:
    appointments = tmp_path / "appointments.csv"
    appointments.write_text(APPOINTMENTS, encoding="utf-8")
    tickets = {"appointments": str(appointments)}
    play("appointment_check_in", tmp_path, f"appointment-{orientation}", tickets=tickets, start=MONDAY_MORNING, orientation=orientation)


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_closed_services_say_when_they_open_and_offer_the_checklist(tmp_path: Path, orientation: str, language: str) -> None:
    name = f"ticket-closed-{orientation}-{language}"
    play("tickets_closed_weekend", tmp_path, name, start=SATURDAY, orientation=orientation, language=language)


def test_a_tap_after_closing_time_is_refused_calmly(tmp_path: Path) -> None:
    play("tickets_close_at_noon", tmp_path, "ticket-noon", start="2026-11-23T11:59:30")


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_printer_down_still_shows_the_number(tmp_path: Path, orientation: str) -> None:
    printer = {"type": "network", "host": "127.0.0.1", "port": str(closed_port()), "timeout": "1"}
    play("ticket_printer_down", tmp_path, f"ticket-printer-down-{orientation}", printer, start=MONDAY_MORNING, orientation=orientation)


def test_the_number_goes_home_after_show_seconds(tmp_path: Path) -> None:
    play("ticket_returns_home", tmp_path, "ticket-home", tickets={"show_seconds": "20"}, start=MONDAY_MORNING)


def test_idle_timeout_forgets_the_number(tmp_path: Path) -> None:
    play("ticket_idle_timeout", tmp_path, "ticket-idle", tickets={"show_seconds": "120"}, start=MONDAY_MORNING, idle_timeout="30")
