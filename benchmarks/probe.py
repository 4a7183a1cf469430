"""One measurement in a fresh process (a Kivy app runs once per process); prints one JSON line.

    python -m benchmarks.probe bare|bare-no-multisampling|bare-churn|kiosk-start|kiosk-touch|kiosk-memory START_TIME

START_TIME is the parent's time.time() just before it started this process, so cold start is
measured from process launch to the first frame drawn.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import time
from typing import Any

from kiosk.memory import resident_mib

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")

TOUCHES = 170
SWITCHES = 1000
ROUTE = [("disclosures", {}), ("document", {"kind": "rules"}), ("staff", {}), ("services", {}),
         ("document", {"kind": "service", "service_id": "legal_aid"}), ("guide", {}), ("ticket", {}),
         ("appointment", {}), ("rating_ticket", {}), ("rating", {}), ("complaint", {}), ("home", {})]


REST_S = 3.5  # long enough for the kiosk to find itself at rest and give back what screens left (kiosk/memory.py)


def after_next_frame(callback: Any) -> None:
    """Call ``callback(time)`` right after the next frame is drawn."""
    from kivy.core.window import Window

    def flipped(*_args: Any) -> None:
        Window.unbind(on_flip=flipped)
        callback(time.perf_counter())

    Window.bind(on_flip=flipped)


def bare_window(multisamples: bool = True) -> None:
    """The bare apps' window: the kiosk's portrait size; Kivy's default multisampling (2x) unless
    told otherwise (the kiosk draws without it, kiosk/app.py configure_kivy)."""
    from kivy.config import Config

    Config.set("graphics", "width", "1080")
    Config.set("graphics", "height", "1920")
    if not multisamples:
        Config.set("graphics", "multisamples", "0")


def bare(started: float, multisamples: bool = True) -> None:
    from kivy.app import App
    from kivy.uix.label import Label

    bare_window(multisamples)

    class Bare(App):
        def build(self) -> Label:
            return Label(text="Hello")

        def on_start(self) -> None:
            after_next_frame(lambda _t: self.finish())

        def finish(self) -> None:
            print(json.dumps({"cold_start_s": time.time() - started, "rss_mib": resident_mib()}))
            self.stop()

    Bare().run()


def bare_no_multisampling(started: float) -> None:
    bare(started, multisamples=False)


def bare_churn(_started: float) -> None:
    """The memory baseline: a bare Kivy app that replaces 8 paragraphs of Chinese text SWITCHES
    times, drawn as the kiosk draws (no multisampling)."""
    from kivy.app import App
    from kivy.clock import Clock
    from kivy.core.text import DEFAULT_FONT, LabelBase
    from kivy.uix.boxlayout import BoxLayout
    from kivy.uix.label import Label

    from kiosk.paths import BUNDLED_FONT

    bare_window(multisamples=False)
    LabelBase.register(DEFAULT_FONT, str(BUNDLED_FONT))
    text = "为经济困难公民和符合法定条件的其他当事人无偿提供法律咨询、代拟法律文书、诉讼代理、刑事辩护等法律服务。"
    figures: dict[str, float] = {}

    class Churn(App):
        count = 0

        def build(self) -> BoxLayout:
            self.box = BoxLayout(orientation="vertical")
            return self.box

        def on_start(self) -> None:
            figures["rss_start_mib"] = resident_mib()
            Clock.schedule_once(self.step, 0.2)

        def step(self, *_args: Any) -> None:
            if self.count == SWITCHES // 2:
                figures["rss_half_mib"] = resident_mib()
            if self.count >= SWITCHES:  # read as the kiosk's figure is: after REST_S
                Clock.schedule_once(self.finish, REST_S)
                return
            self.box.clear_widgets()
            for index in range(8):
                self.box.add_widget(Label(text=f"{index}{text}", font_size=40, text_size=(1000, None)))
            self.count += 1
            Clock.schedule_once(self.step, 0)

        def finish(self, *_args: Any) -> None:
            figures["rss_end_mib"] = resident_mib()
            print(json.dumps(figures))
            self.stop()

    Churn().run()


def kiosk_app() -> Any:
    from kiosk.app import KioskApp, configure_kivy
    from kiosk.config import load_config
    from kiosk.paths import PROJECT_DIR
    from kiosk.services import make_services

    # A long run must not meet the idle timeout, which would reset the kiosk to its attract screen.
    config = dataclasses.replace(load_config(PROJECT_DIR / "kiosk.ini"), idle_timeout=3600)
    configure_kivy(config)
    return KioskApp(make_services(config))


def kiosk_start(started: float) -> None:
    app = kiosk_app()

    def on_start(*_args: Any) -> None:
        app.start_visit()
        after_next_frame(lambda _t: finish())

    def finish() -> None:
        print(json.dumps({"cold_start_s": time.time() - started, "rss_mib": resident_mib()}))
        app.stop()

    app.bind(on_start=on_start)
    app.run()


def kiosk_touch(_started: float) -> None:
    """Touch a tile or button, and time until the next screen's first frame is drawn."""
    from kivy.clock import Clock
    from kivy.tests.common import UnitTestTouch

    app = kiosk_app()
    samples: list[float] = []
    # A visit: disclosures and their pages, every service's detail in turn, the guide, and the
    # language toggle now and then, so first drawings and rebuilds are measured, not only revisits.
    services = len(app.content.services)
    scrolled_for = [-1]
    targets = ["disclosures", "rules", "back", "staff", "back", "notices", "back", "home", "services", "service", "back",
               "home", "guide", "choice", "back", "language", "home"]

    def touch_next(*_args: Any) -> None:
        if len(samples) >= TOUCHES:
            samples.sort()
            p95 = samples[int(len(samples) * 0.95) - 1]
            print(json.dumps({"touch_to_screen_p50_ms": samples[len(samples) // 2] * 1000, "touch_to_screen_p95_ms": p95 * 1000}))
            app.stop()
            return
        target = targets[len(samples) % len(targets)]
        if target == "service":
            widget = [w for w in app.current_screen().walk() if type(w).__name__ == "ServiceButton"][len(samples) % services]
            if scrolled_for[0] != len(samples):  # as a visitor scrolls to a service low in the list
                scrolled_for[0] = len(samples)
                app.current_screen().ids.scroll.scroll_to(widget, animate=False)
                Clock.schedule_once(touch_next, 0.2)
                return
        elif target == "choice":
            widget = [w for w in app.current_screen().walk() if type(w).__name__ == "GuideChoiceButton"][0]
        else:
            widget = find(app.current_screen(), target)
        if min(widget.size) < MIN_LAID_OUT_PX:  # the screen is not laid out yet: touch when it is
            Clock.schedule_once(touch_next, 0.05)
            return
        x, y = widget.to_window(*widget.center)
        began = time.perf_counter()
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        touch.touch_up()
        after_next_frame(lambda drawn: record(drawn - began))

    def record(seconds: float) -> None:
        samples.append(seconds)
        Clock.schedule_once(touch_next, 0.05)

    def on_start(*_args: Any) -> None:
        app.start_visit()
        Clock.schedule_once(touch_next, 0.5)

    app.bind(on_start=on_start)
    app.run()


MIN_LAID_OUT_PX = 60


def find(root: Any, widget_id: str) -> Any:
    for widget in root.walk(restrict=True):
        if widget_id in getattr(widget, "ids", {}):
            return widget.ids[widget_id]
    raise LookupError(widget_id)


def kiosk_memory(_started: float) -> None:
    """Switch screens SWITCHES times, drawing each; resident memory after half and at the end,
    each read right away (busy) and once the kiosk has rested REST_S (as between two touches)."""
    from kivy.clock import Clock

    app = kiosk_app()
    figures: dict[str, float] = {}
    count = [0]

    def rest_then_read(name: str, then: Any) -> None:
        figures[f"rss_{name}_busy_mib"] = resident_mib()

        def read(*_args: Any) -> None:
            figures[f"rss_{name}_mib"] = resident_mib()
            then()

        Clock.schedule_once(read, REST_S)

    def finish() -> None:
        figures["growth_last_half_mib"] = figures["rss_end_mib"] - figures["rss_half_mib"]
        figures["rss_peak_mib"] = resident_mib("VmHWM")
        print(json.dumps(figures))
        app.stop()

    def switch(*_args: Any) -> None:
        if count[0] == SWITCHES // 2 and "rss_half_mib" not in figures:
            rest_then_read("half", lambda: Clock.schedule_once(switch, 0))
            return
        if count[0] >= SWITCHES:
            rest_then_read("end", finish)
            return
        name, params = ROUTE[count[0] % len(ROUTE)]
        if count[0] % 50 == 25:
            app.toggle_language()
        app.show(name, **params)
        count[0] += 1
        Clock.schedule_once(switch, 0)

    def on_start(*_args: Any) -> None:
        app.start_visit()
        figures["rss_start_mib"] = resident_mib()
        Clock.schedule_once(switch, 0.2)

    app.bind(on_start=on_start)
    app.run()


MODES = {
    "bare": bare,
    "bare-no-multisampling": bare_no_multisampling,
    "bare-churn": bare_churn,
    "kiosk-start": kiosk_start,
    "kiosk-touch": kiosk_touch,
    "kiosk-memory": kiosk_memory,
}

if __name__ == "__main__":
    MODES[sys.argv[1]](float(sys.argv[2]))
