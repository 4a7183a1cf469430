"""Reading a content folder: a good one becomes Content; every mistake in a bad one is one exact line.

Line numbers refer to the templates in conftest.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from kiosk.content import Text
from kiosk.content_loader import REQUIRED_SERVICES, content_version, load_content
from kiosk.problems import ProblemsFound

MakeContent = Any  # the make_content fixture: (files=..., replace=..., folder=...) -> Path


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(ProblemsFound) as found:
        load_content(folder)
    return [str(p) for p in found.value.problems]


# -- a good folder -------------------------------------------------------------------------------


def test_a_good_folder_becomes_content(content_dir: Path) -> None:
    content = load_content(content_dir)
    assert content.folder == content_dir
    center = content.center
    assert center.name == Text("示范区公共法律服务中心", "Sample District Public Legal Service Center")
    assert center.address == Text("示范路1号")
    assert (center.postcode, center.phone, center.supervision_phone) == ("400000", "023-12345678", "023-87654321")
    assert (center.email, center.hotline) == ("center@example.org", "12348")
    assert center.hours.zh == "周一至周五 上午9:00-12:00\n周一至周五 下午14:00-17:30"
    assert content.scope == (Text("解答法律咨询", "Legal advice"), Text("受理法律援助申请", "Legal aid applications"))
    assert [c.id for c in content.commitments] == ["instant"]
    assert content.commitments[0].title.get("en") == "Served at once"
    assert content.commitments[0].text.get("en") == "能当场办理的，当场办理。", "no English: the Chinese is shown"

    zhang, li = content.staff
    assert (zhang.id, zhang.on_duty, zhang.absence_reason, zhang.window) == ("zhang", True, None, Text("2号窗口"))
    assert zhang.photo == content_dir / "photos" / "zhang.png"
    assert (li.id, li.on_duty, li.absence_reason, li.window) == ("li", False, Text("外出办案"), None)

    assert [s.id for s in content.services] == list(REQUIRED_SERVICES)
    legal_aid = content.service("legal_aid")
    assert legal_aid.order == 2
    assert legal_aid.name == Text("法律援助", "Legal aid")
    assert [s.get("en") for s in legal_aid.steps] == [
        "Take a number",
        "Hand in the application at the window",
        "Collect the result",
    ]
    assert [s.get("zh_CN") for s in legal_aid.steps] == ["取号", "窗口受理", "领取结果"]
    (material,) = legal_aid.materials
    assert (material.name.zh, material.form, material.copies, material.note) == (
        "居民身份证",
        "original_and_copy",
        2,
        Text("复印件请用A4纸", "Copies on A4 paper"),
    )
    (basis,) = legal_aid.basis
    assert (basis.law.get("en"), basis.article.get("zh_CN")) == ("Legal Aid Law", "第四十一条")

    hours, holiday = content.notices
    assert (hours.id, hours.published, hours.long_term) == ("hours", dt.date(2026, 1, 5), True)
    assert (holiday.id, holiday.published, holiday.period_days, holiday.long_term) == ("holiday", dt.date(2026, 2, 1), 10, False)
    assert [r.id for r in content.rules] == ["disclosure"]
    assert content.rules[0].body.zh == "本中心公开服务事项、办事流程和收费标准。\n公示内容有变化的，及时更新。"

    guide = content.guide
    assert list(guide.questions) == ["start", "dispute"]
    assert [(c.id, c.goto) for c in guide.questions["start"].choices] == [
        ("advice", "service.consultation"),
        ("dispute", "question.dispute"),
    ]
    assert list(guide.outside) == ["court"]


def test_services_are_listed_by_their_order(make_content: MakeContent) -> None:
    folder = make_content(replace={"services/complaint.ini": ("order = 7", "order = 1")})
    ids = [s.id for s in load_content(folder).services]
    assert ids[:2] == ["complaint", "consultation"], "same order: by id"


def test_extra_services_and_other_files_are_allowed(make_content: MakeContent, templates: dict[str, str]) -> None:
    folder = make_content(files={"services/lawyer.ini": templates["services/legal_aid.ini"].replace("order = 2", "order = 8")})
    (folder / "README.md").write_text("notes for staff", encoding="utf-8")
    (folder / "services" / "notes.txt").write_text("draft", encoding="utf-8")
    content = load_content(folder)
    assert [s.id for s in content.services][-1] == "lawyer"


def test_missing_optional_keys_take_their_documented_defaults(make_content: MakeContent) -> None:
    folder = make_content(
        replace={
            "notices.ini": ("period_days = 10\n", ""),
            "staff.ini": ("window = 2号窗口\n", ""),
            "services/legal_aid.ini": ("note = 复印件请用A4纸\nnote_en = Copies on A4 paper\n", ""),
        }
    )
    content = load_content(folder)
    hours, holiday = content.notices
    assert holiday.period_days == 7, "公示期一般为7天"
    assert holiday.long_term is False
    assert content.center.sample is False
    assert content.staff[0].window is None
    assert content.service("legal_aid").materials[0].note is None


def test_sample_yes_marks_sample_content(make_content: MakeContent) -> None:
    folder = make_content(replace={"center.ini": ("hotline = 12348\n", "hotline = 12348\nsample = yes\n")})
    assert load_content(folder).center.sample is True


def test_english_falls_back_to_chinese() -> None:
    assert Text("中文").get("en") == "中文"
    assert Text("中文", "English").get("en") == "English"
    assert Text("中文", "English").get("zh_CN") == "中文"


def test_content_version_changes_with_any_file(content_dir: Path) -> None:
    before = content_version(content_dir)
    assert before == load_content(content_dir).version
    assert len(before) == 12
    (content_dir / "photos" / "zhang.png").write_bytes(b"another photo")
    assert content_version(content_dir) != before


# -- malformed content: the exact lines staff read --------------------------------------------

SERVICE = "services/legal_aid.ini"
EXTRA_QUESTION = "\n[question.orphan]\ntext = 这个问题没有入口？\n\n[choice.orphan.a]\nlabel = 甲\ngoto = service.legal_aid\n\n"
EXTRA_QUESTION += "[choice.orphan.b]\nlabel = 乙\ngoto = service.notarization\n"
START_SECTION = "[question.start]\ntext = 您今天主要想办什么事？\ntext_en = What would you like to do today?\n"

MALFORMED: list[Any] = [
    pytest.param(
        {"center.ini": ("postcode = 400000\n", "")},
        ["content/center.ini:1: [center] postcode: expected a postcode of six digits, got no value (the key is missing)"],
        id="missing required key",
    ),
    pytest.param(
        {"center.ini": ("name = 示范区公共法律服务中心", "name =")},
        ["content/center.ini:2: [center] name: expected some text, got nothing"],
        id="empty value",
    ),
    pytest.param(
        {"center.ini": ("items =\n    解答法律咨询\n    受理法律援助申请\n", "items =\n")},
        ["content/center.ini:15: [scope] items: expected a list, one item per indented line, got nothing"],
        id="empty list",
    ),
    pytest.param(
        {"center.ini": ("postcode = 400000", "postcode = 40000")},
        ["content/center.ini:5: [center] postcode: expected a postcode of six digits, got '40000'"],
        id="bad postcode",
    ),
    pytest.param(
        {"center.ini": ("email = center@example.org", "email = center.example.org")},
        ["content/center.ini:8: [center] email: expected an email address, got 'center.example.org'"],
        id="bad email",
    ),
    pytest.param(
        {"center.ini": ("hotline = 12348", "hotline = 一二三四八")},
        ["content/center.ini:9: [center] hotline: expected a phone number, got '一二三四八'"],
        id="bad phone",
    ),
    pytest.param(
        {"center.ini": ("items_en =\n    Legal advice\n    Legal aid applications\n", "items_en =\n    Legal advice and aid\n")},
        ["content/center.ini:18: [scope] items_en: expected 2 items, one for each item of items, got 1"],
        id="English list too short",
    ),
    pytest.param(
        {"center.ini": ("[scope]", "[scop]")},
        [
            "content/center.ini:14: [scop] expected one of the sections center, scope, commitment.<id>, "
            "got an unknown section (did you mean [scope]?)",
            "content/center.ini: [scope] expected a [scope] section, got none",
        ],
        id="misspelt fixed section",
    ),
    pytest.param(
        {"center.ini": ("[commitment.instant]", "[commitment.]")},
        [
            "content/center.ini:22: [commitment.] expected one of the sections center, "
            "scope, commitment.<id>, got an unknown section "
            "(did you mean [commitment.<id>]?)",
            "content/center.ini: expected at least one [commitment.<id>] section, got none",
        ],
        id="commitment without id",
    ),
    pytest.param(
        {"notices.ini": ("published = 2026-02-01", "published = 2026-13-01")},
        ["content/notices.ini:11: [notice.holiday] published: expected a real calendar date as YYYY-MM-DD, got '2026-13-01'"],
        id="date 2026-13-01",
    ),
    pytest.param(
        {"notices.ini": ("published = 2026-02-01", "published = 2026-02-30")},
        ["content/notices.ini:11: [notice.holiday] published: expected a real calendar date as YYYY-MM-DD, got '2026-02-30'"],
        id="date 2026-02-30",
    ),
    pytest.param(
        {"notices.ini": ("published = 2026-02-01", "published = tomorrow")},
        ["content/notices.ini:11: [notice.holiday] published: expected a date as YYYY-MM-DD, got 'tomorrow'"],
        id="date tomorrow",
    ),
    pytest.param(
        {"notices.ini": ("published = 2026-02-01", "published = 2026/2/1")},
        ["content/notices.ini:11: [notice.holiday] published: expected a date as YYYY-MM-DD, got '2026/2/1'"],
        id="date with slashes",
    ),
    pytest.param(
        {"notices.ini": ("period_days = 10", "period_days = 0")},
        ["content/notices.ini:12: [notice.holiday] period_days: expected a whole number from 1 to 365, got '0'"],
        id="period_days 0",
    ),
    pytest.param(
        {"notices.ini": ("period_days = 10", "period_days = 7天")},
        ["content/notices.ini:12: [notice.holiday] period_days: expected a whole number from 1 to 365, got '7天'"],
        id="period_days with unit",
    ),
    pytest.param(
        {"notices.ini": ("period_days = 10", "period = 10")},
        [
            "content/notices.ini:12: [notice.holiday] period: expected one of the keys title, body, published, period_days, "
            "long_term, title_en, body_en, got an unknown key (did you mean 'period_days'?)"
        ],
        id="unknown key, did you mean",
    ),
    pytest.param(
        {"notices.ini": ("[notice.holiday]", "[notic.holiday]")},
        [
            "content/notices.ini:7: [notic.holiday] expected one of the sections notice.<id>, got an unknown section "
            "(did you mean [notice.<id>]?)"
        ],
        id="unknown section, did you mean",
    ),
    pytest.param(
        {"notices.ini": ("long_term = yes", "long_term = forever")},
        ["content/notices.ini:5: [notice.hours] long_term: expected yes or no, got 'forever'"],
        id="bad yes/no",
    ),
    pytest.param(
        {SERVICE: ("form = original_and_copy", "form = scan")},
        ["content/services/legal_aid.ini:41: [material.1] form: expected one of original, copy, original_and_copy, got 'scan'"],
        id="bad material form",
    ),
    pytest.param(
        {SERVICE: ("copies = 2", "copies = 0")},
        ["content/services/legal_aid.ini:42: [material.1] copies: expected a whole number from 1 to 20, got '0'"],
        id="copies 0",
    ),
    pytest.param(
        {SERVICE: ("order = 2", "order = 0")},
        ["content/services/legal_aid.ini:4: [service] order: expected a whole number from 1 to 999, got '0'"],
        id="order 0",
    ),
    pytest.param(
        {SERVICE: ("    Collect the result\n", "")},
        ["content/services/legal_aid.ini:19: [service] steps_en: expected 3 items, one for each item of steps, got 2"],
        id="English steps too few",
    ),
    pytest.param(
        {SERVICE: ("fees_en = Free", "fees_en =")},
        ["content/services/legal_aid.ini:34: [service] fees_en: expected some text, got nothing"],
        id="empty English twin",
    ),
    pytest.param(
        {SERVICE: ("[basis.1]", "[basis.first law]")},
        [
            "content/services/legal_aid.ini:46: expected a section name of letters, "
            "digits, '_', '.' or '-', got 'basis.first law'",
            "content/services/legal_aid.ini: expected at least one [basis.<n>] section (法律依据), got none",
        ],
        id="no legal basis",
    ),
    pytest.param(
        {"staff.ini": ("photo = photos/zhang.png", "photo = photos/nobody.png")},
        [
            "content/staff.ini:4: [staff.zhang] photo: expected a PNG or JPEG file inside "
            "the content folder, got 'photos/nobody.png'"
        ],
        id="photo missing",
    ),
    pytest.param(
        {"staff.ini": ("photo = photos/zhang.png", "photo = photos")},
        ["content/staff.ini:4: [staff.zhang] photo: expected a PNG or JPEG file inside the content folder, got 'photos'"],
        id="photo is a folder",
    ),
    pytest.param(
        {"staff.ini": ("absence_reason = 外出办案\n", "")},
        [
            "content/staff.ini:12: [staff.li] absence_reason: expected the reason for being off "
            "duty (未在岗原因) when on_duty = no, got no value"
        ],
        id="off duty without reason",
    ),
    pytest.param(
        {"staff.ini": ("window = 2号窗口", "absence_reason = 开会")},
        ["content/staff.ini:6: [staff.zhang] absence_reason: expected no reason when on_duty = yes, got '开会'"],
        id="on duty with reason",
    ),
    pytest.param(
        {"staff.ini": ("on_duty = yes", "on_duty = 在岗")},
        ["content/staff.ini:5: [staff.zhang] on_duty: expected yes or no, got '在岗'"],
        id="on_duty in Chinese",
    ),
    pytest.param(
        {"staff.ini": ("[staff.zhang]", "[staff.Zhang]")},
        ["content/staff.ini:1: [staff.Zhang] expected an id of lower-case letters, digits and '_' after 'staff.', got 'Zhang'"],
        id="bad staff id",
    ),
    pytest.param(
        {"guide.ini": ("goto = service.consultation", "goto = service.lawyer")},
        ["content/guide.ini:7: [choice.start.advice] goto: expected a service that exists, got 'service.lawyer'"],
        id="goto a missing service",
    ),
    pytest.param(
        {"guide.ini": ("goto = outside.court", "goto = outside.courts")},
        [
            "content/guide.ini:22: [choice.dispute.yes] goto: expected an outside that exists, got 'outside.courts'",
            "content/guide.ini:24: [outside.court] expected every answer to be used by a "
            "choice, got one no reachable choice leads to",
        ],
        id="goto a missing outside answer",
    ),
    pytest.param(
        {"guide.ini": ("goto = question.dispute", "goto = question.disput")},
        [
            "content/guide.ini:11: [choice.start.dispute] goto: expected a question that exists, got 'question.disput'",
            "content/guide.ini:13: [question.dispute] expected every question to be reachable from question.start, "
            "got one no choice leads to",
            "content/guide.ini:24: [outside.court] expected every answer to be used by a "
            "choice, got one no reachable choice leads to",
        ],
        id="goto a missing question",
    ),
    pytest.param(
        {"guide.ini": ("goto = service.consultation", "goto = consultation")},
        [
            "content/guide.ini:7: [choice.start.advice] goto: expected question.<id>, "
            "service.<id> or outside.<id>, got 'consultation'",
            "content/guide.ini:1: [question.start] expected at least 2 [choice.start.<id>] sections, got 1",
        ],
        id="goto without kind",
    ),
    pytest.param(
        {"guide.ini": ("goto = service.mediation", "goto = question.start")},
        [
            "content/guide.ini:18: [choice.dispute.no] goto: expected the guide to move "
            "forward, got a loop back to 'question.start'"
        ],
        id="loop",
    ),
    pytest.param(
        {"guide.ini": ("[choice.dispute.yes]\nlabel = 已经起诉了\ngoto = outside.court\n", "")},
        [
            "content/guide.ini:13: [question.dispute] expected at least 2 [choice.dispute.<id>] sections, got 1",
            "content/guide.ini:21: [outside.court] expected every answer to be used by a "
            "choice, got one no reachable choice leads to",
        ],
        id="question with one choice",
    ),
    pytest.param(
        {"guide.ini": (START_SECTION, "")},
        ["content/guide.ini: [question.start] expected a [question.start] section, got none"],
        id="no question.start",
    ),
    pytest.param(
        {"guide.ini": ("[choice.start.advice]", "[choice.start]")},
        [
            "content/guide.ini:5: [choice.start] expected <question id>.<choice id> of lower-case letters, digits and '_' "
            "after 'choice.', got 'start'",
            "content/guide.ini:1: [question.start] expected at least 2 [choice.start.<id>] sections, got 1",
        ],
        id="choice without its question",
    ),
    pytest.param(
        {"guide.ini": ("[choice.dispute.yes]", "[choice.disput.yes]")},
        [
            "content/guide.ini:20: [choice.disput.yes] expected a choice of an existing question, got one for question.disput, "
            "which does not exist",
            "content/guide.ini:13: [question.dispute] expected at least 2 [choice.dispute.<id>] sections, got 1",
            "content/guide.ini:24: [outside.court] expected every answer to be used by a "
            "choice, got one no reachable choice leads to",
        ],
        id="choice of a missing question",
    ),
]


@pytest.mark.parametrize(("replace", "expected"), MALFORMED)
def test_malformed_content_gives_one_exact_line_per_mistake(
    in_tmp: Path, make_content: MakeContent, replace: Mapping[str, tuple[str, str]], expected: list[str]
) -> None:
    assert problems_of(make_content(replace=replace)) == expected


def test_unreachable_question(in_tmp: Path, make_content: MakeContent, templates: dict[str, str]) -> None:
    folder = make_content(files={"guide.ini": templates["guide.ini"] + EXTRA_QUESTION})
    assert problems_of(folder) == [
        "content/guide.ini:28: [question.orphan] expected every question to be reachable "
        "from question.start, got one no choice leads to"
    ]


def test_unused_outside_answer(in_tmp: Path, make_content: MakeContent, templates: dict[str, str]) -> None:
    folder = make_content(
        files={"guide.ini": templates["guide.ini"] + "\n[outside.police]\ntitle = 请报警\ntext = 请拨打110。\n"}
    )
    assert problems_of(folder) == [
        "content/guide.ini:28: [outside.police] expected every answer to be used by a "
        "choice, got one no reachable choice leads to"
    ]


def test_a_question_that_loops_back_to_itself(in_tmp: Path, make_content: MakeContent) -> None:
    folder = make_content(replace={"guide.ini": ("goto = service.mediation", "goto = question.dispute")})
    assert problems_of(folder) == [
        "content/guide.ini:18: [choice.dispute.no] goto: expected the guide to move "
        "forward, got a loop back to 'question.dispute'"
    ]


def test_two_ways_to_one_question_are_not_a_loop(make_content: MakeContent) -> None:
    folder = make_content(replace={"guide.ini": ("goto = service.consultation", "goto = question.dispute")})
    assert list(load_content(folder).guide.questions) == ["start", "dispute"]


UNKNOWN_FILE = (
    "content/notice.ini: expected one of the files center.ini, staff.ini, notices.ini, "
    "rules.ini, guide.ini, queues.ini or services/<id>.ini, "
    "got an unknown file"
)

FILE_PROBLEMS: list[Any] = [
    pytest.param({"notice.ini": "[notice.a]\n"}, [UNKNOWN_FILE], id="unknown file"),
    pytest.param(
        {"services/appraisal.ini": None},
        ["content/services/appraisal.ini: expected this service file, got no such file"],
        id="missing service",
    ),
    pytest.param(
        {"rules.ini": None}, ["content/rules.ini: expected this content file, got no such file"], id="missing rules.ini"
    ),
    pytest.param(
        {"services/Legal-Aid.ini": "[service]\n"},
        [
            "content/services/Legal-Aid.ini: expected a file name of lower-case letters, digits "
            "and '_' (the service id), got 'Legal-Aid.ini'"
        ],
        id="service file with a bad name",
    ),
    pytest.param(
        {"rules.ini": "[rule.a]\ntitle = 制度\n".encode() + "body = 公开".encode("gbk") + b"\n"},
        ["content/rules.ini:3: expected UTF-8 text, got the byte 0xb9"],
        id="file saved as GBK",
    ),
    pytest.param(
        {"staff.ini": "# nobody yet\n"},
        ["content/staff.ini: expected at least one [staff.<id>] section, got none"],
        id="no staff",
    ),
    pytest.param(
        {"center.ini": "[center]\n"},
        [
            "content/center.ini:1: [center] name: expected some text, got no value (the key is missing)",
            "content/center.ini:1: [center] address: expected some text, got no value (the key is missing)",
            "content/center.ini:1: [center] postcode: expected a postcode of six digits, got no value (the key is missing)",
            "content/center.ini:1: [center] phone: expected a phone number, got no value (the key is missing)",
            "content/center.ini:1: [center] supervision_phone: expected a phone number, got no value (the key is missing)",
            "content/center.ini:1: [center] email: expected an email address, got no value (the key is missing)",
            "content/center.ini:1: [center] hotline: expected a phone number, got no value (the key is missing)",
            "content/center.ini:1: [center] hours: expected some text, got no value (the key is missing)",
            "content/center.ini: [scope] expected a [scope] section, got none",
            "content/center.ini: expected at least one [commitment.<id>] section, got none",
        ],
        id="center.ini almost empty",
    ),
    pytest.param(
        {f"services/{ident}.ini": None for ident in REQUIRED_SERVICES},
        [
            "content/services: expected a folder of service files, got no such folder",
            "content/guide.ini:7: [choice.start.advice] goto: expected a service that exists, got 'service.consultation'",
            "content/guide.ini:18: [choice.dispute.no] goto: expected a service that exists, got 'service.mediation'",
        ],
        id="no services folder",
    ),
]


@pytest.mark.parametrize(("files", "expected"), FILE_PROBLEMS)
def test_file_level_problems(in_tmp: Path, make_content: MakeContent, files: dict[str, Any], expected: list[str]) -> None:
    assert problems_of(make_content(files=files)) == expected


def test_a_content_file_that_is_a_folder(in_tmp: Path, make_content: MakeContent) -> None:
    folder = make_content(files={"rules.ini": None})
    (folder / "rules.ini").mkdir()
    assert problems_of(folder) == ["content/rules.ini: expected a file, got a directory"]


def test_a_missing_content_folder(in_tmp: Path) -> None:
    assert problems_of(in_tmp / "nowhere") == ["nowhere: expected a folder of content files, got no such folder"]


def test_mistakes_in_several_files_are_all_listed(in_tmp: Path, make_content: MakeContent) -> None:
    folder = make_content(
        replace={
            "center.ini": ("postcode = 400000", "postcode = 40000"),
            "notices.ini": ("period_days = 10", "period_days = 0"),
            SERVICE: ("copies = 2", "copies = 0"),
        },
        files={"notice.ini": "[notice.a]\n"},
    )
    assert problems_of(folder) == [
        UNKNOWN_FILE,
        "content/center.ini:5: [center] postcode: expected a postcode of six digits, got '40000'",
        "content/services/legal_aid.ini:42: [material.1] copies: expected a whole number from 1 to 20, got '0'",
        "content/notices.ini:12: [notice.holiday] period_days: expected a whole number from 1 to 365, got '0'",
    ]


def test_a_photo_outside_the_content_folder_is_refused(in_tmp: Path, make_content: MakeContent) -> None:
    # The README: "photo = path inside the content folder". A photo outside it is not in the
    # last-good copy the kiosk falls back to, so it must be refused like a missing one.
    folder = make_content(replace={"staff.ini": ("photo = photos/zhang.png", "photo = ../zhang.png")})
    (in_tmp / "zhang.png").write_bytes((folder / "photos" / "zhang.png").read_bytes())
    assert problems_of(folder) == [
        "content/staff.ini:4: [staff.zhang] photo: expected a PNG or JPEG file inside the content folder, got '../zhang.png'"
    ]


def test_a_loop_reached_two_ways_is_one_mistake(in_tmp: Path, make_content: MakeContent, templates: dict[str, str]) -> None:
    # Both choices of question.start lead to question.dispute, whose first choice loops back:
    # one wrong line in the file, so one message.
    guide = templates["guide.ini"].replace("goto = service.consultation", "goto = question.dispute")
    folder = make_content(files={"guide.ini": guide.replace("goto = service.mediation", "goto = question.start")})
    assert problems_of(folder) == [
        "content/guide.ini:18: [choice.dispute.no] goto: expected the guide to move forward, got a loop back to 'question.start'"
    ]
