"""What a visitor and staff see from the content: notices in their period, the content store's
fallback, the guide walk, the idle timer and staff gesture, the PIN, the documents and the words."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest

from kiosk.content import Content, Notice, Text
from kiosk.content_loader import content_version, load_content
from kiosk.content_store import LAST_GOOD, ContentStore
from kiosk.documents import BULLET, FIELD, HEADING, NOTE, PARAGRAPH, STEP, Block, DocumentBuilder
from kiosk.guide import Answer, GuideWalk
from kiosk.i18n import load_strings
from kiosk.idle import IdleTimer, PinGate, TapSequence
from kiosk.paths import I18N_DIR
from kiosk.pin import HASH_PATTERN, SAMPLE_PIN_HASH, hash_pin, is_valid_pin, pin_matches
from kiosk.problems import ProblemsFound

DAY = dt.date(2026, 3, 10)


class FakeClock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def notice(ident: str, published: dt.date, period_days: int = 7, long_term: bool = False) -> Notice:
    return Notice(ident, Text(ident), Text("正文"), published, period_days, long_term)


# -- notices ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "shown"),
    [(-1, False), (0, True), (1, True), (6, True), (7, False), (30, False)],
)
def test_a_notice_is_shown_for_its_period_from_the_day_it_is_published(offset: int, shown: bool) -> None:
    assert notice("a", DAY, period_days=7).visible_on(DAY + dt.timedelta(days=offset)) is shown


def test_a_one_day_notice_is_shown_on_its_day_only() -> None:
    one_day = notice("a", DAY, period_days=1)
    assert [one_day.visible_on(DAY + dt.timedelta(days=d)) for d in (-1, 0, 1)] == [False, True, False]


@pytest.mark.parametrize(("offset", "shown"), [(-1, False), (0, True), (7, True), (3650, True)])
def test_a_long_term_notice_never_expires_but_waits_for_its_publish_date(offset: int, shown: bool) -> None:
    assert notice("a", DAY, period_days=7, long_term=True).visible_on(DAY + dt.timedelta(days=offset)) is shown


def test_visible_notices_are_newest_first(content_dir: Path) -> None:
    content = dataclasses.replace(
        load_content(content_dir),
        notices=(
            notice("old", DAY - dt.timedelta(days=5)),
            notice("expired", DAY - dt.timedelta(days=20)),
            notice("new", DAY),
            notice("forever", DAY - dt.timedelta(days=400), long_term=True),
            notice("future", DAY + dt.timedelta(days=1)),
            notice("middle", DAY - dt.timedelta(days=2)),
        ),
    )
    assert [n.id for n in content.visible_notices(DAY)] == ["new", "middle", "old", "forever"]


def test_content_service_by_id(content_dir: Path) -> None:
    content = load_content(content_dir)
    assert content.service("mediation").name.zh == "人民调解"
    with pytest.raises(KeyError):
        content.service("lawyer")


# -- the content store -----------------------------------------------------------------------------

NOW = dt.datetime(2026, 3, 10, 9, 30)


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file() and p.name != ".version"}


def test_a_good_folder_is_used_and_copied_as_the_last_good(tmp_path: Path, content_dir: Path) -> None:
    store = ContentStore(content_dir, tmp_path / "data", now=lambda: NOW)
    assert store.content.folder == content_dir
    assert store.content.center.name.zh == "示范区公共法律服务中心"
    assert (store.status.source, store.status.loaded_at, store.status.problems, store.status.ok) == ("configured", NOW, [], True)
    copy = tmp_path / "data" / LAST_GOOD
    assert copy.is_dir()
    assert files_of(copy) == files_of(content_dir)
    assert load_content(copy).center == store.content.center


def test_a_broken_reload_keeps_the_old_content_and_records_the_problems(in_tmp: Path, content_dir: Path) -> None:
    store = ContentStore(content_dir, in_tmp / "data", now=lambda: NOW)
    before = store.content
    center = content_dir / "center.ini"
    center.write_text(center.read_text(encoding="utf-8").replace("postcode = 400000", "postcode = 4000"), encoding="utf-8")
    assert store.reload() is False
    assert store.content is before
    assert store.status.source == "configured"
    assert not store.status.ok
    assert [str(p) for p in store.status.problems] == [
        "content/center.ini:5: [center] postcode: expected a postcode of six digits, got '4000'"
    ]
    assert load_content(in_tmp / "data" / LAST_GOOD).center.postcode == "400000", "the last good copy is untouched"


def test_a_good_reload_uses_and_copies_the_new_content(tmp_path: Path, content_dir: Path) -> None:
    store = ContentStore(content_dir, tmp_path / "data")
    center = content_dir / "center.ini"
    good = center.read_text(encoding="utf-8")
    center.write_text(good.replace("postcode = 400000", "postcode = 4000"), encoding="utf-8")
    assert store.reload() is False
    center.write_text(good.replace("name = 示范区公共法律服务中心", "name = 新名称中心"), encoding="utf-8")
    assert store.reload() is True
    assert store.content.center.name.zh == "新名称中心"
    assert store.status.ok and store.status.problems == []
    assert load_content(tmp_path / "data" / LAST_GOOD).center.name.zh == "新名称中心"


def test_a_fresh_store_over_a_broken_folder_falls_back_to_the_last_good_copy(tmp_path: Path, content_dir: Path) -> None:
    ContentStore(content_dir, tmp_path / "data")
    (content_dir / "guide.ini").unlink()
    store = ContentStore(content_dir, tmp_path / "data", now=lambda: NOW)
    assert store.status.source == "last_good"
    assert not store.status.ok
    assert [p.message for p in store.status.problems] == ["expected this content file, got no such file"]
    assert store.content.folder == tmp_path / "data" / LAST_GOOD
    assert store.content.center.name.zh == "示范区公共法律服务中心"
    assert list(store.content.guide.questions) == ["start", "dispute"]
    assert store.content.staff[0].photo.is_file()


def test_the_last_good_copy_keeps_the_version_of_the_content_it_copies(tmp_path: Path, content_dir: Path) -> None:
    # The admin screen shows the content version: the fallback must show the version that was good.
    good_version = ContentStore(content_dir, tmp_path / "data").content.version
    (content_dir / "guide.ini").write_text("[question.start]\n", encoding="utf-8")
    store = ContentStore(content_dir, tmp_path / "data")
    assert store.status.source == "last_good"
    assert store.content.version == good_version


def test_a_fresh_store_with_no_good_content_anywhere_raises(
    tmp_path: Path, content_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kiosk.content_store

    monkeypatch.setattr(kiosk.content_store, "SAMPLE_CONTENT_DIR", tmp_path / "no-sample")
    (content_dir / "guide.ini").unlink()
    with pytest.raises(ProblemsFound) as found:
        ContentStore(content_dir, tmp_path / "data")
    assert [p.message for p in found.value.problems] == ["expected this content file, got no such file"]


def test_reload_after_a_fallback_returns_to_the_configured_folder(tmp_path: Path, content_dir: Path) -> None:
    ContentStore(content_dir, tmp_path / "data")
    guide = (content_dir / "guide.ini").read_text(encoding="utf-8")
    (content_dir / "guide.ini").unlink()
    store = ContentStore(content_dir, tmp_path / "data")
    assert store.status.source == "last_good"
    assert store.reload() is False
    assert store.status.source == "last_good"
    (content_dir / "guide.ini").write_text(guide, encoding="utf-8")
    assert store.reload() is True
    assert store.status.source == "configured"
    assert store.content.folder == content_dir
    assert store.content.version == content_version(content_dir)


# -- the guide -------------------------------------------------------------------------------------


def test_guide_walk_choose_and_back(content_dir: Path) -> None:
    guide = load_content(content_dir).guide
    walk = GuideWalk(guide)
    assert walk.question.id == "start"
    assert walk.back() is False, "nothing to go back to at the start"
    advice, dispute = walk.question.choices
    assert walk.choose(advice) == Answer(service_id="consultation")
    assert walk.back() is True
    assert walk.answer is None and walk.question.id == "start"
    assert walk.choose(dispute) is None
    assert walk.question.id == "dispute"
    assert walk.question.text.zh == "纠纷已经起诉到法院了吗？"
    no, yes = walk.question.choices
    answer = walk.choose(yes)
    assert answer is not None and answer.outside is not None and answer.service_id is None
    assert answer.outside.title.zh == "请到人民法院"
    assert walk.back() is True
    assert walk.answer is None and walk.question.id == "dispute"
    assert walk.choose(no) == Answer(service_id="mediation")
    assert walk.back() is True
    assert walk.back() is True
    assert walk.question.id == "start"
    assert walk.trail == ["start"]
    assert walk.back() is False


# -- idle timer, staff gesture and PIN pad -----------------------------------------------------------


def test_idle_timer() -> None:
    clock = FakeClock()
    timer = IdleTimer(clock, 90)
    clock.advance(89.9)
    assert not timer.is_idle()
    timer.touched()
    clock.advance(89.9)
    assert not timer.is_idle()
    clock.advance(0.1)
    assert timer.is_idle()
    timer.touched()
    assert not timer.is_idle()


def test_five_taps_within_four_seconds_open_the_admin_screen() -> None:
    clock = FakeClock()
    taps = TapSequence(clock)
    results = []
    for _ in range(5):
        results.append(taps.tap())
        clock.advance(1.0)
    assert results == [False, False, False, False, True]


def test_the_gesture_starts_over_after_it_opens() -> None:
    clock = FakeClock()
    taps = TapSequence(clock)
    assert [taps.tap() for _ in range(5)] == [False] * 4 + [True]
    assert [taps.tap() for _ in range(4)] == [False] * 4
    assert taps.tap() is True


def test_slow_taps_never_open_the_admin_screen() -> None:
    clock = FakeClock()
    taps = TapSequence(clock)
    results = []
    for _ in range(20):
        results.append(taps.tap())
        clock.advance(1.1)
    assert not any(results)


def test_four_quick_taps_are_not_enough() -> None:
    clock = FakeClock()
    taps = TapSequence(clock)
    assert [taps.tap() for _ in range(4)] == [False] * 4
    clock.advance(4.1)
    assert taps.tap() is False, "the early taps are too old to count"


def test_pin_gate_locks_after_three_wrong_pins() -> None:
    clock = FakeClock()
    gate = PinGate(clock, lambda pin: pin == "2580")
    assert gate.seconds_locked() == 0
    assert [gate.try_pin("0000") for _ in range(3)] == [False] * 3
    assert gate.seconds_locked() == 60
    assert gate.try_pin("2580") is False, "the right PIN is refused while locked"
    clock.advance(59.5)
    assert gate.seconds_locked() == 1
    assert gate.try_pin("2580") is False
    clock.advance(0.5)
    assert gate.seconds_locked() == 0
    assert gate.try_pin("2580") is True


def test_pin_gate_gives_three_new_tries_after_a_lockout_and_a_right_pin_resets_the_count() -> None:
    clock = FakeClock()
    gate = PinGate(clock, lambda pin: pin == "2580")
    gate.try_pin("1")
    gate.try_pin("2")
    assert gate.try_pin("2580") is True
    gate.try_pin("1")
    gate.try_pin("2")
    assert gate.seconds_locked() == 0, "the count started over after the right PIN"
    gate.try_pin("3")
    assert gate.seconds_locked() == 60
    clock.advance(60)
    assert [gate.try_pin("9") for _ in range(2)] == [False, False]
    assert gate.seconds_locked() == 0
    assert gate.try_pin("2580") is True


# -- the PIN hash ------------------------------------------------------------------------------------


def test_pin_hash_round_trip() -> None:
    stored = hash_pin("4711", salt=bytes(range(16)), iterations=1000)
    assert stored == hash_pin("4711", salt=bytes(range(16)), iterations=1000)
    assert stored.startswith("pbkdf2_sha256$1000$000102030405060708090a0b0c0d0e0f$")
    assert re.fullmatch(HASH_PATTERN, stored)
    assert pin_matches("4711", stored)
    assert not pin_matches("4712", stored)
    assert not pin_matches("", stored)
    assert hash_pin("4711", iterations=1000) != hash_pin("4711", iterations=1000), "a new salt each time"


def test_the_sample_hash_is_the_sample_pin_2580() -> None:
    assert pin_matches("2580", SAMPLE_PIN_HASH)
    assert not pin_matches("0000", SAMPLE_PIN_HASH)


@pytest.mark.parametrize(
    "stored",
    ["", "2580", "md5$1000$00$00", "pbkdf2_sha256$many$00$00", "pbkdf2_sha256$1000$zz$00", "pbkdf2_sha256$0$00$00", "a$b$c"],
)
def test_a_malformed_stored_hash_matches_nothing(stored: str) -> None:
    assert pin_matches("2580", stored) is False


@pytest.mark.parametrize(
    ("pin", "valid"), [("2580", True), ("12345678", True), ("123", False), ("123456789", False), ("12a4", False)]
)
def test_a_pin_is_4_to_8_digits(pin: str, valid: bool) -> None:
    assert is_valid_pin(pin) is valid


# -- documents ----------------------------------------------------------------------------------------


@pytest.fixture
def content(content_dir: Path) -> Content:
    return load_content(content_dir)


def labels(blocks: tuple[Block, ...]) -> dict[str, str]:
    return {b.label: b.text for b in blocks if b.kind == FIELD}


def headings(blocks: tuple[Block, ...]) -> list[str]:
    return [b.text for b in blocks if b.kind == HEADING]


def test_service_document_in_chinese(content: Content) -> None:
    document = DocumentBuilder(content, load_strings(), "zh_CN").service(content.service("legal_aid"))
    blocks = document.blocks
    assert document.title == "法律援助"
    assert blocks[0] == Block(PARAGRAPH, "为群众办理法律援助。")
    assert headings(blocks) == ["办理条件", "所需材料（请一次备齐）", "办事流程", "办理信息", "法律依据", "不属于本事项的，请到"]
    assert labels(blocks) == {
        "服务对象": "本区群众",
        "办理窗口": "2号窗口",
        "承办部门": "法律援助中心",
        "办理人员": "张明",
        "分管领导": "王强",
        "办结时限": "7个工作日",
        "收费标准": "免费",
    }
    assert [b.text for b in blocks if b.kind == BULLET] == [
        "事项属于本中心受理范围",
        "申请人身份明确",
        "居民身份证（原件及复印件，2份）\n复印件请用A4纸",
        "《中华人民共和国法律援助法》第四十一条：因经济困难申请法律援助的，申请人应当如实说明经济困难状况。",
    ]
    assert [(b.label, b.text) for b in blocks if b.kind == STEP] == [("1", "取号"), ("2", "窗口受理"), ("3", "领取结果")]
    assert blocks[-1] == Block(PARAGRAPH, "已经起诉的，请到人民法院。")
    assert blocks[-2] == Block(HEADING, "不属于本事项的，请到")


def test_service_document_in_english(content: Content) -> None:
    document = DocumentBuilder(content, load_strings(), "en").service(content.service("legal_aid"))
    blocks = document.blocks
    assert document.title == "Legal aid"
    assert headings(blocks) == [
        "Conditions",
        "Materials to bring (all at once)",
        "Steps",
        "Where and who",
        "Legal basis",
        "For matters outside this service",
    ]
    assert labels(blocks) == {
        "Who it is for": "People living in the district",
        "Window": "Window 2",
        "Department": "Legal Aid Center",
        "Handled by": "Zhang Ming",
        "Leader in charge": "Wang Qiang",
        "Time limit": "7 working days",
        "Fees": "Free",
    }
    bullets = [b.text for b in blocks if b.kind == BULLET]
    assert bullets[:2] == ["The matter is one the center handles", "The applicant can be identified"]
    material = bullets[2]
    assert material.startswith("Resident identity card (original and copy × 2)")
    assert material.endswith("\nCopies on A4 paper")
    assert [(b.label, b.text) for b in blocks if b.kind == STEP] == [
        ("1", "Take a number"),
        ("2", "Hand in the application at the window"),
        ("3", "Collect the result"),
    ]
    assert len(bullets) == 4
    assert blocks[-1] == Block(PARAGRAPH, "For cases already in court, go to the people's court.")


def test_legal_basis_in_english_keeps_the_law_and_the_article_apart(content: Content) -> None:
    # Chinese writes 《…法》第四十一条 with nothing between; English needs "Legal Aid Law Article 41"
    # (or a comma), never "Legal Aid LawArticle 41".
    blocks = DocumentBuilder(content, load_strings(), "en").service(content.service("legal_aid")).blocks
    basis = blocks[blocks.index(Block(HEADING, "Legal basis")) + 1]
    assert basis.kind == BULLET
    assert re.fullmatch(r"Legal Aid Law\W+Article 41: An applicant who asks .* truthfully\.", basis.text), basis.text


def test_the_service_document_says_when_no_materials_are_needed(content: Content) -> None:
    service = dataclasses.replace(content.service("consultation"), materials=())
    blocks = DocumentBuilder(content, load_strings(), "zh_CN").service(service).blocks
    at = blocks.index(Block(HEADING, "所需材料（请一次备齐）"))
    assert blocks[at + 1] == Block(PARAGRAPH, "无需提交材料")


@pytest.mark.parametrize(
    ("form", "zh", "en"),
    [("original", "原件", "original"), ("copy", "复印件", "copy"), ("original_and_copy", "原件及复印件", "original and copy")],
)
def test_each_material_form_is_named(content: Content, form: str, zh: str, en: str) -> None:
    material = dataclasses.replace(content.service("legal_aid").materials[0], form=form, copies=3)
    strings = load_strings()
    assert DocumentBuilder(content, strings, "zh_CN").material_line(material) == f"居民身份证（{zh}，3份）"
    assert f"({en} × 3)" in DocumentBuilder(content, strings, "en").material_line(material)


def test_notices_document(content: Content) -> None:
    strings = load_strings()
    blocks = DocumentBuilder(content, strings, "zh_CN").notices(dt.date(2026, 2, 10)).blocks
    assert blocks == (
        Block(HEADING, "假期安排"),
        Block(NOTE, "发布日期：2026-02-01    公示至 2026-02-10"),
        Block(PARAGRAPH, "假期期间热线照常服务。"),
        Block(HEADING, "办公时间调整"),
        Block(NOTE, "发布日期：2026-01-05    长期公示"),
        Block(PARAGRAPH, "本中心办公时间调整为周一至周五。"),
    )
    assert [b.text for b in DocumentBuilder(content, strings, "en").notices(dt.date(2026, 2, 11)).blocks] == [
        "办公时间调整",
        "Published 2026-01-05    Long-term notice",
        "本中心办公时间调整为周一至周五。",
    ]
    assert DocumentBuilder(content, strings, "en").notices(dt.date(2026, 1, 4)).blocks == (
        Block(PARAGRAPH, "There are no notices at the moment"),
    )


def test_scope_commitments_rules_and_contact_documents(content: Content) -> None:
    builder = DocumentBuilder(content, load_strings(), "en")
    assert builder.scope().title == "Services offered"
    assert builder.scope().blocks == (Block(BULLET, "Legal advice"), Block(BULLET, "Legal aid applications"))
    assert builder.commitments().blocks == (Block(HEADING, "Served at once"), Block(PARAGRAPH, "能当场办理的，当场办理。"))
    assert builder.rules().blocks == (
        Block(HEADING, "公开公示制度"),
        Block(PARAGRAPH, "本中心公开服务事项、办事流程和收费标准。"),
        Block(PARAGRAPH, "公示内容有变化的，及时更新。"),
    )
    contact = builder.contact()
    assert contact.blocks[0] == Block(HEADING, "Sample District Public Legal Service Center")
    assert labels(contact.blocks) == {
        "Address": "示范路1号",
        "Postcode": "400000",
        "Phone": "023-12345678",
        "Supervision phone": "023-87654321",
        "Legal service hotline": "12348",
        "Email": "center@example.org",
        "Opening hours": "周一至周五 上午9:00-12:00\n周一至周五 下午14:00-17:30",
    }


# -- the interface words -------------------------------------------------------------------------------


def test_every_language_has_the_same_keys_and_placeholders() -> None:
    strings = load_strings()
    zh, en = strings.tables["zh_CN"], strings.tables["en"]
    assert zh and set(zh) == set(en)
    for key in zh:
        assert set(re.findall(r"{(\w+)}", zh[key])) == set(re.findall(r"{(\w+)}", en[key])), key
        assert zh[key] and en[key], key


def test_every_key_the_documents_use_is_translated() -> None:
    strings = load_strings()
    for key in ("section_scope", "label_for_whom", "form_original_and_copy", "notice_until", "no_materials", "no_notices"):
        for language in ("zh_CN", "en"):
            assert strings.get(key, language, date="2026-01-01")


def test_a_missing_translation_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "i18n"
    folder.mkdir()
    (folder / "zh_CN.ini").write_text("[strings]\nback = 返回\nhome = 首页\n", encoding="utf-8")
    (folder / "en.ini").write_text("[strings]\nback = Back\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ProblemsFound) as found:
        load_strings(folder)
    assert [str(p) for p in found.value.problems] == ["i18n/en.ini: [strings] home: expected a translation, got none"]
    assert I18N_DIR.is_dir()
