"""UI scenarios played by tests/screens/driver.py in a real Kivy window (see test_screens.py).

Each is a generator: it touches widgets by id as a finger would, asserts what a visitor would
notice, takes screenshots to look at, and yields the seconds to let the screen settle.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

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


def check_fits(d: Driver) -> None:
    """Outside scrolled lists, every word and picture on the screen lies between the top and bottom
    bars, and no label's words spill out of its box."""
    from kivy.uix.image import Image
    from kivy.uix.label import Label
    from kivy.uix.scrollview import ScrollView

    top_bar, bottom_bar = d.find_all("TopBar")[0], d.find_all("BottomBar")[0]
    ceiling = top_bar.to_window(top_bar.x, top_bar.y)[1]
    floor = bottom_bar.to_window(bottom_bar.x, bottom_bar.top)[1]
    for widget in d.app.current_screen().walk(restrict=True):
        if not isinstance(widget, (Label, Image)) or widget.opacity == 0 or widget.height == 0:
            continue
        if any(isinstance(parent, (ScrollView, type(top_bar), type(bottom_bar))) for parent in ancestors(widget)):
            continue
        what = (d.screen, getattr(widget, "text", "a picture")[:40])
        bottom = widget.to_window(widget.x, widget.y)[1]
        problem = ""
        if bottom < floor - 1 or bottom + widget.height > ceiling + 1:
            problem = "outside the space between the bars"
        elif isinstance(widget, Label) and widget.texture_size[1] > widget.height + 2:
            problem = f"words spill out of their box ({widget.texture_size[1]:.0f} high in {widget.height:.0f})"
        if problem:
            d.screenshot(f"{d.screen}-does-not-fit")
            raise AssertionError(problem, *what)


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


def wait_for(d: Driver, done: Callable[[], bool], seconds: float = 15.0, what: str = "the printer thread") -> Iterator[float]:
    """Frames until ``done()`` holds (the printer and the ticket desk work on their own threads), at most ``seconds``."""
    for _ in range(int(seconds / 0.1)):
        if done():
            return
        yield 0.1
    raise AssertionError(f"waited too long for {what}")


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


# ----- queue tickets


def tr(d: Driver, key: str, **values: Any) -> str:
    return str(d.app.tr(d.app.language, key, **values))


def service_name(d: Driver, service_id: str) -> str:
    return str(d.app.content.service(service_id).name.get(d.app.language))


def open_ticket_screen(d: Driver) -> Iterator[float]:
    """(Attract ->) home -> 取号, until the queues are listed."""
    if d.screen == "attract":
        yield d.tap(d.app.current_screen())
    yield d.tap_id("ticket")
    assert d.screen == "ticket"
    count = len(d.app.content.queues.queues)
    shown = lambda: len(d.find_all("TicketServiceButton")) + len(d.find_all("ClosedServiceCard"))  # noqa: E731
    yield from wait_for(d, lambda: shown() == count, what="the queues")
    yield 0.3  # let the list settle where a finger will find it


def ticket_button(d: Driver, service_id: str) -> Any:
    return next(b for b in d.find_all("TicketServiceButton") if b.service_id == service_id)


def closed_card(d: Driver, service_id: str) -> Any:
    return next(c for c in d.find_all("ClosedServiceCard") if c.service_id == service_id)


def wait_for_number(d: Driver) -> Iterator[float]:
    yield from wait_for(d, lambda: d.screen == "ticket_number", what="the ticket")


def printed_output(d: Driver) -> bytes:
    output = d.app.services.config.printer.path
    return output.read_bytes() if output.exists() else b""


def type_code(d: Driver, code: str) -> float:
    for digit in code:
        d.tap_id(f"key_{digit}")
    return 0.3


