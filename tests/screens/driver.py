"""Runs the real kiosk app in this process and plays one scenario against it, for the UI tests.

    python -m tests.screens.driver SCENARIO --config kiosk.ini --out DIR [--start 2026-11-23T09:30]

A scenario (a function of tests/screens/scenarios.py, or ``module.function`` of another module
of tests/screens, e.g. feedback_scenarios.rating_flow) is a generator that touches widgets by
id, takes screenshots and asserts what a visitor would see; it yields the seconds to wait for
the screen to settle. The result (ok, or the assertion's traceback) is written to DIR/result.json. The
clock starts at ``--start`` (local time; default START, a Saturday) and moves only when the
scenario says so.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import shutil
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

START = dt.datetime(2026, 11, 21, 10, 30)
# A touch is handled at once (the screen changes before tap() returns) and the next step runs at
# the earliest in the frame after, so the screen is laid out and drawn by then; the wait only
# gives frames to spare. Work on other threads (tickets, printing) is waited for with wait_for.
TAP_SETTLE_S = 0.3


class FakeClock:
    """Wall clock and monotonic clock that move only when the scenario says so."""

    def __init__(self, start: dt.datetime = START) -> None:
        self.start = start
        self.seconds = 0.0

    def monotonic(self) -> float:
        return self.seconds

    def now(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=self.seconds)


class Driver:
    """What a scenario can do with the running app."""

    def __init__(self, app: Any, clock: FakeClock, out: Path) -> None:
        self.app, self.clock, self.out = app, clock, out
        self.expect_quit = False  # set before tapping "quit": the app then ends the scenario

    @property
    def screen(self) -> str:
        return str(self.app.manager.current)

    def find(self, widget_id: str, root: Any = None) -> Any:
        """The widget with this kv id on the current screen (bars included)."""
        root = root if root is not None else self.app.current_screen()
        for widget in root.walk(restrict=True):
            ids = getattr(widget, "ids", {})
            if widget_id in ids:
                return ids[widget_id]
        raise LookupError(f"no widget with id {widget_id!r} on screen {self.screen!r}")

    def find_all(self, class_name: str) -> list[Any]:
        return [w for w in self.app.current_screen().walk(restrict=True) if type(w).__name__ == class_name]

    def tap(self, widget: Any) -> float:
        """Touch the middle of a widget as a finger would; returns the seconds to let it settle."""
        from kivy.tests.common import UnitTestTouch

        x, y = widget.to_window(*widget.center)
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        touch.touch_up()
        return TAP_SETTLE_S

    def tap_id(self, widget_id: str) -> float:
        return self.tap(self.find(widget_id))

    def drag(self, widget: Any, dy: float) -> float:
        """Drag a finger up (dy > 0) across a widget, as when scrolling a page."""
        from kivy.tests.common import UnitTestTouch

        x, y = widget.to_window(*widget.center)
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        steps = 10
        for step in range(1, steps + 1):
            touch.touch_move(x, y + dy * step / steps)
        touch.touch_up()
        return 0.5

    def advance(self, seconds: float) -> None:
        self.clock.seconds += seconds
        self.app.tick()

    def screenshot(self, name: str) -> Path:
        from kivy.core.window import Window

        made = Path(Window.screenshot(name=str(self.out / f"{name}.png")))
        target = self.out / f"{name}.png"
        shutil.move(made, target)
        return target

    def visible_text(self) -> str:
        """Every label's text on the current screen, as one string."""
        from kivy.uix.label import Label

        return "\n".join(w.text for w in self.app.current_screen().walk(restrict=True) if isinstance(w, Label) and w.opacity > 0)


def kiosk_on_a_fake_clock(config_path: Path, start: dt.datetime = START) -> tuple[Any, FakeClock]:
    """The kiosk app for ``config_path`` (not yet running), its wall and monotonic clocks ``start``-ed and moved by hand."""
    from kiosk.app import KioskApp, configure_kivy
    from kiosk.config import load_config
    from kiosk.services import make_services

    config = load_config(config_path)
    configure_kivy(config)
    clock = FakeClock(start)
    services = make_services(config, clock.now)
    services.monotonic = clock.monotonic
    return KioskApp(services), clock


def run(scenario: Callable[[Driver], Iterator[float]], config_path: Path, out: Path, start: dt.datetime = START) -> int:
    app, clock = kiosk_on_a_fake_clock(config_path, start)
    driver = Driver(app, clock, out)
    result: dict[str, Any] = {"ok": False, "error": "the scenario did not finish"}
    from kivy.clock import Clock

    steps = scenario(driver)

    def step(_dt: float) -> None:
        try:
            delay = next(steps)
        except StopIteration:
            faults = "; ".join(app.faults)
            result.update(ok=not faults, error=f"the app survived faults a visitor would notice: {faults}" if faults else "")
            app.quit()
        except BaseException:  # the scenario failed: report it to the test
            result.update(ok=False, error=traceback.format_exc())
            app.quit()
        else:
            Clock.schedule_once(step, delay)

    app.bind(on_start=lambda *_: Clock.schedule_once(step, 0.5))
    app.run()
    if driver.expect_quit and app.quitting and result["error"] == "the scenario did not finish":
        result.update(ok=True, error="")
    (out / "result.json").write_text(json.dumps(result))
    return 0 if result["ok"] else 1


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario")
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--start", type=dt.datetime.fromisoformat, default=START, help="local time the clock starts at")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("KIVY_HOME", str(args.out / "kivy-home"))
    module, _, name = args.scenario.rpartition(".")  # "rating_flow" or "feedback_scenarios.rating_flow"
    scenarios = importlib.import_module(f"tests.screens.{module or 'scenarios'}")
    return run(getattr(scenarios, name), args.config, args.out, args.start)


if __name__ == "__main__":
    sys.exit(main())
