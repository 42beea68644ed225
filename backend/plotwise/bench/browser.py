"""Browser figures through Playwright and Debian's Chromium.

Question to rendered chart, and sidebar view-parameter re-renders of a 1,000-point chart (read
from the sandbox's own render timing, reported on the artifact's host element).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from plotwise.errors import BenchError

if TYPE_CHECKING:
    from playwright.sync_api import PlaywrightContextManager

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
RENDERED = '[data-testid="artifact"][data-state="rendered"]'
BIG_QUESTION = "Number of flights by time"
"""Grouped by the hourly timestamp: 1,000 points (the row cap) on a line chart."""


def require_chromium() -> tuple[Callable[[], PlaywrightContextManager], str]:
    """Return Playwright's ``sync_playwright`` and the path of Debian's Chromium.

    Raises:
        BenchError: Playwright (``make install-dev``) or Chromium (``make chromium``) is missing.

    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise BenchError("the browser figures need playwright (make install-dev)") from exc
    executable = shutil.which("chromium")
    if executable is None:
        raise BenchError("the browser figures need Debian's chromium (make chromium)")
    return sync_playwright, executable


def measure_browser(base_url: str, rounds: int) -> dict[str, list[float]]:
    """Return question-to-rendered times and view-parameter re-render times, in ms.

    Raises:
        BenchError: Chromium or Playwright is missing.

    """
    sync_playwright, executable = require_chromium()
    to_chart: list[float] = []
    rerender: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for _ in range(rounds):
            page.goto(base_url)
            page.evaluate("window.localStorage.clear()")
            page.reload()
            started = time.perf_counter()
            page.get_by_test_id("chat-input").fill("Number of flights by carrier")
            page.get_by_test_id("chat-send").click()
            page.wait_for_selector(RENDERED, timeout=30_000)
            to_chart.append((time.perf_counter() - started) * 1000)
        existing = page.get_by_test_id("artifact").count()
        page.get_by_test_id("chat-input").fill(BIG_QUESTION)
        page.get_by_test_id("chat-send").click()
        host = page.get_by_test_id("artifact").nth(existing)
        host.and_(page.locator(RENDERED)).wait_for(timeout=30_000)
        colors = ["#dc2626", "#16a34a", "#2563eb", "#9333ea"]
        for i in range(rounds):
            before = host.get_attribute("data-render-seq")
            page.get_by_test_id("param-color").fill(colors[i % len(colors)])
            page.wait_for_function(
                "([el, before]) => el.getAttribute('data-render-seq') !== before",
                arg=[host.element_handle(), before],
            )
            rerender.append(float(host.get_attribute("data-render-ms") or "nan"))
        browser.close()
    return {"question_to_chart_ms": to_chart, "param_rerender_1000_points_ms": rerender}
