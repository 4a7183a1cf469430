"""The soak test (issue 6): the real kiosk left running while visitors come and go.

    python -m benchmarks.soak [--minutes 20] [--warmup-minutes M] [--warmup-rounds 6] [--visits N] [--replay] [--seed 6]

One kiosk runs under Xvfb in a child process: the sample content copied to a temporary folder,
its data folder there too, a printer writing to a file, no central server. The attract screen
idles, then a visitor touches it and follows a flow with real touch events: the disclosures and
the staff, a service's detail and its printed checklist, the guide, taking and printing a ticket
(or the checklist when the queues are closed), rating a service, filing a complaint or
suggestion, switching language and large text; the visit ends with Home or by walking away until
the idle timeout. The kiosk's clocks (``services.now`` and ``services.monotonic``) move only when
the soak moves them: minutes at a time while the attract screen idles, over nights and weekends,
so idle timeouts and day changes come quickly.

The warm-up plays rounds of every flow (each round in another language and text size, so that
six rounds show every flow in Chinese and English, normal and large text), then random visits
for ``--warmup-minutes`` (a quarter of ``--minutes`` unless given): the first drawing of each
screen and the caches that fill up to their bounds (Kivy's fonts, the receipt preview's glyphs)
come before the first sample. Then random visits follow until the time or the number of visits
is up. Both samples are taken just after the warm-up's last round played once more, so that they
follow the same touches. With ``--replay`` that round is played again and again instead of
random visits (the same touches on the same weekdays: anything that grows is a leak).

After each visit, on the attract screen, the garbage is collected and the heap's free pages are
given back to the system (glibc's malloc_trim): resident memory (VmRSS) then counts what the
kiosk holds, not what glibc kept of a freed picture, which moves by tens of MiB from one visit to
the next. It is sampled with the open file descriptors after the warm-up and at the end, and after
every visit for the trace in the figures; the peak (VmHWM) is reported too. Targets: resident
memory grows at most 10 MiB and no file descriptor leaks. Kivy keeps one open font file for each
font and size it has drawn, at most 64 (its own bound), so those are counted apart: the other
descriptors must not grow, and the fonts stay within Kivy's bound. Prints one JSON object; exit
status 1 when a target is missed, a flow failed or the kiosk caught a fault.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("KIVY_NO_ARGS", "1")  # the soak's own options are not Kivy's
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")

from kiosk.memory import give_back_free_memory, resident_mib  # noqa: E402
from kiosk.paths import PROJECT_DIR, SAMPLE_CONTENT_DIR  # noqa: E402
from tests.screens.driver import Driver, kiosk_on_a_fake_clock  # noqa: E402
from tests.screens.scenarios import open_ticket_screen, wait_for  # noqa: E402

TARGETS = {"rss_growth_mib_max": 10, "other_fd_growth_max": 0, "font_files_max": 64}
START = dt.datetime(2026, 11, 23, 8, 50)  # a Monday, ten minutes before the queues open
SETTLE = 0.1  # seconds to let a screen draw after a touch (a touch changes screens at once)
WAIT_SECONDS = 20.0  # at most, for the printer or the ticket desk on their threads
ATTRACT_STEP_S = 0.3  # wall seconds of attract screen for each jump of the kiosk's clock
KEPT_ERRORS = 10
TRACE_POINTS = 30  # resident memory after at most this many visits, evenly spread, in the figures
FONT_SUFFIXES = (".otf", ".ttf", ".ttc")


# ----- the parent: a temporary kiosk, the child process, the figures ---------------------------


@dataclass(frozen=True)
class Plan:
    """How long and how to soak: ``seconds`` of visits after the warm-up (or ``visits`` of them,
    whichever ends first), after ``warmup_rounds`` rounds and ``warmup_seconds`` of random visits."""

    seconds: float
    visits: int | None = None
    warmup_rounds: int = 6
    warmup_seconds: float = 0.0
    replay: bool = False
    seed: int = 6

    def arguments(self) -> list[str]:
        found = ["--seconds", str(self.seconds), "--warmup-rounds", str(self.warmup_rounds),
                 "--warmup-seconds", str(self.warmup_seconds), "--seed", str(self.seed)]
        found += ["--visits", str(self.visits)] if self.visits is not None else []
        return found + (["--replay"] if self.replay else [])


def measure(plan: Plan) -> dict[str, Any]:
    """Soak a fresh kiosk as ``plan`` says and return the figures, with ``passed`` against the targets."""
    if plan.warmup_rounds < 1:
        raise SystemExit("benchmarks.soak: --warmup-rounds: expected 1 or more (the last round is played before each sample), "
                         f"got {plan.warmup_rounds}")
    work = Path(tempfile.mkdtemp(prefix="kiosk-soak-"))
    try:
        config = write_kiosk_ini(work)
        command = [sys.executable, "-m", "benchmarks.soak", "--child", str(config), *plan.arguments()]
        if not os.environ.get("DISPLAY"):
            command = ["xvfb-run", "-a", "-s", "-screen 0 1920x1920x24", *command]
        env = {**os.environ, "KIVY_HOME": str(work / "kivy-home"), "TZ": "Asia/Shanghai"}
        timeout = plan.seconds + plan.warmup_seconds + 900
        finished = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=timeout)
        lines = [line for line in finished.stdout.splitlines() if line.startswith("{")]
        if finished.returncode != 0 or not lines:
            raise SystemExit(f"benchmarks.soak: the kiosk failed: {finished.stderr.strip().splitlines()[-3:]}")
        figures: dict[str, Any] = json.loads(lines[-1])
        if "rss_end_mib" not in figures:
            raise SystemExit(f"benchmarks.soak: the soak stopped early: {figures['first_errors']}")
        figures["stored"] = stored_records(work / "data")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    figures["rss_growth_mib"] = round(figures["rss_end_mib"] - figures["rss_warm_mib"], 1)
    figures["other_fd_growth"] = figures["other_fds_end"] - figures["other_fds_warm"]
    figures["targets"] = TARGETS
    figures["passed"] = (
        figures["rss_growth_mib"] <= TARGETS["rss_growth_mib_max"]
        and figures["other_fd_growth"] <= TARGETS["other_fd_growth_max"]
        and figures["font_files_end"] <= TARGETS["font_files_max"]
        and not figures["flow_errors"]
        and not figures["faults"]
    )
    return figures


def write_kiosk_ini(work: Path) -> Path:
    content = work / "content"
    shutil.copytree(SAMPLE_CONTENT_DIR, content)
    ini = work / "kiosk.ini"
    ini.write_text(
        f"[kiosk]\nid = kiosk-01\norientation = portrait\nlanguage = zh_CN\nfullscreen = no\nidle_timeout = 60\n"
        f"content_dir = {content}\ndata_dir = {work / 'data'}\n\n[printer]\ntype = file\npath = printer-output.bin\n\n[server]\nurl =\n",
        encoding="utf-8",
    )
    return ini


def stored_records(data_dir: Path) -> dict[str, Any]:
    """What the kiosk's database holds after the soak: tickets (and on how many days), ratings,
    complaints and print jobs by state."""
    with sqlite3.connect(data_dir / "kiosk.sqlite3") as db:
        tickets, days = db.execute("SELECT count(*), count(DISTINCT day) FROM tickets").fetchone()
        outbox = dict(db.execute("SELECT kind, count(*) FROM outbox GROUP BY kind").fetchall())
        prints = dict(db.execute("SELECT state, count(*) FROM print_jobs GROUP BY state").fetchall())
    printed = data_dir / "printer-output.bin"
    return {"tickets": tickets, "ticket_days": days, "ratings": outbox.get("rating", 0), "complaints": outbox.get("complaint", 0),
            "print_jobs": prints, "printer_bytes": printed.stat().st_size if printed.exists() else 0}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak")
    parser.add_argument("--minutes", type=float, default=20.0, help="wall time of visits after the warm-up (default 20)")
    parser.add_argument("--seconds", type=float, help="the same in seconds (instead of --minutes)")
    parser.add_argument("--warmup-minutes", type=float, help="random visits after the warm-up rounds (default: a quarter of --minutes)")
    parser.add_argument("--warmup-seconds", type=float, help="the same in seconds")
    parser.add_argument("--warmup-rounds", type=int, default=6, help="rounds of every flow before the random warm-up (default 6)")
    parser.add_argument("--visits", type=int, help="stop after this many visits after the warm-up")
    parser.add_argument("--replay", action="store_true", help="play the warm-up's last round again and again instead of random visits")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)  # the kiosk.ini of the kiosk to run in this process
    args = parser.parse_args()
    seconds = args.seconds if args.seconds is not None else args.minutes * 60
    warmup = seconds / 4 if args.warmup_minutes is None else args.warmup_minutes * 60
    warmup = args.warmup_seconds if args.warmup_seconds is not None else warmup
    plan = Plan(seconds, args.visits, args.warmup_rounds, 0.0 if args.replay else warmup, args.replay, args.seed)
    if args.child:
        return run_kiosk(args.child, plan)
    figures = measure(plan)
    print(json.dumps(figures, indent=2))
    return 0 if figures["passed"] else 1


# ----- the child: the kiosk and its visitors ----------------------------------------------------


def open_files() -> list[str]:
    """What each of this process's open file descriptors is open on."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            found.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:  # the descriptor os.listdir itself used, closed by now
            continue
    return found


