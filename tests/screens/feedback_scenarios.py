"""UI scenarios of ratings (服务评价) and complaints and suggestions (投诉建议), played by
tests/screens/driver.py as ``feedback_scenarios.NAME`` (see test_feedback_screens.py).

Like tests/screens/scenarios.py: each is a generator that touches widgets by id as a finger
would, asserts what a visitor would notice, takes screenshots to look at, and yields the seconds
to let the screen settle.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tests.screens.driver import Driver
from tests.screens.scenarios import (
    check_fits,
    check_touch_targets,
    check_words,
    open_admin,
    open_ticket_screen,
    printed_output,
    ticket_button,
    tr,
    wait_for,
    wait_for_number,
)


def look(d: Driver, name: str, expect_chinese: bool | None = None) -> Iterator[float]:
    """Check the screen as a visitor would see it, in normal and in large text, with a screenshot of each."""
    chinese = d.app.language == "zh_CN" if expect_chinese is None else expect_chinese
    check_touch_targets(d)
    check_fits(d)
    check_words(d, chinese)
    d.screenshot(name)
    yield d.tap_id("large_text")
    check_touch_targets(d)
    check_fits(d)
    check_words(d, chinese)
    d.screenshot(f"{name}_large")
    yield d.tap_id("large_text")


def level_button(d: Driver, level: str) -> Any:
    return next(b for b in d.find_all("LevelButton") if b.level == level)


def toggle(d: Driver, class_name: str, code: str) -> Any:
    return next(t for t in d.find_all(class_name) if t.code == code)


def feedback_tour(d: Driver) -> Iterator[float]:
    """Every rating and complaint screen reached from home and back, looked at in normal and large text."""
    yield d.tap(d.app.current_screen())
    assert d.screen == "home"
    assert tr(d, "tile_rating") in d.visible_text() and tr(d, "tile_complaint") in d.visible_text()
    yield from look(d, "home")
    yield d.tap_id("rating")
    assert d.screen == "rating_ticket"
    yield from look(d, "rating_ticket")
    yield d.tap_id("skip")
    assert d.screen == "rating"
    assert len(d.find_all("LevelButton")) == 5
    yield from look(d, "rating_levels")
    yield d.tap(level_button(d, "dissatisfied"))
    assert d.screen == "rating_reasons"
    assert len(d.find_all("StepChoice")) == 5
    yield from look(d, "rating_reasons")
    yield d.tap_id("next")
    assert d.screen == "rating_phone"
    yield from look(d, "rating_phone")
    yield d.tap_id("back")
    assert d.screen == "rating_reasons"
    yield d.tap_id("back")
    assert d.screen == "rating"
    yield d.tap_id("back")
    assert d.screen == "rating_ticket"
    yield d.tap_id("back")
    assert d.screen == "home"
    yield d.tap_id("complaint")
    assert d.screen == "complaint"
    yield from look(d, "complaint_kinds")
    yield d.tap(next(b for b in d.find_all("KindButton") if b.code == "complaint"))
    assert len(d.find_all("CategoryButton")) == 7
    yield from look(d, "complaint_categories")
    yield d.tap(next(b for b in d.find_all("CategoryButton") if b.code == "efficiency"))
    assert d.screen == "complaint_ticket"
    yield from look(d, "complaint_ticket")
    yield d.tap_id("skip")
    assert d.screen == "complaint_details"
    assert len(d.find_all("StepChoice")) == 4
    assert tr(d, "complaint_details_more") not in d.visible_text(), "without a central server no phone page is promised"
    yield from look(d, "complaint_details")
    yield d.tap_id("next")
    assert d.screen == "complaint_phone"
    yield from look(d, "complaint_phone")
    for _ in range(5):
        yield d.tap_id("back")
    assert d.screen == "home"


def type_digits(d: Driver, digits: str) -> float:
    for digit in digits:
        d.tap_id(f"key_{digit}")
    return 0.3


def letter_button(d: Driver, letter: str) -> Any:
    return next(b for b in d.find_all("LetterButton") if b.text == letter)


def choice(d: Driver, code: str) -> Any:
    return next(t for t in d.find_all("StepChoice") if t.code == code)


def rating_flow(d: Driver) -> Iterator[float]:
    """服务评价 with a typed ticket number: a wrong number is said calmly, the right one is shown on
    the levels, and a double tap on a level stores one rating; "submitted" shows once it is stored,
    and the kiosk goes home by itself a few seconds later."""
    yield d.tap(d.app.current_screen())
    yield d.tap_id("rating")
    assert d.screen == "rating_ticket"
    assert d.find("key_confirm").disabled, "nothing typed yet"
    yield type_digits(d, "12")
    yield d.tap_id("key_confirm")  # no letter: not a ticket number
    assert d.screen == "rating_ticket"
    assert d.find("status").text == tr(d, "feedback_bad_ticket")
    check_fits(d)
    check_touch_targets(d)
    d.screenshot("rating_ticket_wrong")
    yield d.tap_id("key_clear")
    yield d.tap(letter_button(d, "B"))
    assert letter_button(d, "B").selected and not letter_button(d, "A").selected
    yield type_digits(d, "7")
    assert d.find("display").text == "B 7", "the letter and digits show together"
    yield d.tap_id("key_confirm")
    assert d.screen == "rating"
    assert tr(d, "feedback_ticket_shown", label="B007") in d.visible_text()
    outbox = d.app.services.feedback.outbox
    assert outbox.counts().pending == 0
    button = level_button(d, "very_satisfied")
    d.tap(button)
    yield d.tap(button)  # an impatient second tap stores nothing more
    assert d.screen == "rating_done"
    assert d.find("title").text == tr(d, "rating_done_title")
    assert d.find("ticket").text == tr(d, "feedback_ticket_shown", label="B007")
    assert d.find("phone").text == "", "no call-back after a good rating"
    assert outbox.counts().pending + outbox.counts().in_flight + outbox.counts().sent == 1, "on disk before 'submitted'"
    yield from look(d, "rating_done")
    d.advance(4)
    yield 0.3
    assert d.screen == "rating_done", "the thanks stay a few seconds"
    d.advance(6)
    yield 0.3
    assert d.screen == "home", "then the next visitor finds home"


def bad_rating(d: Driver) -> Iterator[float]:
    """非常不满意 without a ticket: two reasons, a wrong and then a right call-back phone; the typed
    digits show while typing, and afterwards only the masked number."""
    yield d.tap(d.app.current_screen())
    yield d.tap_id("rating")
    yield d.tap_id("skip")
    assert d.screen == "rating"
    assert tr(d, "feedback_no_ticket") in d.visible_text()
    yield d.tap(level_button(d, "very_dissatisfied"))
    assert d.screen == "rating_reasons"
    for reason in ("attitude", "efficiency", "other"):
        yield d.tap(choice(d, reason))
    yield d.tap(choice(d, "other"))  # changed their mind
    assert [t.code for t in d.find_all("StepChoice") if t.selected] == ["attitude", "efficiency"]
    d.screenshot("rating_reasons_chosen")
    yield d.tap_id("next")
    assert d.screen == "rating_phone"
    assert d.find("summary").text == "非常不满意 · 态度、效率", "what is being submitted"
    yield d.tap_id("back")
    assert [t.code for t in d.find_all("StepChoice") if t.selected] == ["attitude", "efficiency"], "Back keeps what was ticked"
    yield d.tap_id("next")
    yield type_digits(d, "12345")
    yield d.tap_id("submit")
    assert d.screen == "rating_phone", "a wrong number is not stored"
    assert d.find("status").text == tr(d, "feedback_bad_phone")
    assert d.find("display").text == "12345", "the number stays to be corrected"
    check_fits(d)
    check_touch_targets(d)
    d.screenshot("rating_phone_wrong")
    yield d.tap_id("key_clear")
    yield type_digits(d, "13812345678")
    assert d.find("display").text == "13812345678", "the digits show while typing"
    yield d.tap_id("language")
    assert d.find("display").text == "13812345678", "a change of language keeps what was typed"
    assert d.find("submit").text == d.app.tr("en", "rating_submit")
    yield d.tap_id("language")
    submit = d.find("submit")
    d.tap(submit)
    yield d.tap(submit)  # an impatient second tap stores nothing more
    assert d.screen == "rating_done"
    assert d.find("phone").text == tr(d, "rating_done_callback", phone="138****5678")
    assert "13812345678" not in d.visible_text(), "after submitting, the number shows only masked"
    check_words(d, True)
    d.screenshot("rating_done_callback")


def rating_from_ticket(d: Driver) -> Iterator[float]:
    """The number screen's 服务评价 opens the levels with the ticket filled in; going back to the
    number prints nothing again."""
    yield from open_ticket_screen(d)
    yield d.tap(ticket_button(d, "legal_aid"))
    yield from wait_for_number(d)
    ticket = d.app.current_screen().ticket
    yield from wait_for(d, lambda: d.find("outcome").text == tr(d, "number_printed"))
    check_touch_targets(d)
    check_fits(d)
    d.screenshot("ticket_number_with_rating")
    yield d.tap_id("rate")
    assert d.screen == "ticket_number", "a tap right after the number came is the end of the tap on the service"
    d.advance(3)
    yield d.tap_id("rate")
    assert d.screen == "rating", "the ticket step is skipped"
    assert tr(d, "feedback_ticket_shown", label=ticket.label) in d.visible_text()
    yield d.tap_id("back")
    assert d.screen == "ticket_number" and d.find("number").text == ticket.label
    assert d.find("qr").texture is not None
    yield 1.0
    assert printed_output(d).count(b"\x1b@") == 1, "coming back to the number prints no second ticket"
    yield d.tap_id("rate")
    yield d.tap(level_button(d, "satisfied"))
    assert d.screen == "rating_done"
    assert d.find("ticket").text == tr(d, "feedback_ticket_shown", label=ticket.label)
    check_fits(d)
    d.screenshot("rating_done_from_ticket")


def complaint_flow(d: Driver) -> Iterator[float]:
    """投诉建议: kind, category, ticket, preset texts and phone; the receipt number large, the QR code
    to add details on a phone, the masked phone, and the receipt printed on a tap."""
    chinese = d.app.language == "zh_CN"
    yield d.tap(d.app.current_screen())
    yield d.tap_id("complaint")
    yield d.tap(next(b for b in d.find_all("KindButton") if b.code == "complaint"))
    yield d.tap(next(b for b in d.find_all("CategoryButton") if b.code == "efficiency"))
    assert d.screen == "complaint_ticket"
    yield d.tap(letter_button(d, "B"))
    yield type_digits(d, "12")
    yield d.tap_id("key_confirm")
    assert d.screen == "complaint_details"
    assert tr(d, "complaint_details_more") in d.visible_text(), "with a central server, more words can follow on a phone"
    yield d.tap(choice(d, "long_wait"))
    yield d.tap(choice(d, "not_told_once"))
    check_touch_targets(d)
    check_fits(d)
    d.screenshot("complaint_details_ticked")
    yield d.tap_id("next")
    assert d.screen == "complaint_phone"
    assert tr(d, "complaint_ticked", count=2) in d.find("summary").text
    yield type_digits(d, "13812345678")
    check_touch_targets(d)
    check_fits(d)
    d.screenshot("complaint_phone_typed")
    submit = d.find("submit")
    d.tap(submit)
    yield d.tap(submit)  # an impatient second tap stores nothing more
    assert d.screen == "complaint_done"
    receipt = d.find("receipt").text
    assert receipt == f"{d.clock.now():%Y%m%d}-{d.app.services.config.kiosk_id}-001", receipt
    assert d.find("phone").text == tr(d, "feedback_saved_phone", phone="138****5678")
    assert "13812345678" not in d.visible_text()
    assert d.find("qr").texture is not None and d.find("qr_words").text == tr(d, "complaint_qr"), "scan to add details on the phone"
    yield from look(d, "complaint_done", chinese)
    output = d.app.services.config.printer.path
    assert not output.exists()
    d.tap_id("print")
    yield d.tap_id("print")  # a second tap while printing prints nothing more
    yield from wait_for(d, lambda: d.find("outcome").text == tr(d, "complaint_printed"))
    data = output.read_bytes()
    assert data.count(b"\x1b@") == 1 and receipt.encode() in data, "one tap, one receipt, with its number"
    assert b"13812345678" not in data and b"138****5678" in data, "the receipt has the phone only masked"
    assert d.find("print").text == tr(d, "complaint_print_again")
    check_touch_targets(d)
    check_fits(d)
    d.screenshot("complaint_printed")
    d.advance(2)
    yield d.tap_id("done")
    assert d.screen == "home"


def feedback_admin(d: Driver) -> Iterator[float]:
    """Staff see the outbox on the admin screen (waiting, sent, last sync and its problem) and send it now."""
    yield d.tap(d.app.current_screen())
    yield d.tap_id("rating")
    yield d.tap_id("skip")
    yield d.tap(level_button(d, "satisfied"))
    assert d.screen == "rating_done"
    yield d.tap_id("home")
    yield from open_admin(d)
    sync = d.find("sync")
    assert "outbox: 1 waiting" in sync.text, sync.text
    yield from wait_for(d, lambda: d.app.services.feedback.sync_status().last_error != "", what="the sync worker")
    asking = tr(d, "admin_printer_asking")
    yield from wait_for(d, lambda: asking not in d.find("printer").text, what="the printer's state")
    yield 0.3  # the printer's lines laid out, so the screen no longer moves
    d.find("scroll").scroll_to(d.find("sync_now"), animate=False)  # as staff would scroll to it
    yield 0.3
    yield d.tap_id("sync_now")
    assert tr(d, "admin_sync_started") in sync.text
    yield from wait_for(d, lambda: tr(d, "admin_sync_started") not in sync.text, what="the admin screen to look again")
    assert "last sync problem:" in sync.text and "cannot reach the server" in sync.text, sync.text
    assert "outbox: 1 waiting" in sync.text, "a server that does not answer loses nothing"
    check_touch_targets(d)
    d.screenshot("admin_sync")


def feedback_idle_and_toggles(d: Driver) -> Iterator[float]:
    """A change of language or text size keeps what the visitor ticked and typed; the idle timeout
    forgets it all, so the next visitor starts empty."""
    yield d.tap(d.app.current_screen())
    yield d.tap_id("rating")
    yield d.tap_id("skip")
    yield d.tap(level_button(d, "dissatisfied"))
    yield d.tap(choice(d, "attitude"))
    yield d.tap_id("language")
    assert choice(d, "attitude").selected and choice(d, "attitude").text == "Attitude"
    yield d.tap_id("large_text")
    assert choice(d, "attitude").selected
    check_touch_targets(d)
    check_fits(d)
    d.screenshot("rating_reasons_en_large")
    yield d.tap_id("next")
    yield type_digits(d, "1381")
    yield d.tap_id("large_text")
    assert d.find("display").text == "1381"
    d.advance(d.app.services.config.idle_timeout + 1)
    yield 0.3
    assert d.screen == "attract"
    assert d.app.language == d.app.services.config.language and not d.app.large_text
    yield d.tap(d.app.current_screen())
    yield d.tap_id("rating")
    yield d.tap(letter_button(d, "A"))
    yield type_digits(d, "3")
    d.advance(d.app.services.config.idle_timeout + 1)
    yield 0.3
    yield d.tap(d.app.current_screen())
    yield d.tap_id("rating")
    assert d.find("display").text == tr(d, "feedback_ticket_placeholder"), "the next visitor starts with an empty keypad"
    assert not any(b.selected for b in d.find_all("LetterButton"))
    yield d.tap_id("skip")
    yield d.tap(level_button(d, "dissatisfied"))
    assert not any(t.selected for t in d.find_all("StepChoice")), "nothing ticked for the next visitor"
    yield d.tap_id("next")
    assert d.find("display").text == tr(d, "feedback_phone_placeholder"), "no phone of the last visitor"
    assert d.app.services.feedback.outbox.counts().pending == 0, "nothing was stored without Submit"
