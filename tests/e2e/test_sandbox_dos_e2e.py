"""Components that hang, flood the DOM or allocate without bound: the page stays responsive."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from plotwise.settings import Settings
from support.chat_page import RENDER_TIMEOUT_MS, frame
from support.live_server import live_plotwise
from support.repair import crash_then_fix_model
from support.scripted import component_model

pytestmark = pytest.mark.browser

WATCHDOG_S = 2.0
"""A short watchdog keeps these tests quick; the default is 5 s."""

HOSTILE = {
    "endless-loop": "export default function Spin() {\n  while (true) {}\n}",
    "huge-dom": (
        "export default function Flood() {\n"
        "  const spans = Array.from({ length: 3000000 }, (_, i) => <span key={i}>{i}</span>);\n"
        "  return <div>{spans}</div>;\n"
        "}"
    ),
    "unbounded-allocation": (
        "export default function Hog() {\n"
        "  const chunks = [];\n"
        "  while (true) chunks.push(new Array(1000000).fill(chunks.length));\n"
        "}"
    ),
}

# A heartbeat in the parent, and a log of the artifact's state changes, both timed in the page.
INSTRUMENT = """() => {
  const beat = { last: performance.now(), maxGap: 0, maxAt: 0 };
  window.__beat = beat;
  setInterval(() => {
    const now = performance.now();
    if (now - beat.last > beat.maxGap) {
      beat.maxGap = now - beat.last;
      beat.maxAt = beat.last;
    }
    beat.last = now;
  }, 10);
  window.__log = [];
  new MutationObserver((records) => {
    for (const r of records) {
      const value = r.target.getAttribute(r.attributeName);
      window.__log.push([performance.now(), r.attributeName, value]);
    }
  }).observe(document.body, { subtree: true, attributeFilter: ["data-state", "data-frame"] });
}"""

RECOVERED = """() => {
  const seen = (name, value) => window.__log.some(([, n, v]) => n === name && v === value);
  return seen("data-state", "error") && seen("data-frame", "1:ready");
}"""
"""The watchdog ended the component and the fresh frame answered its handshake."""


@pytest.fixture
def hostile_server(e2e_settings: Settings, request) -> Iterator[str]:
    settings = e2e_settings.model_copy(update={"render_timeout_s": WATCHDOG_S})
    with live_plotwise(settings, model=component_model(HOSTILE[request.param])) as url:
        yield url


@pytest.mark.parametrize("hostile_server", list(HOSTILE), indirect=True)
def test_hostile_component_is_contained_and_the_frame_recovered(page: Page, hostile_server):
    # The heartbeat covers the question, the hostile render, the watchdog and the recovery;
    # the page's own start-up (its fetches, the warm frame) is over before, with no component.
    page.goto(hostile_server, wait_until="networkidle")
    page.evaluate(INSTRUMENT)
    page.get_by_test_id("chat-input").fill("show me")
    page.get_by_test_id("chat-send").click()
    # Waited for in the page: each failed poll of Playwright's `expect` also takes an ARIA
    # snapshot of the page (20-30 ms of the very main thread the heartbeat measures).
    page.wait_for_function(RECOVERED, polling=100, timeout=RENDER_TIMEOUT_MS)
    log = page.evaluate("window.__log")
    beat = page.evaluate("window.__beat")
    hosted = next(t for t, name, value in log if name == "data-frame" and value == "0:ready")
    timed_out = next(t for t, name, value in log if name == "data-state" and value == "error")
    recovered = next(t for t, name, value in log if name == "data-frame" and value == "1:ready")
    assert recovered - timed_out <= 1000, f"fresh frame ready {recovered - timed_out:.0f} ms late"
    when = (
        f"starting at {beat['maxAt'] - hosted:+.0f} ms (0: the component was sent to the "
        f"frame; {timed_out - hosted:+.0f} ms: its watchdog fired)"
    )
    assert beat["maxGap"] <= 200, f"the parent page froze for {beat['maxGap']:.0f} ms, {when}"
    expect(page.get_by_test_id("artifact-error")).to_contain_text("render timed out")
    expect(page.get_by_test_id("artifact-fix")).to_be_visible()
    # The page still works: the composer takes input at once.
    page.get_by_test_id("chat-input").fill("still responsive")
    expect(page.get_by_test_id("chat-input")).to_have_value("still responsive")


def test_fix_it_sends_the_render_error_back_and_the_fixed_component_renders(
    page: Page, e2e_settings: Settings
):
    model, fix_prompts = crash_then_fix_model()
    with live_plotwise(e2e_settings, model=model) as url:
        page.goto(url)
        page.get_by_test_id("chat-input").fill("Flights by origin")
        page.get_by_test_id("chat-send").click()
        expect(page.get_by_test_id("artifact-error")).to_contain_text(
            "Render error", timeout=RENDER_TIMEOUT_MS
        )
        page.get_by_test_id("artifact-fix").click()
        fixed = page.get_by_test_id("artifact").nth(1)
        expect(fixed).to_have_attribute("data-state", "rendered", timeout=RENDER_TIMEOUT_MS)
        expect(frame(page).locator(".recharts-bar-rectangle")).to_have_count(3)
        user = page.locator('[data-testid="message"][data-role="user"]').last
        expect(user).to_contain_text("Fix the chart: Render error")
    [prompt] = fix_prompts
    assert "missing" in prompt and "Render error" in prompt