def ticket_take(d: Driver) -> Iterator[float]:
    """Home -> 取号 -> a service: one tap (even a double tap) is one ticket; the number is shown
    large with the service and its QR code, the slip prints, and Done leads home."""
    english = d.app.language == "en"
    yield d.tap(d.app.current_screen())
    check_touch_targets(d)
    check_fits(d)
    check_words(d, not english)
    assert tr(d, "tile_ticket") in d.visible_text() and tr(d, "tile_appointment") in d.visible_text()
    d.screenshot("home")
    yield d.tap_id("large_text")
    check_fits(d)
    d.screenshot("home_large")
    yield d.tap_id("large_text")
    yield from open_ticket_screen(d)
    buttons = d.find_all("TicketServiceButton")
    assert [b.service_id for b in buttons] == list(d.app.content.queues.queues), "one button per service, in content order"
    legal_aid = ticket_button(d, "legal_aid")
    assert service_name(d, "legal_aid") in legal_aid.text
    assert tr(d, "queue_no_estimate") in legal_aid.text, "a kiosk numbering on its own has no basis for an estimate"
    check_touch_targets(d)
    check_fits(d)
    check_words(d, not english)
    d.screenshot("ticket_services")
    assert printed_output(d) == b""
    d.tap(legal_aid)
    yield d.tap(legal_aid)  # an impatient second tap takes no second ticket
    yield from wait_for_number(d)
    assert d.find("number").text == "B001"
    assert d.find("service").text == service_name(d, "legal_aid")
    assert d.find("wait").text == tr(d, "number_no_estimate")
    assert d.find("qr").texture is not None, "the ticket's QR code is on screen"
    yield from wait_for(d, lambda: d.find("outcome").text == tr(d, "number_printed"))
    data = printed_output(d)
    assert data.count(b"\x1b@") == 1 and b"B001" in data, "one tap, one ticket, and the slip carries its number"
    check_touch_targets(d)
    check_fits(d)
    check_words(d, not english)
    d.screenshot("ticket_number")
    yield d.tap_id("large_text")
    check_touch_targets(d)
    check_fits(d)
    d.screenshot("ticket_number_large")
    yield d.tap_id("large_text")
    yield d.tap_id("done")
    assert d.screen == "ticket_number", "Done waits a moment: the second half of a double tap must not hide the number"
    d.advance(3)
    yield d.tap_id("done")
    assert d.screen == "home"
    yield from open_ticket_screen(d)
    yield d.tap(ticket_button(d, "legal_aid"))
    yield from wait_for_number(d)
    assert d.find("number").text == "B002", "the next visitor gets the next number"


def ticket_from_server(d: Driver) -> Iterator[float]:
    """With the central server: the list says who waits and for how long, and the number screen
    (and the slip) says who is ahead of this visitor."""
    yield from open_ticket_screen(d)
    legal_aid = ticket_button(d, "legal_aid")
    assert tr(d, "queue_waiting", count=2) in legal_aid.text
    assert tr(d, "queue_wait", minutes=20) in legal_aid.text
    check_fits(d)
    d.screenshot("ticket_services")
    yield d.tap(legal_aid)
    yield from wait_for_number(d)
    assert d.find("number").text == "B003", "the center's one sequence: two numbers went to another kiosk"
    assert d.find("ahead").text == tr(d, "number_ahead", count=2)
    assert d.find("wait").text == tr(d, "number_wait", minutes=20)
    yield from wait_for(d, lambda: d.find("outcome").text == tr(d, "number_printed"))
    assert "您前面还有 2 人等候，预计约 20 分钟".encode("gbk") in printed_output(d)
    check_fits(d)
    d.screenshot("ticket_number")


