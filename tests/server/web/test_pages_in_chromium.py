"""The phone pages and the dashboard in headless Chromium against a real uvicorn on 127.0.0.1:
a citizen follows a ticket on a phone-sized screen, rates it once it is served and cannot rate it
twice, continues a complaint; a manager logs in, sees the charts, calls back a bad rating with a
note and exports CSV. Screenshots go to tests/screenshots/server/."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.server.center import Clock
from tests.server.serving import uvicorn_thread
from tests.server.test_counter_page import CHROMIUM
from tests.server.web.browser import DESKTOP, PHONE, chromium, fits_sideways, new_page, shot
from tests.server.web.conftest import MANAGER, PASSWORD, make_app
from tests.server.web.seed import call_next, finish, heartbeat, seed_ratings, send_complaint, serve, take_ticket

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (make test installs it)")


class Server:
    def __init__(self, base_url: str, clock: Clock) -> None:
        self.base_url, self.clock = base_url, clock
        self.api = httpx.Client(base_url=base_url, timeout=10)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    clock = Clock()
    with uvicorn_thread(make_app(f"sqlite:///{tmp_path / 'server.sqlite3'}", clock)) as base_url:
        served = Server(base_url, clock)
        yield served
        served.api.close()


@pytest.fixture(scope="module")
def launched_browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def browser(launched_browser: Any) -> Iterator[Any]:
    """One Chromium for the module; each test's pages (with their cookies and storage) closed after it."""
    yield launched_browser
    for context in launched_browser.contexts:
        context.close()


def test_a_citizen_follows_the_ticket_then_rates_it_once(server: Server, browser: Any) -> None:
    from playwright.sync_api import expect

    take_ticket(server.api, server.clock)  # A001
    mine = take_ticket(server.api, server.clock)  # A002
    page = new_page(browser, PHONE)
    page.goto(f"{server.base_url}/t/{mine['id']}")
    expect(page.locator("#label")).to_have_text("A002")
    expect(page.locator("#service")).to_have_text("法律援助申请")
    expect(page.locator("#ahead")).to_have_text("前面还有 1 人")
    expect(page.locator("#estimate")).to_contain_text("预计等候约")
    assert page.locator('meta[http-equiv="refresh"]').get_attribute("content") == "15"
    assert fits_sideways(page)
    shot(page, "phone-ticket-waiting")
    page.click("#lang-switch")
    expect(page.locator("#ahead")).to_have_text("1 ahead of you")
    expect(page.locator("#service")).to_have_text("Legal aid application")
    shot(page, "phone-ticket-waiting-en")
    page.click("#lang-switch")
    expect(page.locator("#ahead")).to_have_text("前面还有 1 人")

    serve(server.api, server.clock, "1")  # A001 done
    call_next(server.api, "2")  # A002 to window 2
    page.reload()
    expect(page.locator("#go")).to_have_text("请到 2号窗口 办理")
    shot(page, "phone-ticket-called")

    finish(server.api, "2")
    page.reload()
    expect(page.locator("#state")).to_contain_text("已办结")
    expect(page.locator("#rating-form")).to_be_visible()
    expect(page.locator("#bad")).to_be_hidden()
    assert fits_sideways(page)
    shot(page, "phone-rate", full_page=True)
    page.click("#submit-rating")
    expect(page.locator("#message")).to_have_text("请先选择一个评价等级")
    page.get_by_text("不满意", exact=True).click()
    expect(page.locator("#bad")).to_be_visible()
    page.get_by_text("效率", exact=True).click()
    page.fill("#phone", "1381234")
    page.click("#submit-rating")
    expect(page.locator("#message")).to_contain_text("电话号码格式不对")
    page.fill("#phone", "138 1234 5678")
    shot(page, "phone-rate-bad", full_page=True)
    page.click("#submit-rating")
    expect(page.locator("#thanks")).to_contain_text("感谢您的评价！")
    expect(page.locator("#thanks")).to_contain_text("我们会尽快核实并回访。")
    shot(page, "phone-rated")

    stored = server.api.get(f"/api/v1/public/tickets/{mine['id']}").json()
    assert stored["rated"] is True
    page.reload()
    expect(page.locator("#rated")).to_have_text("此号已经评价过了，感谢您的参与。")
    expect(page.locator("#rating-form")).to_have_count(0)
    shot(page, "phone-already-rated")
    again = server.api.post(f"/api/v1/public/tickets/{mine['id']}/rating", json={"level": "satisfied"})
    assert again.status_code == 409 and again.json()["error"] == "already_rated"


def test_a_second_phone_is_told_kindly_that_the_ticket_was_rated(server: Server, browser: Any) -> None:
    from playwright.sync_api import expect

    ticket = take_ticket(server.api, server.clock)
    serve(server.api, server.clock)
    first, second = new_page(browser, PHONE), new_page(browser, PHONE)
    for page in (first, second):
        page.goto(f"{server.base_url}/t/{ticket['id']}")
    first.get_by_text("非常满意", exact=True).click()
    first.click("#submit-rating")
    expect(first.locator("#thanks")).to_have_text("感谢您的评价！")
    second.get_by_text("满意", exact=True).click()
    second.click("#submit-rating")
    expect(second.locator("#thanks")).to_have_text("此号已经评价过了，感谢您的参与。")