def run_kiosk(config_path: Path, plan: Plan) -> int:
    """Run the kiosk in this process with the visitors of :class:`Visitors`; print the figures as one JSON line."""
    from kivy.clock import Clock

    app, clock = kiosk_on_a_fake_clock(config_path, START)
    visitors = Visitors(Driver(app, clock, config_path.parent), plan.seed)
    steps = visitors.run(plan)

    def step(_dt: float) -> None:
        try:
            delay = next(steps)
        except StopIteration:
            app.quit()
        except Exception as problem:  # noqa: BLE001 - the soak itself failed: say where, and end
            visitors.record("the soak", problem)
            app.quit()
        else:
            Clock.schedule_once(step, delay)

    def on_start(*_args: Any) -> None:
        assert app.manager is not None
        app.manager.bind(current=lambda _manager, name: visitors.shown.update([name]))
        Clock.schedule_once(step, 0.5)

    app.bind(on_start=on_start)
    app.run()
    print(json.dumps(visitors.figures()))
    return 0


@dataclass(frozen=True)
class Visit:
    flow: str
    english: bool
    large: bool
    seed: int  # of the visitor's own choices (which service, which level, how long the attract screen idles)


def warmup_round(number: int) -> list[Visit]:
    """Every flow once, each round in another language and text size."""
    return [Visit(name, (index + number) % 2 == 1, (index + number) % 3 == 0, 1000 * number + index) for index, name in enumerate(FLOWS)]


