"""Fixtures for the pure-Python core: a small, complete and valid content folder and a kiosk.ini.

The content is written from plain text templates (``CONTENT_TEMPLATES``: relative path -> text), so
a test can replace one file, edit one line of it, or delete it. The tests assert exact messages
with line numbers, so the line numbers noted beside each template matter: keep them in step.
Only common characters are used, so the system Noto CJK font covers every one of them.
"""

from __future__ import annotations

import io
import os
import random
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from hypothesis.configuration import set_hypothesis_home_dir
from PIL import Image

from kiosk.database import Database, open_database
from kiosk.outbox import Outbox
from tests.kiosk.feedback_helpers import Clock

# Hypothesis keeps its caches out of the project folder.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "kiosk-tests-hypothesis")

SYSTEM_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")

CENTER_INI = """\
[center]
name = 示范区公共法律服务中心
name_en = Sample District Public Legal Service Center
address = 示范路1号
postcode = 400000
phone = 023-12345678
supervision_phone = 023-87654321
email = center@example.org
hotline = 12348
hours =
    周一至周五 上午9:00-12:00
    周一至周五 下午14:00-17:30

[scope]
items =
    解答法律咨询
    受理法律援助申请
items_en =
    Legal advice
    Legal aid applications

[commitment.instant]
title = 即时服务
title_en = Served at once
text = 能当场办理的，当场办理。
"""
# center.ini lines: 1 [center], 2 name, 5 postcode, 8 email, 10 hours, 14 [scope], 15 items,
# 18 items_en, 22 [commitment.instant], 23 title.

STAFF_INI = """\
[staff.zhang]
name = 张明
position = 法律援助窗口
photo = photos/zhang.png
on_duty = yes
window = 2号窗口

[staff.li]
name = 李华
position = 人民调解员
photo = photos/li.png
on_duty = no
absence_reason = 外出办案
"""
# staff.ini lines: 1 [staff.zhang], 4 photo, 5 on_duty, 6 window, 8 [staff.li], 11 photo,
# 12 on_duty, 13 absence_reason.

SERVICE_NAMES = {
    "consultation": ("法律咨询", "Legal consultation"),
    "legal_aid": ("法律援助", "Legal aid"),
    "notarization": ("公证", "Notarization"),
    "mediation": ("人民调解", "Mediation"),
    "appraisal": ("司法鉴定", "Forensic appraisal"),
    "correction": ("社区矫正", "Community correction"),
    "complaint": ("投诉建议", "Complaints"),
}


def service_ini(order: int, name: str, name_en: str) -> str:
    return f"""\
[service]
name = {name}
name_en = {name_en}
order = {order}
summary = 为群众办理{name}。
summary_en = We handle {name_en.lower()} here.
for_whom = 本区群众
for_whom_en = People living in the district
conditions =
    事项属于本中心受理范围
    申请人身份明确
conditions_en =
    The matter is one the center handles
    The applicant can be identified
steps =
    取号
    窗口受理
    领取结果
steps_en =
    Take a number
    Hand in the application at the window
    Collect the result
window = 2号窗口
window_en = Window 2
department = 法律援助中心
department_en = Legal Aid Center
handler = 张明
handler_en = Zhang Ming
leader = 王强
leader_en = Wang Qiang
time_limit = 7个工作日
time_limit_en = 7 working days
fees = 免费
fees_en = Free
outside = 已经起诉的，请到人民法院。
outside_en = For cases already in court, go to the people's court.

[material.1]
name = 居民身份证
name_en = Resident identity card
form = original_and_copy
copies = 2
note = 复印件请用A4纸
note_en = Copies on A4 paper

[basis.1]
law = 《中华人民共和国法律援助法》
law_en = Legal Aid Law
article = 第四十一条
article_en = Article 41
text = 因经济困难申请法律援助的，申请人应当如实说明经济困难状况。
text_en = An applicant who asks for legal aid because of financial hardship shall state it truthfully.
"""


# services/<id>.ini lines: 1 [service], 4 order, 9 conditions, 12 conditions_en, 15 steps,
# 19 steps_en, 23 window, 35 outside, 38 [material.1], 41 form, 42 copies, 46 [basis.1], 47 law.

NOTICES_INI = """\
[notice.hours]
title = 办公时间调整
body = 本中心办公时间调整为周一至周五。
published = 2026-01-05
long_term = yes

[notice.holiday]
title = 假期安排
title_en = Holiday hours
body = 假期期间热线照常服务。
published = 2026-02-01
period_days = 10
"""
# notices.ini lines: 1 [notice.hours], 4 published, 7 [notice.holiday], 11 published, 12 period_days.

RULES_INI = """\
[rule.disclosure]
title = 公开公示制度
body =
    本中心公开服务事项、办事流程和收费标准。
    公示内容有变化的，及时更新。
"""