def test_unknown_ticket_page(server: Server, browser: Any) -> None:
    from playwright.sync_api import expect

    page = new_page(browser, PHONE)
    response = page.goto(f"{server.base_url}/t/{uuid.uuid4()}")
    assert response.status == 404
    expect(page.locator("#message-text")).to_contain_text("没有找到这张号票")
    shot(page, "phone-not-found")


def test_a_citizen_continues_a_complaint(server: Server, browser: Any) -> None:
    from playwright.sync_api import expect

    complaint_id = str(uuid.uuid4())
    page = new_page(browser, PHONE)
    page.goto(f"{server.base_url}/c/{complaint_id}")
    expect(page.locator("#not-arrived")).to_be_visible()
    page.click("#submit-details")
    expect(page.locator("#message")).to_have_text("请先写下内容")
    words = "上午九点取号，等到十一点还没叫到。\n窗口只开了一个，另一个窗口的工作人员一直在玩手机。"
    page.fill("#text", words)
    expect(page.locator("#count")).to_have_text(str(len(words)))
    assert fits_sideways(page)
    shot(page, "phone-complaint-typing")
    page.click("#submit-details")
    expect(page.locator("#thanks")).to_contain_text("已收到您补充的内容")
    expect(page.locator("#details")).to_have_text(words)
    shot(page, "phone-complaint-sent")

    send_complaint(server.api, server.clock.now, complaint_id, count=12)  # the kiosk's record arrives
    page.reload()
    expect(page.locator("#receipt")).to_have_text("20261123-kiosk-01-012")
    expect(page.locator("#category")).to_have_text("办事效率")
    expect(page.locator("#details")).to_have_text(words)
    assert fits_sideways(page)
    shot(page, "phone-complaint-arrived", full_page=True)


def test_a_manager_reads_the_figures_follows_up_and_exports(server: Server, browser: Any) -> None:
    from playwright.sync_api import expect

    ids = seed_ratings(server.api, server.clock)
    complaint_id = str(uuid.uuid4())
    server.api.post(f"/api/v1/public/complaints/{complaint_id}/details", json={"text": "等了两个小时，窗口只开了一个。"})
    send_complaint(server.api, server.clock.now, complaint_id, count=5)
    heartbeat(server.api, server.clock.now, "kiosk-02", printer_state="paper_out", outbox_depth=14)
    server.clock.advance(minutes=7)
    heartbeat(server.api, server.clock.now, "kiosk-01", printer_state="ok")

    page = new_page(browser, DESKTOP, accept_downloads=True)
    page.goto(f"{server.base_url}/dashboard")
    expect(page).to_have_url(f"{server.base_url}/login?next=/dashboard")
    page.fill("#name", MANAGER)
    page.fill("#password", "wrong password")
    page.click("#login")
    expect(page.locator("#problem")).to_have_text("用户名或密码不正确。")
    shot(page, "dashboard-login-refused")
    page.fill("#password", PASSWORD)
    page.click("#login")
    expect(page).to_have_url(f"{server.base_url}/dashboard")
    expect(page.locator("svg.chart")).to_have_count(4)
    expect(page.locator("#per-month svg.chart g.bar")).to_have_count(2)
    expect(page.locator('tr[data-month="2026-11"]')).to_contain_text("66.7%")
    shot(page, "dashboard-overview", full_page=True)

    page.click("nav >> text=差评回访")
    row = page.locator(f'tr[data-id="{ids["bad"]}"]')
    expect(row).to_contain_text("138****5678")
    expect(row).to_contain_text("待回访")
    shot(page, "dashboard-bad-ratings", full_page=True)
    row.locator("a.button").click()
    page.click("#show-phone")
    expect(page.locator("#phone")).to_have_text("13812345678")
    page.get_by_label("已回访").check()
    page.fill("#note", "已电话联系市民，解释了补正材料的要求，市民表示理解。")
    page.click("#save")
    expect(page.locator("#saved")).to_have_text("已保存")
    expect(page.locator("#state")).to_have_text("已回访")
    expect(page.locator("#notes")).to_contain_text("市民表示理解")
    expect(page.locator("#notes")).to_contain_text(MANAGER)
    expect(page.locator("#phone")).to_have_text("138****5678")  # masked again
    shot(page, "dashboard-follow-up", full_page=True)

    page.click("nav >> text=投诉建议")
    expect(page.locator(f'tr[data-id="{complaint_id}"]')).to_contain_text("等了两个小时")
    shot(page, "dashboard-complaints", full_page=True)
    page.click("nav >> text=自助机")
    expect(page.locator('tr[data-kiosk="kiosk-02"]')).to_contain_text("失联")
    expect(page.locator('tr[data-kiosk="kiosk-02"]')).to_contain_text("缺纸")
    expect(page.locator('tr[data-kiosk="kiosk-01"]')).not_to_contain_text("失联")
    shot(page, "dashboard-fleet", full_page=True)

    page.click("nav >> text=概览")
    with page.expect_download() as download:
        page.click("#export-ratings")
    body = Path(download.value.path()).read_bytes()
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8")
    assert "不满意" in text and "138****5678" in text and "13812345678" not in text
    assert download.value.suggested_filename == "ratings-2026-11.csv"

    page.click("#lang-switch")
    expect(page.locator("#per-month h2")).to_have_text("Satisfaction per month")
    shot(page, "dashboard-overview-en", full_page=True)
    page.click("#logout")
    expect(page).to_have_url(f"{server.base_url}/login")
    page.goto(f"{server.base_url}/dashboard/ratings")
    expect(page).to_have_url(f"{server.base_url}/login?next=/dashboard/ratings")