def green_channel(d: Driver) -> Iterator[float]:
    """绿色通道: five large choices, then the service; the ticket has the green channel's letter."""
    english = d.app.language == "en"
    yield from open_ticket_screen(d)
    yield d.tap_id("green_channel")
    kinds = d.find_all("PriorityKindButton")
    assert [k.kind for k in kinds] == ["elderly", "disabled", "pregnant", "military", "urgent"]
    assert d.find("title").text == tr(d, "green_title")
    check_touch_targets(d)
    check_fits(d)
    check_words(d, not english)
    d.screenshot("green_kinds")
    yield d.tap_id("back")
    assert d.find("title").text == tr(d, "ticket_title"), "Back leaves the green channel"
    yield d.tap_id("green_channel")
    yield d.tap(next(k for k in d.find_all("PriorityKindButton") if k.kind == "elderly"))
    assert d.find("title").text == tr(d, "green_chosen", kind=tr(d, "priority_elderly"))
    assert d.find("green_channel").opacity == 0 and d.find("green_channel").disabled
    count = len(d.app.content.queues.queues)
    yield from wait_for(d, lambda: len(d.find_all("TicketServiceButton")) == count, what="the queues")
    check_touch_targets(d)
    check_fits(d)
    d.screenshot("green_services")
    yield d.tap(ticket_button(d, "consultation"))
    yield from wait_for_number(d)
    prefix = d.app.content.queues.priority_prefix
    assert d.find("number").text == f"{prefix}001"
    assert d.find("kind").text == tr(d, "number_green", kind=tr(d, "priority_elderly"))
    assert d.find("service").text == service_name(d, "consultation")
    yield from wait_for(d, lambda: d.find("outcome").text == tr(d, "number_printed"))
    assert f"{prefix}001".encode() in printed_output(d)
    check_touch_targets(d)
    check_fits(d)
    d.screenshot("green_number")


def appointment_check_in(d: Driver) -> Iterator[float]:
    """预约签到: the code typed on the keypad becomes a ticket; a wrong, other-day, missed or used
    code gets one calm sentence saying what to do."""
    english = d.app.language == "en"
    yield d.tap(d.app.current_screen())
    yield d.tap_id("appointment")
    assert d.screen == "appointment"
    assert d.find("display").text == tr(d, "appointment_placeholder")
    assert d.find("key_confirm").disabled, "nothing to confirm yet"
    check_touch_targets(d)
    check_fits(d)
    check_words(d, not english)
    d.screenshot("appointment")
    yield type_code(d, "1234")
    assert d.find("display").text == "1234"
    yield d.tap_id("key_delete")
    assert d.find("display").text == "123"
    yield d.tap_id("key_clear")
    assert d.find("display").text == tr(d, "appointment_placeholder")
    yield type_code(d, "123456789")
    assert d.find("display").text == "12345678", "codes are at most 8 digits"
    yield d.tap_id("key_clear")
    for code, reason in (("99999", "unknown_appointment"), ("55555", "appointment_other_day"), ("30303", "appointment_missed")):
        yield type_code(d, code)
        yield d.tap_id("key_confirm")
        refusal = tr(d, f"refused_{reason}")
        yield from wait_for(d, lambda: d.find("status").text == refusal, what=reason)  # noqa: B023 - used within the iteration
        assert d.screen == "appointment" and d.find("display").text == code, "the code stays to be corrected"
        if reason == "unknown_appointment":
            check_touch_targets(d)
            check_fits(d)
            d.screenshot("appointment_unknown")
        yield d.tap_id("key_clear")
    yield type_code(d, "20481")
    yield d.tap_id("key_confirm")
    yield from wait_for_number(d)
    prefix = d.app.content.queues.appointment_prefix
    assert d.find("number").text == f"{prefix}001"
    assert d.find("kind").text == tr(d, "number_appointment")
    assert d.find("service").text == service_name(d, "consultation")
    yield from wait_for(d, lambda: d.find("outcome").text == tr(d, "number_printed"))
    check_touch_targets(d)
    check_fits(d)
    d.screenshot("appointment_number")
    yield d.tap_id("home")
    yield d.tap_id("appointment")
    assert d.find("display").text == tr(d, "appointment_placeholder"), "the next visitor starts with an empty keypad"
    yield type_code(d, "20481")
    yield d.tap_id("key_confirm")
    yield from wait_for(d, lambda: d.find("status").text == tr(d, "refused_appointment_used"), what="the second check-in")
    assert printed_output(d).count(b"\x1b@") == 1, "one appointment, one ticket"


