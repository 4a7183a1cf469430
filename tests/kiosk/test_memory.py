"""Memory given back to the system (kiosk/memory.py): the kiosk tidies up only once it rests after
its screens changed, collects what they dropped, and the pages freed leave its resident size."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from kiosk.memory import MemoryKeeper, give_back_free_memory, resident_mib


class Dropped:
    """Garbage only the cycle collector frees, as a screen's dropped widgets are."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def collector_off() -> Iterator[None]:
    gc.disable()
    yield
    gc.enable()


def test_tidies_once_at_rest_after_a_screen_change(collector_off: None) -> None:
    now = [100.0]
    released: list[float] = []
    keeper = MemoryKeeper(lambda: now[0], lambda: released.append(now[0]), rest_seconds=2.0)
    assert not keeper.tidy_if_resting(last_touch=0.0), "nothing changed since the start: nothing to tidy"

    dropped = weakref.ref(Dropped())
    keeper.screen_changed()
    now[0] += 1.5
    assert not keeper.tidy_if_resting(last_touch=0.0) and dropped() is not None, "not yet at rest"
    now[0] += 1.0
    assert not keeper.tidy_if_resting(last_touch=now[0] - 0.5), "a touch half a second ago: the visitor is busy"
    now[0] += 2.0
    assert keeper.tidy_if_resting(last_touch=now[0] - 2.5)
    assert dropped() is None, "the dropped widgets are collected"
    assert released == [now[0]], "and the graphics they drew released"
    assert not keeper.tidy_if_resting(last_touch=0.0), "once per change"


def test_free_pages_leave_the_resident_size() -> None:
    blocks = [bytearray(4096) for _ in range(20_000)]  # about 80 MiB on the C heap
    kept = blocks[::64]  # a few survivors, the last among them, keep the heap from shrinking by itself
    kept.append(blocks[-1])
    del blocks
    before = resident_mib()
    if not give_back_free_memory():
        pytest.skip("this C library cannot give free pages back (not glibc)")
    assert before - resident_mib() > 40, "the freed blocks' pages went back to the system"
    assert resident_mib("VmHWM") > 40 and len(kept) > 300