GUIDE_INI = """\
[question.start]
text = 您今天主要想办什么事？
text_en = What would you like to do today?

[choice.start.advice]
label = 咨询法律问题
goto = service.consultation

[choice.start.dispute]
label = 和别人有纠纷
goto = question.dispute

[question.dispute]
text = 纠纷已经起诉到法院了吗？

[choice.dispute.no]
label = 还没有
goto = service.mediation

[choice.dispute.yes]
label = 已经起诉了
goto = outside.court

[outside.court]
title = 请到人民法院
text = 已经起诉的案件，请到人民法院咨询。
"""
# guide.ini lines: 1 [question.start], 5 [choice.start.advice], 7 goto, 9 [choice.start.dispute],
# 11 goto, 13 [question.dispute], 16 [choice.dispute.no], 18 goto, 20 [choice.dispute.yes],
# 22 goto, 24 [outside.court].

CONTENT_TEMPLATES: dict[str, str] = {
    "center.ini": CENTER_INI,
    "staff.ini": STAFF_INI,
    "notices.ini": NOTICES_INI,
    "rules.ini": RULES_INI,
    "guide.ini": GUIDE_INI,
    **{f"services/{ident}.ini": service_ini(order, *names) for order, (ident, names) in enumerate(SERVICE_NAMES.items(), 1)},
}
PHOTOS = ("photos/zhang.png", "photos/li.png")


def png_bytes() -> bytes:
    """A real, small portrait PNG."""
    buffer = io.BytesIO()
    Image.new("RGB", (30, 40), (200, 180, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


def write_content(
    folder: Path,
    files: Mapping[str, str | bytes | None] | None = None,
    replace: Mapping[str, tuple[str, str]] | None = None,
) -> Path:
    """Write the templates into ``folder``.

    ``files`` replaces whole files (``None`` leaves a file out, bytes are written as they are);
    ``replace`` maps a file to ``(old, new)`` and replaces the one occurrence of ``old``.
    """
    texts: dict[str, str | bytes | None] = {**CONTENT_TEMPLATES, **(files or {})}
    for name, (old, new) in (replace or {}).items():
        original = texts[name]
        assert isinstance(original, str)
        assert original.count(old) == 1, f"{old!r} must occur exactly once in {name}"
        texts[name] = original.replace(old, new)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        if text is None:
            continue
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    photo = png_bytes()
    for name in PHOTOS:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(photo)
    return folder


MakeContent = Callable[..., Path]


@pytest.fixture
def templates() -> dict[str, str]:
    """A copy of the content templates, to build a variant from."""
    return dict(CONTENT_TEMPLATES)


@pytest.fixture
def make_content(tmp_path: Path) -> MakeContent:
    """``make_content(files=..., replace=..., folder=...)`` writes a content folder (default tmp_path/content)."""

    def make(
        files: Mapping[str, str | bytes | None] | None = None,
        replace: Mapping[str, tuple[str, str]] | None = None,
        folder: Path | None = None,
    ) -> Path:
        return write_content(folder or tmp_path / "content", files, replace)

    return make


@pytest.fixture
def content_dir(make_content: MakeContent) -> Path:
    """A complete, valid content folder at tmp_path/content."""
    return make_content()


def kiosk_ini_text(**keys: str) -> str:
    """A kiosk.ini using relative paths next to it: content/, data/ and the system CJK font."""
    kiosk = {"id": "test-kiosk", "content_dir": "content", "data_dir": "data"}
    display = {"font": str(SYSTEM_FONT)}
    for key, value in keys.items():
        (display if key in ("font", "text_scale", "large_text_scale") else kiosk)[key] = value
    lines = ["[kiosk]", *(f"{k} = {v}" for k, v in kiosk.items()), "", "[display]", *(f"{k} = {v}" for k, v in display.items())]
    return "\n".join(lines) + "\n"


@pytest.fixture
def kiosk_ini(tmp_path: Path, content_dir: Path) -> Path:
    """tmp_path/kiosk.ini pointing content_dir at the valid content and data_dir at tmp_path/data."""
    assert SYSTEM_FONT.is_file(), f"these tests need the system font {SYSTEM_FONT}"
    path = tmp_path / "kiosk.ini"
    path.write_text(kiosk_ini_text(), encoding="utf-8")
    return path


@pytest.fixture
def write_kiosk_ini(tmp_path: Path, content_dir: Path) -> Callable[..., Path]:
    """``write_kiosk_ini(**keys)`` writes tmp_path/kiosk.ini with those keys changed."""

    def write(**keys: str) -> Path:
        path = tmp_path / "kiosk.ini"
        path.write_text(kiosk_ini_text(**keys), encoding="utf-8")
        return path

    return write


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in tmp_path, so problems name files as 'kiosk.ini' or 'content/center.ini'."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def no_display(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"):
        monkeypatch.delenv(name, raising=False)
    assert not os.environ.get("DISPLAY")


# The outbox's tests and the sync worker's share a kiosk database, a clock they move by hand and an
# outbox whose jitter is seeded, so backoff times repeat.


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = open_database(tmp_path / "data")
    yield db
    db.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def outbox(database: Database, clock: Clock) -> Outbox:
    return Outbox(database, clock, random.Random(7))
