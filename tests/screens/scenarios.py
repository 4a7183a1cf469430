"""UI scenarios played by tests/screens/driver.py in a real Kivy window (see test_screens.py).

Each is a generator: it touches widgets by id as a finger would, asserts what a visitor would
notice, takes screenshots to look at, and yields the seconds to let the screen settle.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from tests.screens.driver import Driver

MIN_TARGET_PX = 96  # at a 1080-pixel short side: 15 mm or more on any panel of 15.6" and up


def check_touch_targets(d: Driver) -> None:
    """Every button a visitor can press is at least a fingertip wide and high, on the screen, with its words inside."""
    from kivy.core.window import Window
    from kivy.uix.behaviors import ButtonBehavior
    from kivy.uix.scrollview import ScrollView

    scale = d.app.px
    bars = d.find_all("BottomBar")
    bar_top = bars[0].to_window(bars[0].x, bars[0].top)[1] if bars else 0
    for widget in d.app.current_screen().walk(restrict=True):
        if isinstance(widget, ButtonBehavior) and widget.opacity > 0 and not widget.disabled:
            assert widget.height >= MIN_TARGET_PX * scale, (d.screen, widget.text, widget.height)
            assert widget.width >= MIN_TARGET_PX * scale, (d.screen, widget.text, widget.width)
            assert widget.texture_size[0] <= widget.width + 1, ("words overflow", d.screen, widget.text)
            if not any(isinstance(parent, ScrollView) for parent in ancestors(widget)):
                left, bottom = widget.to_window(widget.x, widget.y)
                assert left >= 0 and left + widget.width <= Window.width + 1, ("off screen", d.screen, widget.text)
                if bars and bars[0] not in ancestors(widget):
                    assert bottom >= bar_top - 1, ("hidden under the bottom bar", d.screen, widget.text)


def ancestors(widget: object) -> list[object]:
    found = []
    parent = getattr(widget, "parent", None)
    while parent is not None and parent not in found:
        found.append(parent)
        parent = getattr(parent, "parent", None)
    return found


def check_words(d: Driver, expect_chinese: bool) -> None:
    """No interface key shows instead of words, no calm error message, and the chosen language."""
    assert not d.app.message and not d.app.faults, d.app.faults
    text = d.visible_text()
    assert "{" not in text and "tile_" not in text and "label_" not in text, text[:300]
    has_chinese = any("\u4e00" <= ch <= "\u9fff" for ch in text)
    if expect_chinese:
        assert has_chinese, text[:300]


def tour(d: Driver) -> Iterator[float]:
    """Every screen reached from home and back, with a screenshot of each."""
    english = d.app.language == "en"
    yield 0.3
    assert d.screen == "attract"
    d.screenshot("attract")
    yield d.tap(d.app.current_screen())
    assert d.screen == "home"
    check_touch_targets(d)
    check_words(d, not english)
    if english:
        assert "Public disclosures" in d.visible_text()
    else:
        assert "公开公示" in d.visible_text()
    d.screenshot("home")
    yield d.tap_id("disclosures")
    assert d.screen == "disclosures"
    check_touch_targets(d)
    d.screenshot("disclosures")
    for section in ("scope", "commitments", "contact", "notices", "rules"):
        yield d.tap_id(section)
        assert d.screen == "document", section
        blocks = d.find("scroll").data
        assert blocks, section
        assert blocks[0]["text"] in d.visible_text(), "the first lines of the document are drawn"
        if section == "notices":
            shown = "".join("".join(block["text"].split()) for block in blocks)  # lines are wrapped: compare without spaces
            today = d.clock.now().date()
            for notice in d.app.content.notices:
                title = "".join(notice.title.get(d.app.language).split())
                assert (title in shown) == notice.visible_on(today), (title, "expired notices are hidden, current ones shown")
        check_touch_targets(d)
        check_words(d, not english)
        d.screenshot(f"document_{section}")
        yield d.tap_id("back")
        assert d.screen == "disclosures"
    yield d.tap_id("staff")
    assert d.screen == "staff"
    check_touch_targets(d)
    d.screenshot("staff")
    yield d.tap_id("back")
    assert d.screen == "disclosures"
    yield d.tap_id("services")
    assert d.screen == "services"
    check_touch_targets(d)
    d.screenshot("services")
    buttons = d.find_all("ServiceButton")
    assert len(buttons) == len(d.app.content.services)
    yield d.tap(buttons[1])
    assert d.screen == "document"
    assert d.find("title").text == d.app.content.services[1].name.get(d.app.language)
    d.screenshot("service_detail")
    yield d.tap_id("back")
    assert d.screen == "services"
    yield d.tap_id("home")
    assert d.screen == "home"
    yield d.tap_id("guide")
    assert d.screen == "guide"
    check_touch_targets(d)
    d.screenshot("guide")
    yield d.tap_id("back")
    assert d.screen == "home"


def languages_and_large_text(d: Driver) -> Iterator[float]:
    """The toggles work on every screen and change what is shown at once."""
    yield d.tap(d.app.current_screen())
    yield d.tap_id("services")
    chinese_title = d.find("listing").children[-1].title
    yield d.tap_id("language")
    assert d.app.language == "en"
    english_title = d.find("listing").children[-1].title
    assert english_title != chinese_title and english_title.isascii(), english_title
    assert d.find("back").text == "Back"
    d.screenshot("services_en")
    before = d.find("back").font_size
    yield d.tap_id("large_text")
    assert d.app.large_text
    assert d.find("listing").children[-1].font_size > before
    check_touch_targets(d)
    d.screenshot("services_en_large")
    yield d.tap(d.find_all("ServiceButton")[0])
    d.screenshot("service_detail_en_large")
    yield d.tap_id("language")
    assert d.app.language == "zh_CN"
    assert d.find("back").text == "返回"
    d.screenshot("service_detail_zh_large")
    yield d.tap_id("large_text")
    assert not d.app.large_text


def idle_timeout(d: Driver) -> Iterator[float]:
    """After the idle timeout the kiosk returns to the attract screen and forgets the visitor."""
    yield d.tap(d.app.current_screen())
    yield d.tap_id("guide")
    start = d.app.content.guide.questions["start"]
    to_question = next(i for i, c in enumerate(start.choices) if c.goto.startswith("question."))
    yield d.tap(d.find_all("GuideChoiceButton")[to_question])
    assert len(d.app.current_screen().guide_walk.trail) == 2
    yield d.tap_id("language")
    yield d.tap_id("large_text")
    timeout = d.app.services.config.idle_timeout
    d.advance(timeout - 5)
    yield 0.2
    assert d.screen == "guide", "the visitor was still within the timeout"
    yield d.tap_id("back")  # a touch restarts the timeout
    d.advance(timeout - 1)
    yield 0.2
    assert d.screen == "guide"
    d.advance(2)
    yield 0.3
    assert d.screen == "attract"
    assert d.app.language == d.app.services.config.language
    assert not d.app.large_text
    assert d.app.history == []
    d.screenshot("attract_after_idle")
    yield d.tap(d.app.current_screen())
    assert d.screen == "home"
    yield d.tap_id("guide")
    assert d.app.current_screen().guide_walk.trail == ["start"], "the guide starts over for the next visitor"
    yield d.tap_id("home")
    assert d.screen == "home"
    assert d.find("back").opacity == 0, "home offers no way back into the previous visitor's screens"


def guide_walk(d: Driver) -> Iterator[float]:
    """The guide leads to a service's detail, or says where to go for matters outside the center."""
    guide = d.app.content.guide
    yield d.tap(d.app.current_screen())
    yield d.tap_id("guide")
    start = guide.questions["start"]
    to_question = next(i for i, c in enumerate(start.choices) if c.goto.startswith("question."))
    to_service = next(i for i, c in enumerate(start.choices) if c.goto.startswith("service."))
    yield d.tap(d.find_all("GuideChoiceButton")[to_service])
    service_id = start.choices[to_service].goto.split(".")[1]
    service_name = d.app.content.service(service_id).name.zh
    assert service_name in d.find("question").text
    d.screenshot("guide_answer_service")
    yield d.tap_id("back")
    assert d.screen == "guide" and d.find("question").text == start.text.zh
    yield d.tap(d.find_all("GuideChoiceButton")[to_question])
    second = guide.questions[start.choices[to_question].goto.split(".")[1]]
    assert d.find("question").text == second.text.zh
    to_outside = next(i for i, c in enumerate(second.choices) if c.goto.startswith("outside."))
    yield d.tap(d.find_all("GuideChoiceButton")[to_outside])
    outside = guide.outside[second.choices[to_outside].goto.split(".")[1]]
    assert outside.title.zh in d.find("question").text
    assert d.find("detail").text == outside.text.zh
    d.screenshot("guide_answer_outside")
    yield d.tap_id("back")
    yield d.tap_id("back")
    assert d.find("question").text == start.text.zh
    yield d.tap(d.find_all("GuideChoiceButton")[to_service])
    yield d.tap(d.find_all("GuideChoiceButton")[-1])  # "see the service guide"
    assert d.screen == "document"
    assert d.find("title").text == service_name


