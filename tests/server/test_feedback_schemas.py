"""The server's strict feedback bodies use exactly kiosk/feedback.py's words, so a kiosk and the
server never disagree about a code."""

from __future__ import annotations

from typing import get_args

from kiosk.feedback import CATEGORIES, COMPLAINT_KINDS, LEVELS, PRESETS, REASONS
from server.schemas import ComplaintCategory, ComplaintKind, Level, Preset, Reason


def test_the_literals_are_the_shared_vocabulary() -> None:
    assert get_args(Level) == LEVELS
    assert get_args(Reason) == REASONS
    assert get_args(ComplaintKind) == COMPLAINT_KINDS
    assert get_args(ComplaintCategory) == CATEGORIES
    assert get_args(Preset) == tuple(PRESETS)
