"""UI tests of ratings (服务评价) and complaints and suggestions (投诉建议): the real kiosk in a real
Kivy window under Xvfb, driven by touch (tests/screens/feedback_scenarios.py), and then the
kiosk's own SQLite database opened to see what was kept for the central server.

Screenshots land in tests/screenshots/<test>/ to look at.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from kiosk.database import DATABASE_NAME
from tests.screens.test_screens import MONDAY_MORNING, SCREENSHOTS, closed_port, play

LOOKED_AT = (
    "home",
    "rating_ticket",
    "rating_levels",
    "rating_reasons",
    "rating_phone",
    "complaint_kinds",
    "complaint_categories",
    "complaint_ticket",
    "complaint_details",
    "complaint_phone",
)


def outbox(tmp_path: Path) -> list[dict[str, Any]]:
    """What the kiosk keeps for the central server: each record's kind, state and payload."""
    with sqlite3.connect(tmp_path / "data" / DATABASE_NAME) as connection:
        rows = connection.execute("SELECT kind, state, payload FROM outbox ORDER BY seq").fetchall()
    return [{"kind": kind, "state": state, **json.loads(payload)} for kind, state, payload in rows]


def unreachable_server() -> dict[str, str]:
    """A central server that does not answer: records wait in the outbox, and the QR codes have an address."""
    return {"url": f"http://127.0.0.1:{closed_port()}", "timeout": "0.3"}


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_every_rating_and_complaint_screen_is_reached_from_home_and_back(tmp_path: Path, orientation: str, language: str) -> None:
    name = f"feedback-tour-{orientation}-{language}"
    play("feedback_scenarios.feedback_tour", tmp_path, name, orientation=orientation, language=language)
    for shot in LOOKED_AT:
        for size in ("", "_large"):
            assert (SCREENSHOTS / name / f"{shot}{size}.png").stat().st_size > 10_000, shot + size
    assert outbox(tmp_path) == [], "looking around stores nothing"


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_a_rating_with_a_typed_ticket_is_stored_once(tmp_path: Path, orientation: str, language: str) -> None:
    play("feedback_scenarios.rating_flow", tmp_path, f"rating-{orientation}-{language}", orientation=orientation, language=language)
    records = outbox(tmp_path)
    assert len(records) == 1, "a double tap on a level stores one rating"
    rating = records[0]
    assert (rating["kind"], rating["state"], rating["level"]) == ("rating", "pending", "very_satisfied")
    assert (rating["ticket_label"], rating["ticket_day"]) == ("B007", "2026-11-21")
    assert rating["reasons"] == [] and rating["phone"] is None


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_a_bad_rating_keeps_its_reasons_and_the_call_back_phone(tmp_path: Path, orientation: str) -> None:
    play("feedback_scenarios.bad_rating", tmp_path, f"rating-bad-{orientation}", orientation=orientation)
    [rating] = outbox(tmp_path)
    assert rating["level"] == "very_dissatisfied"
    assert rating["reasons"] == ["attitude", "efficiency"]
    assert rating["phone"] == "13812345678", "kept whole for the center's call-back only"
    assert rating["ticket_label"] is None, "an anonymous rating"


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_the_number_screen_rates_its_own_ticket(tmp_path: Path, orientation: str) -> None:
    play("feedback_scenarios.rating_from_ticket", tmp_path, f"rating-ticket-{orientation}", start=MONDAY_MORNING, orientation=orientation)
    [rating] = outbox(tmp_path)
    with sqlite3.connect(tmp_path / "data" / DATABASE_NAME) as connection:
        [(ticket_id, label)] = connection.execute("SELECT id, label FROM tickets").fetchall()
    assert (rating["level"], rating["ticket_id"], rating["ticket_label"]) == ("satisfied", ticket_id, label)
    assert rating["service_id"] == "legal_aid"


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_a_complaint_shows_its_receipt_and_prints_it(tmp_path: Path, orientation: str, language: str) -> None:
    name = f"complaint-{orientation}-{language}"
    play("feedback_scenarios.complaint_flow", tmp_path, name, server=unreachable_server(), orientation=orientation, language=language)
    [complaint] = outbox(tmp_path)
    assert (complaint["kind"], complaint["state"]) == ("complaint", "pending")
    assert (complaint["category"], complaint["presets"]) == ("efficiency", ["long_wait", "not_told_once"])
    assert complaint["receipt"] == "20261121-kiosk-01-001"
    assert (complaint["ticket_label"], complaint["phone"]) == ("B012", "13812345678")


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_admin_screen_shows_the_outbox_and_syncs_now(tmp_path: Path, orientation: str) -> None:
    name = f"feedback-admin-{orientation}"
    play("feedback_scenarios.feedback_admin", tmp_path, name, server=unreachable_server(), orientation=orientation)
    [rating] = outbox(tmp_path)
    assert rating["state"] == "pending", "kept for the next try"


def test_toggles_keep_and_idle_timeout_forgets_what_was_typed(tmp_path: Path) -> None:
    play("feedback_scenarios.feedback_idle_and_toggles", tmp_path, "feedback-idle", idle_timeout="30")
    assert outbox(tmp_path) == []