def scroll_by_finger(d: Driver) -> Iterator[float]:
    """Long content scrolls when a finger drags it."""
    yield d.tap(d.app.current_screen())
    yield d.tap_id("disclosures")
    yield d.tap_id("rules")
    scroll = d.find("scroll")
    assert scroll.scroll_y == 1
    yield d.drag(scroll, 600 * d.app.px)
    assert scroll.scroll_y < 0.95, scroll.scroll_y
    d.screenshot("rules_scrolled")


def lockdown(d: Driver) -> Iterator[float]:
    """In full screen, Esc / Android back and Alt-F4 (a close request) never leave the app."""
    from kivy.core.window import Window

    assert d.app.services.config.fullscreen
    yield d.tap(d.app.current_screen())
    yield d.tap_id("disclosures")
    Window.dispatch("on_keyboard", 27, 9, None, [])
    yield 0.3
    assert d.screen == "home", "Esc goes back, it does not quit"
    Window.dispatch("on_keyboard", 27, 9, None, [])
    Window.dispatch("on_keyboard", 27, 9, None, [])
    yield 0.3
    assert d.screen == "home"
    assert Window.dispatch("on_request_close") is True, "Alt-F4 is refused"
    yield 0.3
    assert d.screen == "home"
    assert not d.app.quitting