class Visitors:
    """Visits one after another: the attract screen idling, a flow, the end of the visit."""

    def __init__(self, d: Driver, seed: int) -> None:
        self.d, self.rng = d, random.Random(seed)
        self.flows: Counter[str] = Counter()
        self.shown: Counter[str] = Counter()
        self.errors: list[str] = []
        self.error_count = 0
        self.rss_after_visits: list[float] = []
        self.figures_at: dict[str, Any] = {}
        self.opened: dict[str, list[str]] = {}

    def run(self, plan: Plan) -> Iterator[float]:
        """The warm-up, the first sample, the visits until the time or their number is up, the last sample."""
        began = time.monotonic()
        rounds = [warmup_round(number) for number in range(plan.warmup_rounds)]
        for visits in rounds:
            yield from self.play(visits, new_week=True)
        yield from self.random_visits(time.monotonic() + plan.warmup_seconds, None)
        if plan.warmup_seconds > 0:
            yield from self.play(rounds[-1], new_week=True)
        self.figures_at["visits_warmup"] = sum(self.flows.values())
        self.figures_at["warmup_s"] = round(time.monotonic() - began, 1)
        yield from self.sample("warm")
        began = time.monotonic()
        if plan.replay:
            last = self.figures_at["visits_warmup"] + (plan.visits if plan.visits is not None else 10**9)
            while time.monotonic() - began < plan.seconds and sum(self.flows.values()) < last:
                yield from self.play(rounds[-1], new_week=True)
        else:
            yield from self.random_visits(began + plan.seconds, plan.visits)
            yield from self.play(rounds[-1], new_week=True)
        self.figures_at["visits_measured"] = sum(self.flows.values()) - self.figures_at["visits_warmup"]
        self.figures_at["soak_s"] = round(time.monotonic() - began, 1)
        yield from self.sample("end")

    def random_visits(self, deadline: float, count: int | None) -> Iterator[float]:
        """Visits of random flows, in a random language and text size, until ``deadline`` or ``count`` of them."""
        played = 0
        while time.monotonic() < deadline and (count is None or played < count):
            english, large = self.rng.random() < 0.3, self.rng.random() < 0.2
            yield from self.play([Visit(self.rng.choice(list(FLOWS)), english, large, self.rng.randrange(10**9))], new_week=False)
            played += 1

    def play(self, visits: list[Visit], new_week: bool) -> Iterator[float]:
        """``visits`` one after another; a new week starts them on the next Monday morning, so a
        round played again meets the same opening hours."""
        d = self.d
        now = d.clock.now()
        if new_week and now > START:
            monday = dt.datetime.combine(now.date() + dt.timedelta(days=7 - now.weekday()), START.time())
            d.advance((monday - now).total_seconds())
        for visit in visits:
            yield from self.visit(visit)

    def visit(self, visit: Visit) -> Iterator[float]:
        d, rng = self.d, random.Random(visit.seed)
        yield from self.idle_on_attract(rng)
        try:
            yield d.tap(d.app.current_screen())
            assert d.screen == "home", d.screen
            if visit.english:
                yield tap_id(d, "language")
            if visit.large:
                yield tap_id(d, "large_text")
            yield from FLOWS[visit.flow](d, rng)
            if rng.random() < 0.5 and d.find("home").opacity > 0:
                yield tap_id(d, "home")
        except Exception as problem:  # noqa: BLE001 - counted and reported; the next visitor comes anyway
            self.record(f"{visit.flow} on {d.screen}", problem)
        self.flows[visit.flow] += 1
        d.advance(d.app.services.config.idle_timeout + 1)  # the visitor walks away
        yield 0.3
        if d.screen != "attract":
            self.record(visit.flow, AssertionError(f"the idle timeout left the kiosk on {d.screen}"))
            d.app.end_visit()
        gc.collect()
        give_back_free_memory()
        self.rss_after_visits.append(resident_mib())

    def record(self, where: str, problem: Exception) -> None:
        self.error_count += 1
        if len(self.errors) < KEPT_ERRORS:
            self.errors.append(f"{where}: {type(problem).__name__}: {problem}")

    def idle_on_attract(self, rng: random.Random) -> Iterator[float]:
        """A moment of attract screen while the kiosk's clock runs minutes ahead, past closing
        time to the next morning, past the weekend."""
        d = self.d
        for _ in range(rng.randint(1, 3)):
            d.advance(rng.uniform(60, 1200))
            now = d.clock.now()
            if now.hour >= 18:
                morning = dt.datetime.combine(now.date() + dt.timedelta(days=1), START.time())
                d.advance((morning - now).total_seconds())
            yield ATTRACT_STEP_S

    def sample(self, name: str) -> Iterator[float]:
        """Resident memory (as the last visit left it) and open files, on the attract screen."""
        yield 1.0
        opened = open_files()
        fonts = sum(path.endswith(FONT_SUFFIXES) for path in opened)
        self.opened[name] = opened
        self.figures_at.update({
            f"rss_{name}_mib": round(self.rss_after_visits[-1], 1),
            f"rss_peak_{name}_mib": round(resident_mib("VmHWM"), 1),
            f"fds_{name}": len(opened),
            f"font_files_{name}": fonts,
            f"other_fds_{name}": len(opened) - fonts,
            f"threads_{name}": threading.active_count(),
        })

    def figures(self) -> dict[str, Any]:
        opened_since = Counter(self.opened.get("end", [])) - Counter(self.opened.get("warm", []))
        every = max(1, len(self.rss_after_visits) // TRACE_POINTS)
        return {
            **self.figures_at,
            "rss_after_visits_mib": [round(rss, 1) for rss in self.rss_after_visits[every - 1 :: every]],
            "flows": dict(sorted(self.flows.items())),
            "screens_shown": sum(self.shown.values()),
            "screens_distinct": len(self.shown),
            "kiosk_clock_days": round((self.d.clock.now() - START).total_seconds() / 86400, 1),
            "opened_since_warm": sorted(opened_since.elements()),
            "flow_errors": self.error_count,
            "first_errors": self.errors,
            "faults": list(self.d.app.faults),
        }


# ----- the flows: each a generator of touches, as in tests/screens/scenarios.py -----------------


def tap_id(d: Driver, widget_id: str) -> float:
    d.tap_id(widget_id)
    return SETTLE


def reach_and_tap(d: Driver, widget: Any) -> Iterator[float]:
    """Scroll a widget into sight when it lies in a list, as a visitor would, then touch it."""
    from kivy.uix.scrollview import ScrollView

    scroll = next((parent for parent in ancestors(widget) if isinstance(parent, ScrollView)), None)
    for _ in range(20):  # the list may still be laying itself out: scroll again until the widget is in sight
        if scroll is None or in_sight(scroll, widget):
            break
        scroll.scroll_to(widget, animate=False)
        yield SETTLE
    d.tap(widget)
    yield SETTLE


def in_sight(scroll: Any, widget: Any) -> bool:
    x, y = widget.to_window(*widget.center)
    left, bottom = scroll.to_window(scroll.x, scroll.y)
    return bool(left <= x <= left + scroll.width and bottom <= y <= bottom + scroll.height)


def ancestors(widget: Any) -> Iterator[Any]:
    parent = widget.parent
    while parent is not None and parent is not parent.parent:
        yield parent
        parent = parent.parent


def pick(d: Driver, rng: random.Random, class_name: str) -> Any:
    found = d.find_all(class_name)
    assert found, f"no {class_name} on {d.screen}"
    return rng.choice(found)


def maybe_scroll(d: Driver, rng: random.Random) -> Iterator[float]:
    if rng.random() < 0.5:
        yield d.drag(d.find("scroll"), rng.uniform(300, 900) * d.app.px)


def browse_disclosures(d: Driver, rng: random.Random) -> Iterator[float]:
    yield tap_id(d, "disclosures")
    for section in rng.sample(["scope", "commitments", "contact", "notices", "rules"], 2):
        yield tap_id(d, section)
        assert d.screen == "document", section
        yield from maybe_scroll(d, rng)
        yield tap_id(d, "back")
    yield tap_id(d, "staff")
    assert d.screen == "staff"
    yield from maybe_scroll(d, rng)
    yield tap_id(d, "back")


def service_checklist(d: Driver, rng: random.Random) -> Iterator[float]:
    yield tap_id(d, "services")
    yield from reach_and_tap(d, pick(d, rng, "ServiceButton"))
    assert d.screen == "document"
    yield from maybe_scroll(d, rng)
    if rng.random() < 0.5:
        yield tap_id(d, "print_checklist")
        yield from print_checklist(d)


def print_checklist(d: Driver) -> Iterator[float]:
    assert d.screen == "checklist"
    yield tap_id(d, "print")
    printed = d.app.tr(d.app.language, "checklist_printed")
    yield from wait_for(d, lambda: d.find("outcome").text == printed, WAIT_SECONDS, "the checklist to print")


def guide(d: Driver, rng: random.Random) -> Iterator[float]:
    yield tap_id(d, "guide")
    for _ in range(4):  # the sample guide is at most three questions deep
        if d.screen != "guide" or not d.find_all("GuideChoiceButton"):
            break
        yield from reach_and_tap(d, pick(d, rng, "GuideChoiceButton"))
    if rng.random() < 0.5:
        yield tap_id(d, "back")


def ticket(d: Driver, rng: random.Random) -> Iterator[float]:
    """A ticket when the queues are open; the checklist from a closed service's card when not."""
    yield from open_ticket_screen(d)
    buttons = d.find_all("TicketServiceButton")
    if not buttons:
        yield from reach_and_tap(d, pick(d, rng, "ClosedServiceCard").ids.checklist)
        yield from print_checklist(d)
        return
    yield from reach_and_tap(d, rng.choice(buttons))
    yield from wait_for(d, lambda: d.screen == "ticket_number", WAIT_SECONDS, "the ticket")
    printed = d.app.tr(d.app.language, "number_printed")
    yield from wait_for(d, lambda: d.find("outcome").text == printed, WAIT_SECONDS, "the ticket to print")
    d.advance(3)  # Done and the rating button wait a moment after the number comes
    if rng.random() < 0.5:
        yield tap_id(d, "rate")
        assert d.screen == "rating"
        yield from reach_and_tap(d, pick(d, rng, "LevelButton"))
        yield from rating_steps(d, rng)
    else:
        yield tap_id(d, "done")
        assert d.screen == "home"


def rating(d: Driver, rng: random.Random) -> Iterator[float]:
    yield tap_id(d, "rating")
    assert d.screen == "rating_ticket"
    if rng.random() < 0.5:
        yield from ticket_number(d, rng)
    else:
        yield tap_id(d, "skip")
    assert d.screen == "rating"
    yield from reach_and_tap(d, pick(d, rng, "LevelButton"))
    yield from rating_steps(d, rng)


def rating_steps(d: Driver, rng: random.Random) -> Iterator[float]:
    """After the level: reasons and a call-back phone for a bad one, then the thanks."""
    if d.screen == "rating_reasons":
        yield from tick_choices(d, rng)
        yield tap_id(d, "next")
        yield from phone_and_submit(d, rng)
    assert d.screen == "rating_done", d.screen


def complaint(d: Driver, rng: random.Random) -> Iterator[float]:
    yield tap_id(d, "complaint")
    yield from reach_and_tap(d, pick(d, rng, "KindButton"))
    yield from reach_and_tap(d, pick(d, rng, "CategoryButton"))
    assert d.screen == "complaint_ticket"
    if rng.random() < 0.3:
        yield from ticket_number(d, rng)
    else:
        yield tap_id(d, "skip")
    assert d.screen == "complaint_details"
    yield from tick_choices(d, rng)
    yield tap_id(d, "next")
    yield from phone_and_submit(d, rng)
    assert d.screen == "complaint_done"
    if rng.random() < 0.5:
        yield tap_id(d, "print")
        printed = d.app.tr(d.app.language, "complaint_printed")
        yield from wait_for(d, lambda: d.find("outcome").text == printed, WAIT_SECONDS, "the receipt to print")


def ticket_number(d: Driver, rng: random.Random) -> Iterator[float]:
    yield from reach_and_tap(d, pick(d, rng, "LetterButton"))
    for digit in str(rng.randint(1, 99)):
        d.tap_id(f"key_{digit}")
    yield tap_id(d, "key_confirm")


def tick_choices(d: Driver, rng: random.Random) -> Iterator[float]:
    choices = d.find_all("StepChoice")
    for choice in rng.sample(choices, min(len(choices), rng.randint(1, 2))):
        yield from reach_and_tap(d, choice)


def phone_and_submit(d: Driver, rng: random.Random) -> Iterator[float]:
    if rng.random() < 0.5:
        for digit in "13812345678":
            d.tap_id(f"key_{digit}")
        yield SETTLE
    yield tap_id(d, "submit")


def languages_and_large_text(d: Driver, rng: random.Random) -> Iterator[float]:
    yield tap_id(d, "services")
    for _ in range(3):
        yield tap_id(d, rng.choice(["language", "large_text"]))
    yield from reach_and_tap(d, pick(d, rng, "ServiceButton"))
    yield tap_id(d, "language")
    yield tap_id(d, "back")


FLOWS: dict[str, Callable[[Any, random.Random], Iterator[float]]] = {
    "disclosures_and_staff": browse_disclosures,
    "service_and_checklist": service_checklist,
    "guide": guide,
    "ticket": ticket,
    "rating": rating,
    "complaint": complaint,
    "language_and_large_text": languages_and_large_text,
}

if __name__ == "__main__":
    sys.exit(main())
