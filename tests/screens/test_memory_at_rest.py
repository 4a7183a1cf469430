"""A kiosk switches screens all day long: a label keeps one picture of its words, not two; a screen
the visitor left lets go of the pictures of its words (home and attract keep theirs, the kiosk
returns to them all day), draws them again when shown, and once the kiosk rests the widgets the
screens dropped are collected with what they drew (kiosk/memory.py). The scenario runs in a real
Kivy window through tests/screens/driver.py, with Python's automatic collector off so that only
the kiosk's own tidying can free the dropped cards."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.screens.driver import Driver
from tests.screens.test_screens import play


def test_a_left_screen_lets_go_of_its_pictures_and_the_kiosk_tidies_up_at_rest(tmp_path: Path) -> None:
    play("test_memory_at_rest.memory_at_rest", tmp_path, "memory_at_rest")


def labels_with_pictures(screen: Any) -> tuple[int, int]:
    """How many of a screen's labels with words have their picture (texture), and how many there are."""
    from kivy.uix.label import Label

    worded = [w for w in screen.walk(restrict=True) if isinstance(w, Label) and w.text.strip()]
    return sum(1 for w in worded if w.texture is not None), len(worded)


def memory_at_rest(d: Driver) -> Iterator[float]:
    gc.disable()
    try:
        yield d.tap(d.app.current_screen())
        yield d.tap_id("disclosures")
        yield d.tap_id("staff")
        assert d.screen == "staff"
        drawn, worded = labels_with_pictures(d.app.current_screen())
        assert worded > 10 and drawn == worded, "the staff page shows all its words"
        second_copies = [w for w in d.find_all("KioskLabel") if hasattr(w._label, "_surface")]
        assert not second_copies, "no second copy of the words (kiosk/app.py mend_text_surfaces)"
        card = weakref.ref(d.find_all("StaffCard")[0])

        yield d.tap_id("home")
        staff, home = d.app.screen("staff"), d.app.screen("home")
        assert labels_with_pictures(staff)[0] == 0, "a left screen holds no pictures of its words"
        drawn, worded = labels_with_pictures(home)
        assert drawn == worded > 0, "home keeps its words drawn"
        assert card() is not None, "the dropped card waits for the collector (switched off here)"

        d.advance(1)
        assert card() is not None, "no tidying while the visitor may still be touching"
        d.advance(2)
        assert card() is None, "at rest the kiosk collects what the left screens dropped"
        assert d.app.memory.changed_at is None

        yield d.tap_id("disclosures")
        yield d.tap_id("staff")
        drawn, worded = labels_with_pictures(d.app.current_screen())
        assert worded > 10 and drawn == worded, "the staff page draws its words again"
        assert "赵敏" in d.visible_text()
        d.screenshot("staff_again")
    finally:
        gc.enable()
