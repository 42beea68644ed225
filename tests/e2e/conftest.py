from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from plotwise.bench.browser import CHROMIUM_ARGS
from plotwise.settings import Settings
from support.live_server import live_plotwise


@pytest.fixture(scope="session")
def e2e_settings(settings: Settings) -> Settings:
    for dist in (settings.frontend_dist, settings.sandbox_dist):
        if not (dist / "index.html").is_file():
            pytest.fail(f"{dist} is not built: run `npm run build` (make test does)")
    return settings


@pytest.fixture(scope="session")
def app_url(e2e_settings: Settings) -> Iterator[str]:
    with live_plotwise(e2e_settings) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium for one test module; Playwright's sync API holds an event loop while open."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: run `make chromium` (make test does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"uncaught errors in the page: {errors}"
