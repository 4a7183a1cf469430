"""queues.ini: a good file becomes QueueRules; every mistake in a bad one is one exact line.

The content folder is conftest's, with QUEUES_INI below added; line numbers refer to it.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from kiosk import cli
from kiosk.content_loader import load_content
from kiosk.paths import SAMPLE_CONTENT_DIR
from kiosk.problems import ProblemsFound
from kiosk.queue_rules import APPOINTMENT, NORMAL, PRIORITY, WEEKDAYS, ServiceQueue, TimeRange, Window
from kiosk.queue_rules_loader import load_queue_rules

MakeContent = Any  # the make_content fixture: (files=..., replace=..., folder=...) -> Path

QUEUES_INI = """\
[numbering]
time_zone = Asia/Shanghai
digits = 3
priority_prefix = V
appointment_prefix = Y
offline_block_size = 50
offline_blocks = 4
recent_service_times = 20

[hours]
monday = 09:00-12:00, 13:30-17:30
tuesday = 09:00-12:00, 13:30-17:30
wednesday = 09:00-12:00, 13:30-17:30
thursday = 09:00-12:00, 13:30-17:30
friday = 09:00-12:00, 13:30-17:30
saturday =
sunday =
after_hours = 17:30-18:30
closed_days =
    2026-10-01, 2026-10-02
    # National Day
    2026-10-05
duty_days =
    2026-10-02 09:00-11:30
    2026-10-03 10:00-12:00, 14:00-16:00
working_days =
    2026-10-10 09:00-12:00

[queue.legal_aid]
prefix = B
daily_cap = 80
default_minutes = 20
after_hours = yes
holiday_duty = yes

[queue.mediation]
prefix = D
daily_cap =
default_minutes =

