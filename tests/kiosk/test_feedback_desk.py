"""The feedback desk as the screens use it: a rating or complaint is on disk when the call returns,
a second press of submit stores nothing more, complaints are numbered per day, a typed ticket
number is checked against the queue rules and linked to this kiosk's own ticket, and a phone
number is never printed whole. Built with the kiosk's real services on the sample content."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.database import open_database
from kiosk.feedback_desk import (
    BAD_PHONE,
    BAD_PRESETS,
    BAD_REASONS,
    BAD_TICKET,
    FeedbackDesk,
    FeedbackInvalid,
    StoredComplaint,
    TicketRef,
)
from kiosk.outbox import COMPLAINT, PENDING, RATING, SENT, Outbox
from kiosk.paths import SAMPLE_CONTENT_DIR
from kiosk.queue_rules import NORMAL
from kiosk.services import KioskServices, make_services
from printers.spooler import JobResult
from tests.kiosk.feedback_helpers import SATURDAY_MORNING, Clock
from tests.kiosk.feedback_server import KIOSK_ID, TOKEN, feedback_server
from tests.printers import escpos_decode as dec

PHONE = "13812345678"
TODAY = dt.date(2026, 11, 21)
MakeServices = Callable[..., KioskServices]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make(tmp_path: Path, clock: Clock) -> Iterator[MakeServices]:
    """``make(**server_keys)``: the kiosk's real services on the sample content, with those [server] keys."""
    made: list[KioskServices] = []

    def build(**server: str) -> KioskServices:
        keys = "".join(f"{key} = {value}\n" for key, value in server.items())
        ini = tmp_path / "kiosk.ini"
        ini.write_text(
            f"[kiosk]\nid = {KIOSK_ID}\ncontent_dir = {SAMPLE_CONTENT_DIR}\ndata_dir = data\n"
            f"[printer]\ntype = file\npath = out.bin\npreview = no\n[server]\n{keys}",
            encoding="utf-8",
        )
        services = make_services(load_config(ini), clock)
        made.append(services)
        return services

    yield build
    for services in made:
        services.feedback.stop()
        services.printing.spooler.stop()


@pytest.fixture
def desk(make: MakeServices) -> FeedbackDesk:
    return make().feedback


def stored_rows(data_dir: Path) -> list[tuple[str, str, dict[str, object]]]:
    """What another process reads from the kiosk's database file."""
    database = open_database(data_dir)
    try:
        rows = database.connection.execute("SELECT id FROM outbox ORDER BY seq").fetchall()
        outbox = Outbox(database)
        records = [outbox.get(row[0]) for row in rows]
        return [(r.kind, r.state, r.payload) for r in records if r]
    finally:
        database.close()


# ----- ratings


def test_a_rating_is_on_disk_as_the_api_wants_it_when_rate_returns(desk: FeedbackDesk, tmp_path: Path) -> None:
    draft = desk.new_draft()
    ticket = TicketRef("B007", TODAY, None, None)
    stored = desk.rate(draft, "very_dissatisfied", ["attitude", "efficiency"], PHONE, ticket)
    assert stored.id == draft and stored.level == "very_dissatisfied"
    assert (stored.created_at, stored.ticket, stored.phone_masked) == (SATURDAY_MORNING, ticket, "138****5678")
    assert stored_rows(tmp_path / "data") == [
        (
            RATING,
            PENDING,
            {
                "id": draft,
                "created_at": "2026-11-21T10:15:00+08:00",
                "level": "very_dissatisfied",
                "reasons": ["attitude", "efficiency"],
                "phone": PHONE,  # whole only in the record for the server's follow-up call
                "ticket_label": "B007",
                "ticket_day": "2026-11-21",
                "ticket_id": None,
                "service_id": None,
            },
        )
    ]


def test_pressing_submit_twice_stores_one_rating(desk: FeedbackDesk, tmp_path: Path, clock: Clock) -> None:
    draft = desk.new_draft()
    first = desk.rate(draft, "satisfied")
    clock.advance(2)
    assert desk.rate(draft, "satisfied") == first
    assert desk.rate(draft, "very_satisfied") == first  # the first press is what the citizen confirmed
    assert len(stored_rows(tmp_path / "data")) == 1
    assert desk.new_draft() != draft


