"""The counter page in headless Chromium against a real uvicorn on 127.0.0.1: staff choose their
window, call the next ticket and see its number, recall, mark a no-show, finish and transfer.
Screenshots go to tests/screenshots/counter/ for a person to look at."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.content import Text
from kiosk.paths import PROJECT_DIR
from server.main import create_app
from server.settings import Settings
from tests.server.center import Clock, auth, center_rules, register_test_kiosks
from tests.server.serving import uvicorn_thread

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = PROJECT_DIR / "tests" / "screenshots" / "counter"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NAMES = {
    "legal_aid": Text("法律援助申请", "Legal aid application"),
    "consultation": Text("法律咨询", "Legal consultation"),
    "mediation": Text("人民调解", "People's mediation"),
}
TIMEOUT_MS = 10_000

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (make test installs it)")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Clock]]:
    clock = Clock()
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'server.sqlite3'}"), center_rules(), clock, service_names=NAMES)
    register_test_kiosks(app.state.database)
    with uvicorn_thread(app) as base_url:
        yield base_url, clock


@pytest.fixture(scope="module")
def launched_browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def browser(launched_browser: Any) -> Iterator[Any]:
    """One Chromium for the module; each test's pages (with their cookies and storage) closed after it."""
    yield launched_browser
    for context in launched_browser.contexts:
        context.close()


def take(base_url: str, clock: Clock, service_id: str, category: str = "normal") -> str:
    clock.advance(minutes=1)
    body = {"id": str(uuid.uuid4()), "kiosk_id": "kiosk-01", "service_id": service_id, "category": category}
    if category == "priority":
        body["priority_kind"] = "elderly"
    response = requests.post(f"{base_url}/api/v1/tickets", json=body, headers=auth(), timeout=5)
    assert response.status_code == 201, response.text
    label: str = response.json()["label"]
    return label


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_staff_call_recall_no_show_done_and_transfer(server: tuple[str, Clock], browser: Any) -> None:
    from playwright.sync_api import expect

    base_url, clock = server
    take(base_url, clock, "legal_aid")  # A001
    take(base_url, clock, "consultation")  # B001
    take(base_url, clock, "legal_aid", "priority")  # V001
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{base_url}/counter")
    page.get_by_text("2号窗口").click()
    expect(page.locator("#window-name")).to_contain_text("2号窗口")
    page.goto(f"{base_url}/counter?window=1")
    expect(page.locator("#window-name")).to_contain_text("1号窗口")
    expect(page.locator("#queues li[data-service=legal_aid] .count")).to_have_text("2 人")
    shot(page, "waiting")

    page.click("#call-next")
    expect(page.locator("#current-label")).to_have_text("V001")
    expect(page.locator("#current-detail")).to_contain_text("绿色通道")
    expect(page.locator("#message")).to_contain_text("请 V001 号到本窗口")
    expect(page.locator("#call-next")).to_be_disabled()
    shot(page, "called")

    page.click("#recall")
    expect(page.locator("#message")).to_contain_text("已重呼 V001")
    page.click("#skip")
    expect(page.locator("#message")).to_contain_text("V001 已过号")
    expect(page.locator("#current-label")).to_have_text("—")

    page.click("#call-next")
    expect(page.locator("#current-label")).to_have_text("A001")
    page.select_option("#transfer-to", "mediation")
    page.click("#transfer")
    expect(page.locator("#message")).to_contain_text("A001 已转至 人民调解")

    page.click("#call-next")
    expect(page.locator("#current-label")).to_have_text("B001")
    expect(page.locator("#current-detail")).to_contain_text("法律咨询")
    page.click("#done")
    expect(page.locator("#message")).to_contain_text("B001 已办结")

    page.click("#call-next")
    expect(page.locator("#message")).to_contain_text("现在没有人等候")
    shot(page, "nobody-waiting")

    window3 = requests.get(f"{base_url}/api/v1/windows/3", timeout=5).json()
    assert window3["queues"][0]["waiting"] == 1  # the transferred A001


def test_the_page_follows_the_queue_and_says_when_the_server_is_gone(server: tuple[str, Clock], browser: Any) -> None:
    from playwright.sync_api import expect

    base_url, clock = server
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{base_url}/counter?window=3")
    expect(page.locator("#queues li[data-service=mediation] .count")).to_have_text("0 人")
    take(base_url, clock, "mediation")
    expect(page.locator("#queues li[data-service=mediation] .count")).to_have_text("1 人")  # the 2 s poll
    page.click("#call-next")
    expect(page.locator("#current-label")).to_have_text("C001")
    shot(page, "window-3-1920x1080")
    page.route("**/api/v1/**", lambda route: route.abort())  # the server is gone as far as the page can tell
    expect(page.locator("#message")).to_contain_text("服务器无响应")
    expect(page.locator("#current-label")).to_have_text("C001")  # the last known state stays
    shot(page, "server-gone")


def test_the_window_chooser_lists_every_window(server: tuple[str, Clock], browser: Any) -> None:
    from playwright.sync_api import expect

    base_url, _clock = server
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{base_url}/counter")
    expect(page.locator("#window-list a")).to_have_count(3)
    expect(page.locator("#window-list")).to_contain_text("法律援助申请、法律咨询")
    shot(page, "chooser")