def admin_pin(d: Driver) -> Iterator[float]:
    """Five taps on the clock and the PIN open the admin screen; a broken content file is reported."""
    yield d.tap(d.app.current_screen())
    for _ in range(4):
        yield d.tap_id("clock")
    assert d.screen == "home", "four taps are not the gesture"
    yield d.tap_id("clock")
    assert d.screen == "pin"
    check_touch_targets(d)
    d.screenshot("pin")
    for key in "1111":
        yield d.tap_id(f"key_{key}")
    yield d.tap_id("key_enter")
    assert d.screen == "pin"
    assert d.find("status").text == d.app.tr("zh_CN", "pin_wrong")
    for key in "2580":
        yield d.tap_id(f"key_{key}")
    assert d.find("dots").text == "●●●●"
    yield d.tap_id("key_enter")
    assert d.screen == "admin"
    check_touch_targets(d)
    text = d.visible_text()
    assert d.app.content.version in text
    assert "kiosk-01" in text
    d.screenshot("admin")
    folder = d.app.services.config.content_dir
    notices = folder / "notices.ini"
    broken = re.sub(r"published = \d{4}-\d{2}-\d{2}", "published = 2026-13-01", notices.read_text(encoding="utf-8"), count=1)
    notices.write_text(broken, encoding="utf-8")
    yield d.tap_id("reload")
    text = d.visible_text()
    assert d.app.tr("zh_CN", "admin_reload_failed") in text
    assert "notices.ini" in text and "expected a real calendar date" in text, text
    assert d.app.content is not None
    d.screenshot("admin_reload_failed")
    d.expect_quit = True
    yield d.tap_id("quit")


def wait_for(d: Driver, done: Callable[[], bool], seconds: float = 15.0) -> Iterator[float]:
    """Frames until ``done()`` holds (the printer works on its own thread), at most ``seconds``."""
    for _ in range(int(seconds / 0.1)):
        if done():
            return
        yield 0.1
    raise AssertionError("waited too long for the printer thread")