def tickets_closed_weekend(d: Driver) -> Iterator[float]:
    """On Saturday every service says calmly when numbers are given again, and offers its checklist."""
    english = d.app.language == "en"
    yield from open_ticket_screen(d)
    assert not d.find_all("TicketServiceButton"), "no service gives numbers on Saturday"
    assert d.find("green_channel").opacity == 0, "nor the green channel"
    opens = d.app.content.queues.hours.weekly["monday"][0].start.strftime("%H:%M")
    monday = tr(d, "when_weekday", weekday=tr(d, "weekday_0"), time=opens)
    card = closed_card(d, "legal_aid")
    assert card.ids.detail.text == tr(d, "queue_closed_until", when=monday), card.ids.detail.text
    assert monday in d.visible_text()
    check_touch_targets(d)
    check_fits(d)
    check_words(d, not english)
    d.screenshot("ticket_closed")
    yield d.tap(closed_card(d, "legal_aid").ids.checklist)
    assert d.screen == "checklist"
    assert d.find("title").text == service_name(d, "legal_aid")


def tickets_close_at_noon(d: Driver) -> Iterator[float]:
    """A visitor who taps just after the morning session ends is told when numbers start again."""
    yield from open_ticket_screen(d)
    assert not d.find_all("ClosedServiceCard"), "open at 11:59"
    button = ticket_button(d, "legal_aid")
    d.advance(40)  # 12:00:10: the lunch break
    yield d.tap(button)
    opens = d.app.content.queues.hours.weekly["monday"][1].start.strftime("%H:%M")  # after the lunch break
    afternoon = tr(d, "queue_closed_later", when=tr(d, "when_today", time=opens))
    refusal = tr(d, "refused_closed", closed=afternoon)
    yield from wait_for(d, lambda: d.find("status").text == refusal, what="the refusal")
    yield from wait_for(d, lambda: len(d.find_all("ClosedServiceCard")) == len(d.app.content.queues.queues), what="the queues")
    assert closed_card(d, "legal_aid").ids.detail.text == afternoon
    assert d.screen == "ticket" and printed_output(d) == b"", "no ticket"
    check_touch_targets(d)
    check_fits(d)
    check_words(d, True)
    d.screenshot("ticket_closed_at_noon")


def ticket_printer_down(d: Driver) -> Iterator[float]:
    """The printer does not answer: the number is still shown, with a calm word that it stays valid."""
    yield from open_ticket_screen(d)
    yield d.tap(ticket_button(d, "notarization"))
    yield from wait_for_number(d)
    assert d.find("number").text == "C001"
    yield from wait_for(d, lambda: d.find("outcome").text == tr(d, "number_print_failed"))
    assert d.find("number").text == "C001" and d.find("qr").texture is not None
    assert d.find("listen").text == tr(d, "number_listen_unprinted"), "the visitor is told the number still counts"
    check_touch_targets(d)
    check_fits(d)
    check_words(d, True)
    d.screenshot("ticket_printer_down")


def ticket_returns_home(d: Driver) -> Iterator[float]:
    """The number stays ``show_seconds`` after the last touch, then the kiosk goes home by itself."""
    show = d.app.services.config.ticket_show_seconds
    yield from open_ticket_screen(d)
    yield d.tap(ticket_button(d, "consultation"))
    yield from wait_for_number(d)
    d.advance(show - 2)
    yield 0.2
    assert d.screen == "ticket_number"
    yield d.tap(d.find("number"))  # a visitor still reading touches the screen
    d.advance(show - 2)
    yield 0.2
    assert d.screen == "ticket_number", "a touch gives the visitor the full time again"
    d.advance(3)
    yield 0.3
    assert d.screen == "home", "home, not the attract screen: the next visitor may already be waiting"
    assert d.app.history == []


def ticket_idle_timeout(d: Driver) -> Iterator[float]:
    """The idle timeout still ends the visit on the ticket screens and forgets the number."""
    yield from open_ticket_screen(d)
    yield d.tap_id("language")
    yield d.tap(ticket_button(d, "consultation"))
    yield from wait_for_number(d)
    number_screen = d.app.current_screen()
    d.advance(d.app.services.config.idle_timeout + 1)
    yield 0.3
    assert d.screen == "attract"
    assert d.app.language == d.app.services.config.language
    assert number_screen.ticket is None and number_screen.ids.qr.texture is None, "the number is forgotten"
    yield d.tap(d.app.current_screen())
    yield d.tap_id("appointment")
    assert d.find("display").text == tr(d, "appointment_placeholder")
