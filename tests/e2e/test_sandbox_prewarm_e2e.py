"""A warm sandbox frame is ready before the first artifact arrives, and that artifact adopts it.

The warm frame (frontend/src/artifact/warmFrame.ts) loads when the app starts; the first chart
takes it over without a reload. Isolation stays as it was: the adopted frame keeps
sandbox="allow-scripts" only, and the next artifact gets another frame, never the used one.
Timings are printed for the report (run with -s), not asserted.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import ElementHandle, Page, expect

pytestmark = pytest.mark.browser

RENDER_TIMEOUT_MS = 30_000
WARM_READY = '[data-testid="sandbox-warm-frame"][data-warm="ready"]'


def ask(page: Page, question: str) -> None:
    page.get_by_test_id("chat-input").fill(question)
    page.get_by_test_id("chat-send").click()


def rendered_host(page: Page, index: int):
    host = page.get_by_test_id("artifact").nth(index)
    expect(host).to_have_attribute("data-state", "rendered", timeout=RENDER_TIMEOUT_MS)
    return host


def report(kind: str, host) -> None:
    mount = host.get_attribute("data-first-render-ms")
    message = host.get_attribute("data-render-ms")
    print(f"\n{kind}: mount to rendered {mount} ms, message to rendered {message} ms")


def same_element(page: Page, a: ElementHandle, b: ElementHandle) -> bool:
    return page.evaluate("([a, b]) => a === b", [a, b])


def test_first_artifact_adopts_the_frame_warmed_before_it_arrived(page: Page, app_url: str):
    page.goto(app_url)
    warm = page.locator(WARM_READY)
    expect(warm).to_be_attached(timeout=RENDER_TIMEOUT_MS)
    warm_element = warm.element_handle()
    assert page.get_by_test_id("artifact").count() == 0

    ask(page, "Number of flights by carrier")
    host = rendered_host(page, 0)
    expect(host).to_have_attribute("data-warm", "ready")
    frame = host.get_by_test_id("artifact-frame")
    assert same_element(page, frame.element_handle(), warm_element)
    assert frame.get_attribute("sandbox") == "allow-scripts"
    assert frame.get_attribute("data-warm") is None
    bars = page.frame_locator('[data-testid="artifact"] >> nth=0 >> [data-testid="artifact-frame"]')
    expect(bars.locator(".recharts-bar-rectangle")).to_have_count(16)
    report("warm", host)

    # The next artifact gets a frame of its own (warmed again after a render), never the used one.
    expect(page.locator(WARM_READY)).to_be_attached(timeout=RENDER_TIMEOUT_MS)
    ask(page, "Monthly number of flights")
    second = rendered_host(page, 1)
    expect(second).to_have_attribute("data-warm", "ready")
    second_frame = second.get_by_test_id("artifact-frame").element_handle()
    assert not same_element(page, second_frame, warm_element)
    line = page.frame_locator('[data-testid="artifact"] >> nth=1 >> [data-testid="artifact-frame"]')
    expect(line.locator(".recharts-line")).to_have_count(1)
    expect(bars.locator(".recharts-bar-rectangle")).to_have_count(16)


def test_where_frames_cannot_move_the_artifact_starts_a_cold_frame(page: Page, app_url: str):
    # Browsers without Element.moveBefore would reload a moved frame: no warm frame at all there.
    page.add_init_script("delete Element.prototype.moveBefore")
    page.goto(app_url)
    ask(page, "Number of flights by carrier")
    host = rendered_host(page, 0)
    assert host.get_attribute("data-warm") is None
    assert page.get_by_test_id("sandbox-warm-frame").count() == 0
    expect(host).to_have_attribute("data-frame", "0:ready")
    bars = page.frame_locator('[data-testid="artifact-frame"]').locator(".recharts-bar-rectangle")
    expect(bars).to_have_count(16)
    report("cold", host)
