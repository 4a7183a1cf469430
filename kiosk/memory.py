"""Giving memory the kiosk no longer uses back to the system, and reading how much it holds.

When a visitor leaves a screen, the widgets it built for them are dropped. Kivy's widgets refer to
each other, so only Python's cycle collector frees them, and with them the pictures of their words
(on a software renderer these live in the kiosk's own memory): left alone, tens of MiB wait for
the collector's next full pass. Then the C library (glibc) keeps the freed pages for later. Once
the kiosk rests after screens changed (nobody touching, no new screen for ``REST_SECONDS``),
``MemoryKeeper`` collects that garbage (50-100 ms, unnoticed while nobody touches) and hands the
free pages back (``malloc_trim``, a few milliseconds; where the C library has none, as on musl or
macOS, only the collection is done).
"""

from __future__ import annotations

import ctypes
import gc
from collections.abc import Callable
from pathlib import Path

REST_SECONDS = 2.0  # no touch and no new screen for this long: the kiosk is at rest

_trim: Callable[[int], int] | None = None
_looked = False


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, looked up once; None where the C library has none."""
    global _trim, _looked
    if not _looked:
        _looked = True
        try:
            _trim = ctypes.CDLL(None).malloc_trim
        except (OSError, AttributeError):
            _trim = None
    return _trim


def give_back_free_memory() -> bool:
    """Return the process's free heap pages to the system; False where the C library cannot."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


def resident_mib(field: str = "VmRSS") -> float:
    """The process's resident memory in MiB (``VmHWM``: its highest so far); 0.0 where /proc is not there."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


class MemoryKeeper:
    """Gives memory back once the kiosk rests after its screens changed; ``clock`` is monotonic."""

    def __init__(self, clock: Callable[[], float], release_graphics: Callable[[], None], rest_seconds: float = REST_SECONDS) -> None:
        self.clock = clock
        self.release_graphics = release_graphics  # frees the graphics of collected widgets (kiosk/app.py)
        self.rest_seconds = rest_seconds
        self.changed_at: float | None = None  # the last screen change not yet tidied after

    def screen_changed(self) -> None:
        self.changed_at = self.clock()

    def tidy_if_resting(self, last_touch: float) -> bool:
        """Collect the garbage and give the free pages back if screens changed and the kiosk has
        rested since (``last_touch``: the last touch on the monotonic clock); True when it did."""
        if self.changed_at is None or self.clock() - max(self.changed_at, last_touch) < self.rest_seconds:
            return False
        self.changed_at = None
        gc.collect()
        self.release_graphics()
        give_back_free_memory()
        return True