@pytest.mark.parametrize(
    ("level", "reasons", "phone", "code", "message"),
    [
        ("satisfied", ["attitude"], None, BAD_REASONS, "reasons: expected none for satisfied, got attitude"),
        (
            "dissatisfied",
            ["rudeness"],
            None,
            BAD_REASONS,
            "reasons: expected codes from attitude, efficiency, expertise, environment, other, got 'rudeness'",
        ),
        ("dissatisfied", ["other", "other"], None, BAD_REASONS, "reasons: expected each code once, got 'other' twice"),
        (
            "very_satisfied",
            [],
            PHONE,
            BAD_PHONE,
            "phone: expected none for very_satisfied (a call-back is offered after a bad rating), got a number",
        ),
        ("dissatisfied", [], "1381234567", BAD_PHONE, "phone: expected 11 digits for a mobile number, got 10 digits"),
    ],
)
def test_what_cannot_be_stored_is_refused_with_its_code_and_nothing_is_stored(
    desk: FeedbackDesk, tmp_path: Path, level: str, reasons: list[str], phone: str | None, code: str, message: str
) -> None:
    with pytest.raises(FeedbackInvalid) as raised:
        desk.rate(desk.new_draft(), level, reasons, phone)
    assert (raised.value.code, str(raised.value)) == (code, message)
    assert stored_rows(tmp_path / "data") == []


def test_an_empty_phone_is_no_phone(desk: FeedbackDesk) -> None:
    assert desk.rate(desk.new_draft(), "satisfied", phone="").phone_masked is None
    assert desk.check_phone("02312345678") == "02312345678"
    with pytest.raises(FeedbackInvalid) as raised:
        desk.check_phone("12345")
    assert (raised.value.code, str(raised.value)) == (BAD_PHONE, "phone: expected 11 digits for a mobile number, got 5 digits")


def test_a_level_or_draft_the_screens_cannot_produce_is_a_programming_error(desk: FeedbackDesk) -> None:
    with pytest.raises(ValueError, match="level: expected one of very_satisfied, "):
        desk.rate(desk.new_draft(), "great")
    with pytest.raises(ValueError, match="draft_id: expected a UUID from new_draft"):
        desk.rate("draft-1", "satisfied")
    draft = desk.new_draft()
    desk.rate(draft, "satisfied")
    with pytest.raises(ValueError, match="draft_id: expected a new draft for a complaint"):
        desk.complain(draft, "complaint", "other", [])


# ----- complaints


def test_complaints_are_numbered_per_day_and_a_second_press_keeps_the_number(desk: FeedbackDesk, clock: Clock, tmp_path: Path) -> None:
    first = desk.complain(desk.new_draft(), "complaint", "efficiency", ["long_wait", "not_told_once"], PHONE)
    second_draft = desk.new_draft()
    second = desk.complain(second_draft, "suggestion", "other", [])
    assert desk.complain(second_draft, "suggestion", "other", ["praise"]) == second
    third = desk.complain(desk.new_draft(), "complaint", "attitude", ["rude"])
    clock.advance(24 * 3600)
    next_day = desk.complain(desk.new_draft(), "complaint", "fees", ["unclear_fees"])
    assert [c.receipt for c in (first, second, third, next_day)] == [
        f"20261121-{KIOSK_ID}-001",
        f"20261121-{KIOSK_ID}-002",
        f"20261121-{KIOSK_ID}-003",
        f"20261122-{KIOSK_ID}-001",
    ]
    assert (first.kind, first.category, first.presets, first.phone_masked) == (
        "complaint",
        "efficiency",
        ("long_wait", "not_told_once"),
        "138****5678",
    )
    kind, state, payload = stored_rows(tmp_path / "data")[0]
    assert (kind, state) == (COMPLAINT, PENDING)
    assert payload == {
        "id": first.id,
        "receipt": f"20261121-{KIOSK_ID}-001",
        "created_at": "2026-11-21T10:15:00+08:00",
        "kind": "complaint",
        "category": "efficiency",
        "presets": ["long_wait", "not_told_once"],
        "phone": PHONE,
        "service_id": None,
        "ticket_label": None,
    }
    assert len(stored_rows(tmp_path / "data")) == 4


