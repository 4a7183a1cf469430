"""The dashboard's pages with ratings and complaints sent as kiosks and phones send them:
satisfaction per month, service and window (repeats not counted), bad ratings followed up with
notes, phone numbers masked until the call-back asks for one, complaints with their phone-typed
details, the kiosk fleet, and the CSV exports."""

from __future__ import annotations

import csv
import io
import re
import uuid

import pytest
from sqlalchemy import select

from server.models import follow_up_notes, follow_ups
from tests.server.web.conftest import SAME_SITE, Web, form_token
from tests.server.web.seed import heartbeat, seed_ratings, send_complaint


def month_row(page: str, month: str) -> list[str]:
    row = re.search(rf'<tr data-month="{month}">(.*?)</tr>', page, re.S)
    assert row is not None, month
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]


def test_satisfaction_per_month_service_and_window(manager: Web) -> None:
    seed_ratings(manager.client, manager.clock)
    page = manager.client.get("/dashboard").text
    assert month_row(page, "2026-11") == ["2026-11", "3", "66.7%", "3.67"]  # the repeat is not counted
    assert month_row(page, "2026-10") == ["2026-10", "2", "50.0%", "3.50"]
    assert page.count('<svg class="chart"') == 4  # months, services, windows, levels
    assert "<title>2026-11: 67% (3)</title>" in page and "<title>2026-10: 50% (2)</title>" in page
    assert "<title>法律援助申请: 50% (2)</title>" in page and "<title>人民调解: 100% (1)</title>" in page
    assert "<title>2号窗口: 100% (1)</title>" in page and "<title>1号窗口: 0% (1)</title>" in page
    assert "<title>未关联窗口: 100% (1)</title>" in page
    assert "<title>不满意: 1</title>" in page and "<title>非常不满意: 0</title>" in page
    assert re.search(r'id="open-count">2<', page) and re.search(r'id="overdue-count">1<', page)  # October's is overdue

    october = manager.client.get("/dashboard?month=2026-10").text
    assert "<title>未关联事项: 50% (2)</title>" in october
    english = manager.client.get("/dashboard?lang=en").text
    assert "<title>Legal aid application: 50% (2)</title>" in english and "Satisfaction per month" in english


def test_a_month_without_ratings_says_so(manager: Web) -> None:
    empty = manager.client.get("/dashboard")
    assert empty.status_code == 200
    assert "暂无评价" in empty.text and "<svg" not in empty.text
    seed_ratings(manager.client, manager.clock)
    january = manager.client.get("/dashboard?month=2026-01")
    assert january.status_code == 200
    assert 'id="no-ratings">暂无评价 (2026-01)' in january.text
    assert month_row(january.text, "2026-11")[1] == "3"  # the months table still shows what there is
    assert manager.client.get("/dashboard?month=nonsense").status_code == 200  # this month instead