[window.2]
name = 2号窗口
name_en = Window 2
services = legal_aid, mediation
"""
# queues.ini lines: 1 [numbering], 2 time_zone, 3 digits, 4 priority_prefix, 5 appointment_prefix,
# 6 offline_block_size, 7 offline_blocks, 10 [hours], 11 monday .. 17 sunday, 18 after_hours,
# 19 closed_days, 20 and 22 its items (21 a comment), 23 duty_days, 24-25 its items,
# 26 working_days, 27 its item, 29 [queue.legal_aid], 30 prefix, 31 daily_cap, 32 default_minutes,
# 36 [queue.mediation], 37 prefix, 38 daily_cap, 39 default_minutes, 41 [window.2], 42 name, 44 services.

SERVICES = "consultation, legal_aid, notarization, mediation, appraisal, correction, complaint"


def with_queues(make_content: MakeContent, text: str = QUEUES_INI, replace: tuple[str, str] | None = None) -> Path:
    folder: Path = make_content(files={"queues.ini": text}, replace={"queues.ini": replace} if replace else None)
    return folder


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(ProblemsFound) as found:
        load_content(folder)
    return [str(p) for p in found.value.problems]


# -- good files ------------------------------------------------------------------------------------


def test_a_good_queues_ini_becomes_queue_rules(make_content: MakeContent) -> None:
    rules = load_content(with_queues(make_content)).queues
    assert (rules.time_zone, rules.digits, rules.priority_prefix, rules.appointment_prefix) == ("Asia/Shanghai", 3, "V", "Y")
    assert (rules.offline_block_size, rules.offline_blocks, rules.recent_service_times) == (50, 4, 20)
    assert rules.shared_ceiling() == 799
    assert rules.offline_block(1) == range(950, 1000)
    nine_to_noon, afternoon = TimeRange(dt.time(9), dt.time(12)), TimeRange(dt.time(13, 30), dt.time(17, 30))
    assert rules.hours.weekly == {day: (nine_to_noon, afternoon) if day not in ("saturday", "sunday") else () for day in WEEKDAYS}
    assert rules.hours.after_hours == (TimeRange(dt.time(17, 30), dt.time(18, 30)),)
    assert rules.hours.closed_days == {dt.date(2026, 10, 1), dt.date(2026, 10, 2), dt.date(2026, 10, 5)}
    assert rules.hours.duty_days == {
        dt.date(2026, 10, 2): (TimeRange(dt.time(9), dt.time(11, 30)),),
        dt.date(2026, 10, 3): (TimeRange(dt.time(10), dt.time(12)), TimeRange(dt.time(14), dt.time(16))),
    }
    assert rules.hours.working_days == {dt.date(2026, 10, 10): (nine_to_noon,)}
    assert rules.queues == {
        "legal_aid": ServiceQueue("legal_aid", "B", 80, 20.0, True, True),
        "mediation": ServiceQueue("mediation", "D", None, None, False, False),
    }
    assert rules.windows == {"2": Window("2", "2号窗口", "Window 2", ("legal_aid", "mediation"))}
    assert [rules.prefix_for("mediation", c) for c in (NORMAL, PRIORITY, APPOINTMENT)] == ["D", "V", "Y"]


def test_queues_are_listed_in_the_order_of_the_services(make_content: MakeContent) -> None:
    # mediation (order 4) is written first, legal_aid (order 2) still comes first, as on screen.
    text = QUEUES_INI.replace("[queue.legal_aid]", "[queue.x]").replace("[queue.mediation]", "[queue.legal_aid]")
    text = text.replace("[queue.x]", "[queue.mediation]")
    assert list(load_content(with_queues(make_content, text)).queues.queues) == ["legal_aid", "mediation"]


def test_left_out_numbering_and_optional_keys_take_their_defaults(make_content: MakeContent) -> None:
    text = "[hours]\n" + "".join(f"{day} = 09:00-17:00\n" for day in WEEKDAYS)
    text += "\n[queue.legal_aid]\nprefix = A\n\n[window.1]\nname = 1号窗口\nservices = legal_aid\n"
    rules = load_content(with_queues(make_content, text)).queues
    assert (rules.time_zone, rules.digits, rules.priority_prefix, rules.appointment_prefix) == ("Asia/Shanghai", 3, "V", "Y")
    assert (rules.offline_block_size, rules.offline_blocks, rules.recent_service_times) == (50, 4, 20)
    assert rules.hours.after_hours == () and rules.hours.closed_days == frozenset()
    assert rules.hours.duty_days == {} and rules.hours.working_days == {}
    assert rules.queues["legal_aid"] == ServiceQueue("legal_aid", "A", None, None, False, False)
    assert rules.windows["1"].name_en is None


def test_without_queues_ini_no_service_takes_tickets(content_dir: Path) -> None:
    rules = load_content(content_dir).queues
    assert rules.queues == {} and rules.windows == {}
    assert rules.time_zone == "Asia/Shanghai"


def test_four_digits_and_a_time_zone_with_summer_time(make_content: MakeContent) -> None:
    text = QUEUES_INI.replace("digits = 3", "digits = 4").replace("Asia/Shanghai", "Europe/Berlin")
    rules = load_content(with_queues(make_content, text)).queues
    assert rules.format_number("B", 7) == "B0007"
    assert rules.shared_ceiling() == 9999 - 200
    assert rules.local(dt.datetime(2026, 7, 1, 10, tzinfo=dt.UTC)).hour == 12


def test_load_queue_rules_reads_a_file_on_its_own(tmp_path: Path) -> None:
    path = tmp_path / "queues.ini"
    path.write_text(QUEUES_INI, encoding="utf-8")
    assert list(load_queue_rules(path, ["legal_aid", "mediation"]).queues) == ["legal_aid", "mediation"]
    with pytest.raises(ProblemsFound) as found:
        load_queue_rules(path, ["legal_aid"])
    assert [p.section for p in found.value.problems] == ["queue.mediation", "window.2"]


# -- the sample center -----------------------------------------------------------------------------


def test_the_sample_queues_match_the_sample_services() -> None:
    content = load_content(SAMPLE_CONTENT_DIR)
    rules = content.queues
    assert set(rules.queues) == {s.id for s in content.services} - {"lawyer", "complaint"}
    assert len({q.prefix for q in rules.queues.values()} | {rules.priority_prefix, rules.appointment_prefix}) == len(rules.queues) + 2
    for service_id in rules.queues:
        # The window a service file names (“2号窗口”) is one of the windows that call its tickets.
        named = content.service(service_id).window.zh
        windows = rules.windows_for(service_id)
        assert any(re.match(r"\d+号窗口", w.name_zh) and w.name_zh.split("（")[0] in named for w in windows), service_id


# -- mistakes --------------------------------------------------------------------------------------

Q = "content/queues.ini"
MALFORMED: list[Any] = [
    pytest.param(
        ("time_zone = Asia/Shanghai", "time_zone = Asia/Beijing"),
        [f"{Q}:2: [numbering] time_zone: expected an IANA time zone name such as Asia/Shanghai, got 'Asia/Beijing'"],
        id="unknown time zone",
    ),
    pytest.param(
        ("time_zone = Asia/Shanghai", "time_zone = +08:00"),
        [f"{Q}:2: [numbering] time_zone: expected an IANA time zone name such as Asia/Shanghai, got '+08:00'"],
        id="offset for a time zone",
    ),
    pytest.param(
        ("digits = 3", "digits = 5"),
        [f"{Q}:3: [numbering] digits: expected a whole number from 3 to 4, got '5'"],
        id="five digits",
    ),
    pytest.param(
        ("priority_prefix = V", "priority_prefix = AB"),
        [f"{Q}:4: [numbering] priority_prefix: expected one capital letter from A to Z, got 'AB'"],
        id="prefix AB",
    ),
    pytest.param(
        ("appointment_prefix = Y", "appointment_prefix = V"),
        [
            f"{Q}:5: [numbering] appointment_prefix: expected a letter no other queue uses, got 'V', "
            "already the priority_prefix in [numbering]"
        ],
        id="appointment letter is the green channel's",
    ),
    pytest.param(
        ("offline_block_size = 50", "offline_block_size = 300"),
        [
            f"{Q}:7: [numbering] offline_blocks: expected offline_block_size * offline_blocks to leave at least 100 of the "
            "numbers 1 to 999 to the shared sequence, got 300 * 4 = 1200"
        ],
        id="blocks too large for the digits",
    ),
    pytest.param(
        ("monday = 09:00-12:00, 13:30-17:30", "monday = 09:00-12:00, 13:30-25:00"),
        [f"{Q}:11: [hours] monday: expected a time of day from 00:00 to 23:59 (or 24:00 as an end), got '25:00' in '13:30-25:00'"],
        id="25:00",
    ),
    pytest.param(
        ("tuesday = 09:00-12:00, 13:30-17:30", "tuesday = 12:00-09:00"),
        [f"{Q}:12: [hours] tuesday: expected a time range that ends after it starts, got '12:00-09:00'"],
        id="reversed range",
    ),
    pytest.param(
        ("wednesday = 09:00-12:00, 13:30-17:30", "wednesday = 09:00-12:00, 11:30-13:00"),
        [f"{Q}:13: [hours] wednesday: expected time ranges that do not overlap, got '09:00-12:00' and '11:30-13:00'"],
        id="overlapping ranges",
    ),
    pytest.param(
        ("thursday = 09:00-12:00, 13:30-17:30", "thursday = 9am-5pm"),
        [f"{Q}:14: [hours] thursday: expected a time range as HH:MM-HH:MM such as 09:00-12:00, got '9am-5pm'"],
        id="not HH:MM",
    ),
    pytest.param(
        ("sunday =\n", ""),
        [
            f"{Q}:10: [hours] sunday: expected opening hours as HH:MM-HH:MM such as 09:00-12:00, 13:30-17:30, "
            "or nothing when closed, got no value (the key is missing)"
        ],
        id="weekday left out",
    ),
    pytest.param(
        ("    2026-10-05\n", "    2026-10-32\n"),
        [f"{Q}:22: [hours] closed_days: expected a real calendar date as YYYY-MM-DD, got '2026-10-32'"],
        id="no such date in closed_days",
    ),
    pytest.param(
        ("    2026-10-05\n", "    5.10.2026\n"),
        [f"{Q}:22: [hours] closed_days: expected a date as YYYY-MM-DD, got '5.10.2026'"],
        id="date not as YYYY-MM-DD",
    ),
    pytest.param(
        ("    2026-10-05\n", "    2026-10-01\n"),
        [f"{Q}:22: [hours] closed_days: expected each date once, got '2026-10-01' again (first at line 20)"],
        id="closed day twice",
    ),
    pytest.param(
        ("    2026-10-03 10:00-12:00, 14:00-16:00", "    2026-10-03"),
        [f"{Q}:25: [hours] duty_days: expected a date and its hours such as 2026-10-03 09:00-11:30, got '2026-10-03'"],
        id="duty day without hours",
    ),
    pytest.param(
        ("    2026-10-03 10:00-12:00, 14:00-16:00", "    2026-10-06 10:00-12:00"),
        [
            f"{Q}:25: [hours] duty_days: expected a day in closed_days or one without regular hours, got '2026-10-06', "
            "a Tuesday with regular hours"
        ],
        id="duty on a working day",
    ),
    pytest.param(
        ("    2026-10-03 10:00-12:00, 14:00-16:00", "    2026-10-03 10:00-12:00, 11:00-16:00"),
        [f"{Q}:25: [hours] duty_days: expected time ranges that do not overlap, got '10:00-12:00' and '11:00-16:00'"],
        id="duty hours overlap",
    ),
    pytest.param(
        ("    2026-10-10 09:00-12:00", "    2026-10-05 09:00-12:00"),
        [f"{Q}:27: [hours] working_days: expected a day that is not also in closed_days, got '2026-10-05' (closed_days, line 22)"],
        id="working day that is closed",
    ),
    pytest.param(
        ("[queue.mediation]", "[queue.divorce]"),
        [
            f"{Q}:36: [queue.divorce] expected one of the services {SERVICES}, got 'divorce', which has no file in services/",
            f"{Q}:44: [window.2] services: expected a service that takes tickets, got 'mediation', which has no [queue.mediation] section",
        ],
        id="unknown service",
    ),
    pytest.param(
        ("[queue.mediation]", "[queue.Mediation]"),
        [
            f"{Q}:36: [queue.Mediation] expected an id of lower-case letters, digits and '_' after 'queue.', got 'Mediation'",
            f"{Q}:44: [window.2] services: expected a service that takes tickets, got 'mediation', which has no [queue.mediation] section",
        ],
        id="service id with capitals",
    ),
    pytest.param(
        ("prefix = D", "prefix = B"),
        [f"{Q}:37: [queue.mediation] prefix: expected a letter no other queue uses, got 'B', already the prefix of [queue.legal_aid]"],
        id="duplicate prefix",
    ),
    pytest.param(
        ("prefix = B", "prefix = V"),
        [f"{Q}:30: [queue.legal_aid] prefix: expected a letter no other queue uses, got 'V', already the priority_prefix in [numbering]"],
        id="prefix of the green channel",
    ),
    pytest.param(
        ("prefix = D", "prefix = d"),
        [f"{Q}:37: [queue.mediation] prefix: expected one capital letter from A to Z, got 'd'"],
        id="lower-case prefix",
    ),
    pytest.param(
        ("daily_cap = 80", "daily_cap = many"),
        [f"{Q}:31: [queue.legal_aid] daily_cap: expected a whole number from 1 to 9999, or nothing, got 'many'"],
        id="cap not a number",
    ),
    pytest.param(
        ("default_minutes = 20", "default_minutes = 0"),
        [f"{Q}:32: [queue.legal_aid] default_minutes: expected a number from 0.5 to 480, or nothing, got '0'"],
        id="zero minutes",
    ),
    pytest.param(
        ("daily_cap = 80", "dailycap = 80"),
        [
            f"{Q}:31: [queue.legal_aid] dailycap: expected one of the keys prefix, daily_cap, default_minutes, after_hours, "
            "holiday_duty, digits, got an unknown key (did you mean 'daily_cap'?)"
        ],
        id="unknown key",
    ),
    pytest.param(
        ("services = legal_aid, mediation", "services = legal_aid, mediation, divorce"),
        [f"{Q}:44: [window.2] services: expected one of the services legal_aid, mediation, got 'divorce'"],
        id="window names an unknown service",
    ),
    pytest.param(
        ("services = legal_aid, mediation", "services = legal_aid, mediation, complaint"),
        [f"{Q}:44: [window.2] services: expected a service that takes tickets, got 'complaint', which has no [queue.complaint] section"],
        id="window names a service without tickets",
    ),
    pytest.param(
        ("services = legal_aid, mediation", "services = legal_aid"),
        [f"{Q}:36: [queue.mediation] expected a [window.<id>] whose services include mediation, got none"],
        id="queue no window calls",
    ),
    pytest.param(
        ("services = legal_aid, mediation", "services ="),
        [
            f"{Q}:44: [window.2] services: expected service ids separated by commas, such as legal_aid, consultation, got nothing",
            f"{Q}:29: [queue.legal_aid] expected a [window.<id>] whose services include legal_aid, got none",
            f"{Q}:36: [queue.mediation] expected a [window.<id>] whose services include mediation, got none",
        ],
        id="window without services",
    ),
    pytest.param(
        ("[window.2]", "[windows.2]"),
        [
            f"{Q}:41: [windows.2] expected one of the sections numbering, hours, queue.<id>, window.<id>, hours.<id>, "
            "got an unknown section (did you mean [window.<id>]?)",
            f"{Q}:29: [queue.legal_aid] expected a [window.<id>] whose services include legal_aid, got none",
            f"{Q}:36: [queue.mediation] expected a [window.<id>] whose services include mediation, got none",
        ],
        id="misspelt section",
    ),
]


@pytest.mark.parametrize(("replace", "expected"), MALFORMED)
def test_malformed_queues_ini_gives_one_exact_line_per_mistake(
    in_tmp: Path, make_content: MakeContent, replace: tuple[str, str], expected: list[str]
) -> None:
    assert problems_of(with_queues(make_content, replace=replace)) == expected


def test_no_hours_and_no_queues(in_tmp: Path, make_content: MakeContent) -> None:
    assert problems_of(with_queues(make_content, "[numbering]\ndigits = 4\n")) == [
        f"{Q}: [hours] expected a [hours] section, got none",
        f"{Q}: expected at least one [queue.<id>] section, got none",
    ]


def test_mistakes_on_indented_lines_name_their_own_line(in_tmp: Path, make_content: MakeContent) -> None:
    text = QUEUES_INI.replace("    2026-10-01, 2026-10-02\n", "    2026-10-01, 2026-13-02\n").replace(
        "    2026-10-02 09:00-11:30\n", "    2026-10-02 9:00-11:70\n"
    )
    assert problems_of(with_queues(make_content, text)) == [
        f"{Q}:20: [hours] closed_days: expected a real calendar date as YYYY-MM-DD, got '2026-13-02'",
        f"{Q}:24: [hours] duty_days: expected a time of day from 00:00 to 23:59 (or 24:00 as an end), got '11:70' in '9:00-11:70'",
    ]


def test_kiosk_check_reports_mistakes_in_queues_ini(
    in_tmp: Path, kiosk_ini: Path, content_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (content_dir / "queues.ini").write_text(QUEUES_INI.replace("digits = 3", "digits = 5"), encoding="utf-8")
    assert cli.main(["check", "--config", str(kiosk_ini)]) == cli.EXIT_INVALID
    assert capsys.readouterr().err.splitlines() == [f"{Q}:3: [numbering] digits: expected a whole number from 3 to 4, got '5'"]


# -- a service's own hours -----------------------------------------------------------------------

OWN_HOURS = """
[hours.mediation]
monday = 14:00-17:00
saturday = 09:00-11:00
"""


def test_a_service_can_keep_its_own_weekly_hours(make_content: MakeContent) -> None:
    rules = load_content(with_queues(make_content, QUEUES_INI + OWN_HOURS)).queues
    mediation, legal_aid = rules.queues["mediation"], rules.queues["legal_aid"]
    assert legal_aid.weekly is None  # the center's [hours]
    assert mediation.weekly is not None
    assert mediation.weekly["monday"] == (TimeRange(dt.time(14), dt.time(17)),)
    assert mediation.weekly["saturday"] == (TimeRange(dt.time(9), dt.time(11)),)
    assert mediation.weekly["tuesday"] == rules.hours.weekly["tuesday"]  # a day left out keeps the center's


def test_mistakes_in_a_services_own_hours(in_tmp: Path, make_content: MakeContent) -> None:
    text = QUEUES_INI + OWN_HOURS.replace("14:00-17:00", "17:00-14:00") + "\n[hours.notarization]\nmonday = 09:00-10:00\n"
    own = QUEUES_INI.count("\n") + 3  # the line of "monday" in [hours.mediation]
    assert problems_of(with_queues(make_content, text)) == [
        f"{Q}:{own}: [hours.mediation] monday: expected a time range that ends after it starts, got '17:00-14:00'",
        f"{Q}:{own + 3}: [hours.notarization] expected a service with a [queue.<id>] section (legal_aid, mediation), got 'notarization'",
    ]


# -- a service's own number width ----------------------------------------------------------------


def test_a_busy_service_can_have_four_digit_numbers(make_content: MakeContent) -> None:
    text = QUEUES_INI.replace("holiday_duty = yes\n", "holiday_duty = yes\ndigits = 4\n", 1)
    rules = load_content(with_queues(make_content, text)).queues
    assert rules.queues["legal_aid"].digits == 4 and rules.queues["mediation"].digits is None
    assert (rules.format_number("B", 7), rules.format_number("D", 7), rules.format_number("V", 7)) == ("B0007", "D007", "V007")
    assert (rules.shared_ceiling("B"), rules.offline_block(1, "B")) == (9799, range(9950, 10000))
    assert (rules.shared_ceiling("D"), rules.offline_block(1, "D")) == (799, range(950, 1000))


def test_a_width_must_leave_room_beside_the_offline_blocks(in_tmp: Path, make_content: MakeContent) -> None:
    text = QUEUES_INI.replace("digits = 3", "digits = 4").replace("offline_block_size = 50", "offline_block_size = 300")
    text = text.replace("holiday_duty = yes\n", "holiday_duty = yes\ndigits = 3\n", 1)
    assert problems_of(with_queues(make_content, text)) == [
        f"{Q}:35: [queue.legal_aid] digits: expected a width whose numbers 1 to 999 leave at least 100 "
        "beside the offline blocks (1200 numbers), got 3"
    ]