def open_admin(d: Driver) -> Iterator[float]:
    for _ in range(5):
        yield d.tap_id("clock")
    for key in "2580":
        yield d.tap_id(f"key_{key}")
    yield d.tap_id("key_enter")
    assert d.screen == "admin"


def checklist_print(d: Driver) -> Iterator[float]:
    """Home -> checklist tile -> a service -> its preview -> Print: the slip comes out of the printer
    (here a file), and the visitor is told to take it. The service detail leads to the same slip."""
    english = d.app.language == "en"
    yield d.tap(d.app.current_screen())
    yield d.tap_id("checklist")
    assert d.screen == "services"
    assert d.find("title").text == d.app.tr(d.app.language, "checklist_pick_title")
    check_touch_targets(d)
    d.screenshot("checklist_services")
    service = d.app.content.service("legal_aid")
    yield d.tap(next(b for b in d.find_all("ServiceButton") if b.service_id == "legal_aid"))
    assert d.screen == "checklist"
    assert d.find("title").text == service.name.get(d.app.language)
    assert d.find("paper").texture is not None, "the visitor sees the slip before printing"
    check_touch_targets(d)
    check_words(d, not english)
    d.screenshot("checklist_preview")
    output = d.app.services.config.printer.path
    assert not output.exists()
    yield d.tap_id("print")
    yield d.tap_id("print")  # a second, impatient tap prints nothing more
    yield from wait_for(d, lambda: d.find("outcome").text == d.app.tr(d.app.language, "checklist_printed"))
    data = output.read_bytes()
    assert data.count(b"\x1b@") == 1, "one tap, one slip"
    assert service.name.get(d.app.language).encode("gbk") in data and b"\x1c&" in data, "the name went in Chinese mode"
    assert d.find("print").text == d.app.tr(d.app.language, "checklist_print_again")
    d.screenshot("checklist_printed")
    yield d.tap_id("home")
    yield d.tap_id("services")
    yield d.tap(next(b for b in d.find_all("ServiceButton") if b.service_id == "notarization"))
    assert d.screen == "document"
    check_touch_targets(d)
    d.screenshot("service_detail_with_print")
    yield d.tap_id("print_checklist")
    assert d.screen == "checklist"
    assert d.find("title").text == d.app.content.service("notarization").name.get(d.app.language)


def checklist_printer_down(d: Driver) -> Iterator[float]:
    """The printer does not answer: the visitor is told so in plain words and gets the QR code on
    screen; the job is kept as not printed, and staff see it in the admin screen to reprint."""
    yield d.tap(d.app.current_screen())
    yield d.tap_id("checklist")
    yield d.tap(next(b for b in d.find_all("ServiceButton") if b.service_id == "mediation"))
    yield d.tap_id("print")
    reason = d.app.tr(d.app.language, "printer_state_disconnected")
    yield from wait_for(d, lambda: reason in d.find("outcome").text)
    assert d.find("qr").opacity == 1 and d.find("qr").texture is not None, "the QR code is on screen instead"
    assert not d.find("print").disabled
    check_touch_targets(d)
    d.screenshot("checklist_printer_down")
    journal = d.app.services.printing.journal
    assert [job.state for job in journal.jobs()] == ["failed"], "the job is recorded as not printed"
    yield d.tap_id("home")
    yield from open_admin(d)
    yield from wait_for(d, lambda: reason in d.find("printer").text)
    rows = d.find_all("ReprintRow")
    assert len(rows) == 1 and "人民调解" in rows[0].text, [r.text for r in rows]
    check_touch_targets(d)
    d.screenshot("admin_printer")
    d.find("scroll").scroll_to(rows[0], animate=False)  # as staff would scroll to it
    yield 0.3
    yield d.tap(rows[0].ids.reprint)
    yield from wait_for(d, lambda: d.app.tr(d.app.language, "admin_job_failed", title="", reason="")[:4] in d.find("printer").text)
    assert journal.jobs()[0].attempts == 2, "the reprint was tried again"
