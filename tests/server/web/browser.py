"""Debian's Chromium under playwright for the web pages' tests, as tests/server/test_counter_page.py
launches it, and screenshots in tests/screenshots/server/ for a person to look at."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kiosk.paths import PROJECT_DIR
from tests.server.test_counter_page import CHROMIUM, CHROMIUM_ARGS

SHOTS = PROJECT_DIR / "tests" / "screenshots" / "server"
TIMEOUT_MS = 10_000
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
FONTS_READY = "document.fonts.ready.then(() => [...document.fonts].filter(f => f.family.includes('Kiosk Sans')).map(f => f.status))"
SIDEWAYS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser: Any, device: dict[str, Any], **options: Any) -> Any:
    context = browser.new_context(**device, **options)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return page


def shot(page: Any, name: str, full_page: bool = False) -> None:
    """A screenshot once the bundled font is in use (so every glyph is the one a person would see)."""
    assert page.evaluate(FONTS_READY) == ["loaded"], "the bundled font did not load"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def fits_sideways(page: Any) -> bool:
    """Whether the page needs no sideways scrolling (nothing overflows the screen's width)."""
    return bool(page.evaluate(SIDEWAYS) <= 0)