def test_a_bad_rating_is_called_back_and_resolved_with_notes(manager: Web) -> None:
    ids = seed_ratings(manager.client, manager.clock)
    listed = manager.client.get("/dashboard/ratings").text
    assert ids["bad"] in listed and ids["october_bad"] in listed and ids["repeat"] not in listed
    assert "138****5678" in listed and "139****1111" in listed
    assert "13812345678" not in listed and "13900001111" not in listed
    assert listed.count('class="flag">已超期') == 1
    assert ids["repeat"] in manager.client.get("/dashboard/ratings?state=all").text

    token = form_token(manager.client)
    note = "已电话联系市民，解释了补正材料的要求。"
    response = manager.client.post(
        f"/dashboard/ratings/{ids['bad']}", data={"form_token": token, "state": "called_back", "note": note}, headers=SAME_SITE
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/dashboard/ratings/{ids['bad']}?saved=1"
    page = manager.client.get(response.headers["location"]).text
    assert 'class="state called_back">已回访' in page and note in page and "zhang.wei" in page and "2026-11-23 09:" in page
    assert ids["bad"] not in manager.client.get("/dashboard/ratings?state=pending").text
    assert ids["bad"] in manager.client.get("/dashboard/ratings?state=called_back").text
    with manager.database.read() as connection:
        follow = connection.execute(select(follow_ups).where(follow_ups.c.record_id == ids["bad"])).one()
    assert (follow.state, follow.updated_by, follow.due_day) == ("called_back", "zhang.wei", "2026-11-30")

    manager.client.post(f"/dashboard/ratings/{ids['bad']}", data={"form_token": token, "state": "resolved", "note": ""}, headers=SAME_SITE)
    assert ids["bad"] not in manager.client.get("/dashboard/ratings").text
    with manager.database.read() as connection:
        assert len(connection.execute(select(follow_up_notes)).all()) == 1  # an empty note is no note


def test_a_repeat_can_still_be_followed_up(manager: Web) -> None:
    ids = seed_ratings(manager.client, manager.clock)
    token = form_token(manager.client)
    response = manager.client.post(
        f"/dashboard/ratings/{ids['repeat']}",
        data={"form_token": token, "state": "pending", "note": "同一号票的第二次评价"},
        headers=SAME_SITE,
    )
    assert response.status_code == 303
    with manager.database.read() as connection:
        follow = connection.execute(select(follow_ups).where(follow_ups.c.record_id == ids["repeat"])).one()
    assert (follow.state, follow.due_day) == ("pending", "2026-11-30")
    assert ids["repeat"] in manager.client.get("/dashboard/ratings").text


def test_the_whole_number_is_shown_only_when_asked_for_the_call_back(manager: Web) -> None:
    ids = seed_ratings(manager.client, manager.clock)
    page = manager.client.get(f"/dashboard/ratings/{ids['bad']}").text
    assert "138****5678" in page and "13812345678" not in page and "显示完整号码以回访" in page
    token = form_token(manager.client)
    shown = manager.client.post(f"/dashboard/ratings/{ids['bad']}/phone", data={"form_token": token}, headers=SAME_SITE)
    assert shown.status_code == 200
    assert '<span class="phone-full" id="phone">13812345678</span>' in shown.text
    assert "查看了完整电话号码以回访" in shown.text  # written down: who looked, when
    assert "13812345678" not in manager.client.get(f"/dashboard/ratings/{ids['bad']}").text
    refused = manager.client.post(f"/dashboard/ratings/{ids['bad']}/phone", data={"form_token": token})  # no Origin
    assert refused.status_code == 403 and "13812345678" not in refused.text


def test_a_refused_state_and_unknown_records(manager: Web) -> None:
    ids = seed_ratings(manager.client, manager.clock)
    token = form_token(manager.client)
    wrong = manager.client.post(f"/dashboard/ratings/{ids['bad']}", data={"form_token": token, "state": "forgotten"}, headers=SAME_SITE)
    assert wrong.status_code == 422
    assert "state: expected one of pending, called_back, resolved, got &#39;forgotten&#39;" in wrong.text
    for path in (f"/dashboard/ratings/{uuid.uuid4()}", f"/dashboard/complaints/{ids['bad']}", "/dashboard/elsewhere/x"):
        response = manager.client.get(path)
        assert response.status_code == 404, path
        assert "Traceback" not in response.text
    missing = manager.client.post(f"/dashboard/ratings/{uuid.uuid4()}", data={"form_token": token, "state": "resolved"}, headers=SAME_SITE)
    assert missing.status_code == 404


def test_complaints_with_their_phone_typed_details(manager: Web) -> None:
    client, clock = manager.client, manager.clock
    complaint_id = str(uuid.uuid4())
    assert (
        client.post(f"/api/v1/public/complaints/{complaint_id}/details", json={"text": "等了两个小时，窗口只开了一个。"}).status_code == 201
    )
    send_complaint(client, clock.now, complaint_id, count=3)
    suggestion = send_complaint(client, clock.now, count=4, kind="suggestion", category="other", presets=["more_online"], phone=None)
    listed = client.get("/dashboard/complaints").text
    assert "20261123-kiosk-01-003" in listed and "20261123-kiosk-01-004" in listed
    assert "办事效率" in listed and "排队等候时间过长；材料没有一次性告知，多次往返" in listed
    assert "等了两个小时，窗口只开了一个。" in listed and "138****5678" in listed and "13812345678" not in listed
    assert "建议增加网上或电话办理" in listed and 'class="state pending">待回访' in listed
    page = client.get(f"/dashboard/complaints/{complaint_id}").text
    assert '<p class="details-text" id="details">等了两个小时，窗口只开了一个。</p>' in page
    assert "（未补充）" in client.get(f"/dashboard/complaints/{suggestion['id']}").text
    token = form_token(client)
    client.post(
        f"/dashboard/complaints/{complaint_id}", data={"form_token": token, "state": "resolved", "note": "已增开窗口"}, headers=SAME_SITE
    )
    assert complaint_id not in client.get("/dashboard/complaints").text
    assert "已增开窗口" in client.get(f"/dashboard/complaints/{complaint_id}").text


def test_the_fleet_flags_silent_kiosks(manager: Web) -> None:
    client, clock = manager.client, manager.clock
    heartbeat(client, clock.now, "kiosk-02")
    clock.advance(minutes=6)
    heartbeat(client, clock.now, "kiosk-01", printer_state="paper_near_end", outbox_depth=3)
    page = client.get("/dashboard/fleet").text

    def row(kiosk_id: str) -> str:
        found = re.search(rf'<tr data-kiosk="{kiosk_id}"(.*?)</tr>', page, re.S)
        assert found is not None, kiosk_id
        return found.group(1)

    assert "silent" not in row("kiosk-01").split(">")[0] and "刚刚" in row("kiosk-01") and "纸将用尽" in row("kiosk-01")
    assert '<td class="number">3</td>' in row("kiosk-01")
    assert 'class="silent"' in row("kiosk-02") and "6 分钟前" in row("kiosk-02") and "失联" in row("kiosk-02")
    assert 'class="silent"' in row("kiosk-03") and "从未" in row("kiosk-03")


def read_csv(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8")[1:])))


def test_the_exports_are_csv_for_excel_with_phones_masked(manager: Web) -> None:
    ids = seed_ratings(manager.client, manager.clock)
    complaint_id = str(uuid.uuid4())
    manager.client.post(f"/api/v1/public/complaints/{complaint_id}/details", json={"text": '=HYPERLINK("http://x","点我")'})
    send_complaint(manager.client, manager.clock.now, complaint_id, count=9)

    response = manager.client.get("/dashboard/export/ratings.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="ratings-all.csv"'
    rows = read_csv(response.content)
    assert rows[0][:6] == ["时间", "月份", "来源", "评价", "分数", "原因"]
    assert len(rows) == 1 + 6
    by_id = {row[-1]: row for row in rows[1:]}
    bad = by_id[ids["bad"]]
    assert bad[3:7] == ["不满意", "2", "态度、效率", "138****5678"]
    assert bad[9:] == ["法律援助申请", "1号窗口", "0", "待回访", "2026-11-30", ids["bad"]]
    assert by_id[ids["repeat"]][11:13] == ["1", ""]  # a repeat, without its own follow-up
    assert b"13812345678" not in response.content and b"13900001111" not in response.content
    october = read_csv(manager.client.get("/dashboard/export/ratings.csv?month=2026-10").content)
    assert len(october) == 1 + 2 and {row[1] for row in october[1:]} == {"2026-10"}

    complaints = read_csv(manager.client.get("/dashboard/export/complaints.csv").content)
    assert complaints[0][:3] == ["受理编号", "时间", "类型"]
    assert complaints[1][:7] == [
        "20261123-kiosk-01-009",
        "2026-11-23 09:42",  # two tickets taken and served: 12 minutes on the clock
        "投诉",
        "办事效率",
        "排队等候时间过长; 材料没有一次性告知，多次往返",
        '\'=HYPERLINK("http://x","点我")',  # not a formula in Excel
        "138****5678",
    ]
    english = read_csv(manager.client.get("/dashboard/export/complaints.csv?lang=en").content)
    assert english[0][:3] == ["Receipt number", "Time", "Type"] and english[1][3] == "Speed of service"


@pytest.mark.parametrize("path", ["/dashboard/export/ratings.csv", "/dashboard/export/complaints.csv"])
def test_an_export_of_nothing_is_its_header(manager: Web, path: str) -> None:
    rows = read_csv(manager.client.get(path).content)
    assert len(rows) == 1