def test_a_complaint_about_a_ticket_this_kiosk_issued(make: MakeServices) -> None:
    services = make()
    ticket = services.tickets.take_at_any_hour("legal_aid")
    desk = services.feedback
    complaint = desk.complain(desk.new_draft(), "complaint", "efficiency", ["long_wait"], ticket=desk.ticket_from_label(ticket.label))
    assert complaint.ticket == TicketRef(ticket.label, ticket.day, ticket.id, "legal_aid")
    assert desk.complain(complaint.id, "complaint", "efficiency", ["long_wait"]) == complaint  # read back, ticket and all


@pytest.mark.parametrize(
    ("presets", "message"),
    [
        (["long_wait", "cold_tea"], "presets: expected codes from rude, not_first_asked, long_wait, "),
        (["long_wait", "long_wait"], "presets: expected each code once, got 'long_wait' twice"),
    ],
)
def test_bad_presets_are_refused(desk: FeedbackDesk, presets: list[str], message: str) -> None:
    with pytest.raises(FeedbackInvalid) as raised:
        desk.complain(desk.new_draft(), "complaint", "efficiency", presets)
    assert raised.value.code == BAD_PRESETS
    assert str(raised.value).startswith(message)


# ----- ticket numbers


def test_the_letters_a_ticket_can_start_with(desk: FeedbackDesk) -> None:
    assert desk.prefixes() == ("A", "B", "C", "D", "E", "F", "V", "Y")


def test_a_typed_ticket_number_is_normalised_to_todays_label(desk: FeedbackDesk) -> None:
    assert desk.ticket_from_label("b7") == TicketRef("B007", TODAY, None, None)
    assert desk.ticket_from_label(" V012 ") == TicketRef("V012", TODAY, None, None)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "ticket: expected a number starting with A or B or C or D or E or F or V or Y, got nothing"),
        ("Q7", "ticket: expected a number starting with A or B or C or D or E or F or V or Y, got 'Q7'"),
        ("7", "ticket: expected a number starting with A or B or C or D or E or F or V or Y, got '7'"),
        ("B", "ticket: expected B and a number of 1 to 3 digits, got 'B'"),
        ("B0", "ticket: expected B and a number of 1 to 3 digits, got 'B0'"),
        ("B1234", "ticket: expected B and a number of 1 to 3 digits, got 'B1234'"),
        ("B1x", "ticket: expected B and a number of 1 to 3 digits, got 'B1x'"),
    ],
)
def test_a_ticket_number_that_cannot_be_is_refused(desk: FeedbackDesk, typed: str, message: str) -> None:
    with pytest.raises(FeedbackInvalid) as raised:
        desk.ticket_from_label(typed)
    assert (raised.value.code, str(raised.value)) == (BAD_TICKET, message)


def test_a_ticket_this_kiosk_issued_is_linked_by_its_label_and_by_itself(make: MakeServices) -> None:
    services = make()
    ticket = services.tickets.take_at_any_hour("mediation")
    desk = services.feedback
    expected = TicketRef(ticket.label, TODAY, ticket.id, "mediation")
    assert desk.ticket_from_label(ticket.label.lower()) == expected
    assert desk.ticket_from_issued(ticket) == expected
    rules = desk.rules
    other = rules.format_number(rules.prefix_for("mediation", NORMAL), ticket.number + 1)
    assert desk.ticket_from_label(other) == TicketRef(other, TODAY, None, None)  # not issued here


# ----- the receipt


