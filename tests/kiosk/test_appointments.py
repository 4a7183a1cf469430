"""The appointments file staff export each day, and checking a code in at the kiosk."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from kiosk.appointments import Appointments, load_appointments
from kiosk.paths import PROJECT_DIR
from kiosk.problems import ProblemsFound
from kiosk.queue_rules import TimeRange
from kiosk.ticket import APPOINTMENT_MISSED, APPOINTMENT_OTHER_DAY, UNKNOWN_APPOINTMENT, TicketRefused

SERVICES = ("legal_aid", "notarization", "mediation")
GOOD = """\
code,date,time,service
20481,2026-11-23,09:30-10:00,notarization
0457,2026-11-23,15:00-16:00,mediation
20481,2026-11-24,11:00-11:30,legal_aid
"""


def write(folder: Path, text: str | bytes) -> Path:
    path = folder / "appointments.csv"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ProblemsFound) as found:
        load_appointments(path, SERVICES)
    return [str(p) for p in found.value.problems]


@pytest.fixture
def book(tmp_path: Path) -> Appointments:
    return load_appointments(write(tmp_path, GOOD), SERVICES)


def local(hour: int, minute: int = 0, day: int = 23) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute)


# -- check-in ------------------------------------------------------------------------------------


def test_a_code_checks_in_on_its_day(book: Appointments) -> None:
    appointment = book.check_in("20481", local(9, 40))
    assert (appointment.code, appointment.day, appointment.service_id) == ("20481", dt.date(2026, 11, 23), "notarization")
    assert appointment.slot == TimeRange(dt.time(9, 30), dt.time(10))


def test_the_same_code_on_another_day_is_that_day_s_appointment(book: Appointments) -> None:
    assert book.check_in("20481", local(8, 0, day=24)).service_id == "legal_aid"


def test_early_on_the_right_day_is_fine(book: Appointments) -> None:
    assert book.check_in("0457", local(8, 0)).service_id == "mediation", "they can wait"


def test_leading_zeros_are_part_of_the_code(book: Appointments) -> None:
    with pytest.raises(TicketRefused) as refused:
        book.check_in("457", local(8, 0))
    assert refused.value.reason == UNKNOWN_APPOINTMENT


@pytest.mark.parametrize(
    ("code", "now", "reason"),
    [
        pytest.param("99999", local(9, 40), UNKNOWN_APPOINTMENT, id="unknown code"),
        pytest.param("0457", local(10, 0, day=24), APPOINTMENT_OTHER_DAY, id="a day late"),
        pytest.param("0457", local(15, 0, day=22), APPOINTMENT_OTHER_DAY, id="a day early"),
        pytest.param("0457", local(16, 0), APPOINTMENT_MISSED, id="at the slot's end"),
        pytest.param("20481", local(10, 1), APPOINTMENT_MISSED, id="after the slot"),
    ],
)
def test_refusals(book: Appointments, code: str, now: dt.datetime, reason: str) -> None:
    with pytest.raises(TicketRefused) as refused:
        book.check_in(code, now)
    assert refused.value.reason == reason


def test_a_timezone_aware_local_time_works_too(book: Appointments) -> None:
    assert book.check_in("0457", dt.datetime(2026, 11, 23, 15, 59, tzinfo=ZoneInfo("Asia/Shanghai"))).code == "0457"


def test_listing_a_day(book: Appointments) -> None:
    assert len(book) == 3
    assert [a.code for a in book.on(dt.date(2026, 11, 23))] == ["20481", "0457"]


def test_the_shipped_sample_file_loads() -> None:
    sample = load_appointments(PROJECT_DIR / "assets" / "sample-appointments.csv", ("consultation", *SERVICES, "appraisal"))
    assert len(sample) == 7
    assert sample.check_in("0457", local(9, 0)).service_id == "mediation"


# -- mistakes ------------------------------------------------------------------------------------

F = "appointments.csv"
MALFORMED: list[Any] = [
    pytest.param(
        GOOD.replace("0457,", "457a,"),
        [f"{F}:3: code: expected a code of 4 to 8 digits, got '457a'"],
        id="code with a letter",
    ),
    pytest.param(
        GOOD.replace("0457,", "123,"),
        [f"{F}:3: code: expected a code of 4 to 8 digits, got '123'"],
        id="code too short",
    ),
    pytest.param(
        GOOD.replace("20481,2026-11-24", "20481,2026-11-23"),
        [f"{F}:4: code: expected a code used once on 2026-11-23, got '20481' again (first at line 2)"],
        id="duplicate code on a day",
    ),
    pytest.param(
        GOOD.replace("2026-11-24", "24.11.2026"),
        [f"{F}:4: date: expected a date as YYYY-MM-DD, got '24.11.2026'"],
        id="date not ISO",
    ),
    pytest.param(
        GOOD.replace("2026-11-24", "2026-11-31"),
        [f"{F}:4: date: expected a real calendar date as YYYY-MM-DD, got '2026-11-31'"],
        id="no such date",
    ),
    pytest.param(
        GOOD.replace("15:00-16:00", "16:00-15:00"),
        [f"{F}:3: time: expected a time range that ends after it starts, got '16:00-15:00'"],
        id="slot reversed",
    ),
    pytest.param(
        GOOD.replace("15:00-16:00", "15:00"),
        [f"{F}:3: time: expected a time range as HH:MM-HH:MM such as 09:00-12:00, got '15:00'"],
        id="slot without end",
    ),
    pytest.param(
        GOOD.replace("15:00-16:00", "24:00-24:30"),
        [f"{F}:3: time: expected a time of day from 00:00 to 23:59 (or 24:00 as an end), got '24:00' in '24:00-24:30'"],
        id="24:00 as a start",
    ),
    pytest.param(
        GOOD.replace(",mediation", ",divorce"),
        [f"{F}:3: service: expected one of the services legal_aid, notarization, mediation, got 'divorce'"],
        id="unknown service",
    ),
    pytest.param(
        GOOD.replace(",mediation", ""),
        [f"{F}:3: expected 4 columns (code,date,time,service), got 3"],
        id="missing column",
    ),
    pytest.param(
        GOOD.replace("code,date,time,service", "预约码,日期,时段,事项"),
        [f"{F}:1: expected the header code,date,time,service, got '预约码,日期,时段,事项'"],
        id="header in Chinese",
    ),
    pytest.param(
        GOOD.replace("0457,2026-11-23,15:00-16:00,mediation", "45x,2026-11-32,9-10,mediaton"),
        [
            f"{F}:3: code: expected a code of 4 to 8 digits, got '45x'",
            f"{F}:3: date: expected a real calendar date as YYYY-MM-DD, got '2026-11-32'",
            f"{F}:3: time: expected a time range as HH:MM-HH:MM such as 09:00-12:00, got '9-10'",
            f"{F}:3: service: expected one of the services legal_aid, notarization, mediation, got 'mediaton'",
        ],
        id="every column wrong",
    ),
    pytest.param(
        ("code,date,time,service\n20481,2026-11-23,09:30-10:00,公证\n").encode("gbk"),
        [f"{F}:2: expected UTF-8 text (save the CSV as UTF-8), got the byte 0xb9"],
        id="saved as GBK",
    ),
    pytest.param("", [f"{F}: expected the header code,date,time,service on the first line, got an empty file"], id="empty"),
]


@pytest.mark.parametrize(("text", "expected"), MALFORMED)
def test_malformed_rows_give_one_exact_line_each(in_tmp: Path, text: str | bytes, expected: list[str]) -> None:
    assert problems_of(write(in_tmp, text)) == expected


def test_a_missing_file_is_named(in_tmp: Path) -> None:
    assert problems_of(in_tmp / "appointments.csv") == [f"{F}: expected the appointments file (CSV), got no such file"]


def test_comments_blank_lines_a_byte_order_mark_and_spaces_are_fine(tmp_path: Path) -> None:
    text = "\ufeff# exported 2026-11-22\ncode,date,time,service\n\n 20481 , 2026-11-23 , 09:30 - 10:00 , notarization \n"
    path = write(tmp_path, text.replace("\n", "\r\n"))
    assert load_appointments(path, SERVICES).check_in("20481", local(9, 0)).slot == TimeRange(dt.time(9, 30), dt.time(10))


def test_line_numbers_count_comment_and_blank_lines(in_tmp: Path) -> None:
    text = "# exported\ncode,date,time,service\n\n# morning\n20481,2026-11-23,09:30-10:00,notary\n"
    assert problems_of(write(in_tmp, text)) == [
        f"{F}:5: service: expected one of the services legal_aid, notarization, mediation, got 'notary'"
    ]