def print_and_wait(desk: FeedbackDesk, complaint: StoredComplaint, language: str) -> JobResult:
    done: list[JobResult] = []
    finished = threading.Event()

    def on_done(result: JobResult) -> None:
        done.append(result)
        finished.set()

    desk.printing.spooler.start()
    desk.print_complaint_receipt(complaint, language, on_done)
    assert finished.wait(30), "the printer thread never finished the job"
    return done[0]


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_printed_receipt_shows_the_number_and_never_the_whole_phone(make: MakeServices, tmp_path: Path, language: str) -> None:
    desk = make(url="http://127.0.0.1:9", token=TOKEN, public_url="https://center.example.org/").feedback
    complaint = desk.complain(desk.new_draft(), "complaint", "attitude", ["rude", "not_first_asked"], PHONE)
    result = print_and_wait(desk, complaint, language)
    assert result.printed, result.outcome.reason
    data = (tmp_path / "data" / "out.bin").read_bytes()
    events = dec.decode(data)
    texts = dec.texts(events)
    assert f"20261121-{KIOSK_ID}-001" in texts
    assert any("138****5678" in text for text in texts)
    assert PHONE.encode() not in data and PHONE not in "".join(texts)
    assert [qr.data for qr in dec.qr_codes(events)] == [f"https://center.example.org/c/{complaint.id}"]
    journal = desk.printing.journal.get(result.job_id).receipt.to_json()  # kept for reprints: masked too
    assert PHONE not in journal


def test_without_a_server_the_receipt_has_no_qr_code(desk: FeedbackDesk, tmp_path: Path) -> None:
    complaint = desk.complain(desk.new_draft(), "suggestion", "other", ["more_online"])
    assert desk.complaint_url(complaint.id) is None
    assert print_and_wait(desk, complaint, "zh_CN").printed
    events = dec.decode((tmp_path / "data" / "out.bin").read_bytes())
    assert dec.qr_codes(events) == [] and dec.rasters(events) == []
    assert "类型：建议" in dec.texts(events)


# ----- the sync, as the admin screen shows it


def test_without_a_server_records_stay_on_the_kiosk(desk: FeedbackDesk) -> None:
    desk.rate(desk.new_draft(), "satisfied")
    desk.sync_now()  # no worker: nothing happens
    status = desk.sync_status()
    assert (status.pending, status.sent, status.server_url, status.last_sync) == (1, 0, "", None)
    assert desk.status_lines() == ["ratings and complaints: 1 kept on this kiosk (no [server] url: nothing is sent)"]


def test_a_rating_wakes_the_worker_and_reaches_the_server(make: MakeServices) -> None:
    with feedback_server() as server:
        services = make(url=server.url, token=TOKEN, sync_interval="3600", pull_content="no")  # this fake serves no content
        desk = services.feedback
        assert desk.status_lines()[:2] == ["outbox: 0 waiting, 0 being sent, 0 sent, 0 refused by the server (kept)", "last sync: never"]
        desk.start()
        assert server.beat.wait(10), "the worker's first round sent no heartbeat"
        stored = desk.rate(desk.new_draft(), "dissatisfied", ["efficiency"], PHONE)
        assert server.received.wait(10), "the rating was not sent when it was stored"
        desk.stop()
    assert server.stored[stored.id]["phone"] == PHONE
    record = desk.outbox.get(stored.id)
    assert record is not None and record.state == SENT
    status = desk.sync_status()
    assert (status.pending, status.sent, status.failed, status.last_sync) == (0, 1, 0, SATURDAY_MORNING)
    assert desk.status_lines() == [
        "outbox: 0 waiting, 0 being sent, 1 sent, 0 refused by the server (kept)",
        "last sync: 2026-11-21 10:15:00",
    ]


def test_the_admin_screen_names_the_last_problem(make: MakeServices) -> None:
    desk = make(url="http://127.0.0.1:9", token=TOKEN).feedback
    desk.rate(desk.new_draft(), "satisfied")
    assert desk.worker is not None
    desk.worker.sync_once()
    assert desk.status_lines() == [
        "outbox: 1 waiting, 0 being sent, 0 sent, 0 refused by the server (kept)",
        "last sync: never",
        "last sync problem: http://127.0.0.1:9/api/v1/ratings: cannot reach the server (ConnectionError)",
    ]
    assert desk.complaint_url("c1") == "http://127.0.0.1:9/c/c1"  # public_url is the server's url when not set
