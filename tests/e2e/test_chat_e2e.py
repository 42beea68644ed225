"""End to end in Debian's Chromium: type a question, see a streamed answer and a live chart."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from support.live_server import live_plotwise
from support.scripted import component_model

pytestmark = pytest.mark.browser

RENDER_TIMEOUT_MS = 30_000


def send(page: Page, url: str, question: str) -> None:
    page.goto(url)
    page.get_by_test_id("chat-input").fill(question)
    page.get_by_test_id("chat-send").click()


def test_flights_by_carrier_renders_sixteen_bars(page: Page, app_url: str):
    send(page, app_url, "Number of flights by carrier")
    host = page.locator('[data-testid="artifact"][data-state="rendered"]')
    expect(host).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    frame_element = page.get_by_test_id("artifact-frame")
    assert frame_element.get_attribute("sandbox") == "allow-scripts"
    bars = page.frame_locator('[data-testid="artifact-frame"]').locator(".recharts-bar-rectangle")
    expect(bars).to_have_count(16)
    answer = page.locator('[data-testid="message"][data-role="assistant"]').last
    expect(answer).to_contain_text("UA")
    expect(answer).to_contain_text("SELECT")
    expect(page.get_by_test_id("artifact-code")).to_contain_text("export default function")


def test_keyboard_enter_sends_the_question(page: Page, app_url: str):
    page.goto(app_url)
    page.get_by_test_id("chat-input").fill("Monthly number of flights")
    page.get_by_test_id("chat-input").press("Enter")
    expect(page.locator('[data-testid="artifact"][data-state="rendered"]')).to_be_visible(
        timeout=RENDER_TIMEOUT_MS
    )
    line = page.frame_locator('[data-testid="artifact-frame"]').locator(".recharts-line")
    expect(line).to_have_count(1)


def test_a_component_that_throws_shows_the_error_state(page: Page, e2e_settings):
    code = "export default function Boom() {\n  throw new Error('kaboom');\n}"
    with live_plotwise(e2e_settings, model=component_model(code)) as url:
        send(page, url, "show me")
        host = page.locator('[data-testid="artifact"][data-state="error"]')
        expect(host).to_be_visible(timeout=RENDER_TIMEOUT_MS)
        expect(page.get_by_test_id("artifact-error")).to_contain_text("kaboom")
        expect(page.get_by_test_id("artifact-retry")).to_be_visible()


@pytest.mark.parametrize(
    "code",
    [
        "export default function Broken({ data ) {\n  return <div>;\n}",
        'export default function Leaky() {\n  fetch("/api/config");\n  return <div/>;\n}',
        'import fs from "fs";\nexport default function A() { return <div/>; }',
    ],
    ids=["compile-error", "forbidden-fetch", "forbidden-import"],
)
def test_a_model_that_keeps_breaking_the_policy_gets_no_artifact(page: Page, e2e_settings, code):
    settings = e2e_settings.model_copy(update={"agent_retries": 1})
    with live_plotwise(settings, model=component_model(code)) as url:
        send(page, url, "show me")
        expect(page.get_by_test_id("chat-error")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
        expect(page.get_by_test_id("chat-error")).to_contain_text("validation policy")
        expect(page.get_by_test_id("artifact")).to_have_count(0)


def test_a_refused_component_is_repaired_before_it_renders(page: Page, e2e_settings):
    from support.repair import repairing_model

    model, _ = repairing_model()
    with live_plotwise(e2e_settings, model=model) as url:
        send(page, url, "flights by origin")
        host = page.locator('[data-testid="artifact"][data-state="rendered"]')
        expect(host).to_be_visible(timeout=RENDER_TIMEOUT_MS)
        bars = page.frame_locator('[data-testid="artifact-frame"]').locator(
            ".recharts-bar-rectangle"
        )
        expect(bars).to_have_count(3)
        code = page.get_by_test_id("artifact-code")
        expect(code).to_contain_text("function Fixed")
        expect(code).not_to_contain_text("lodash")
        answer = page.locator('[data-testid="message"][data-role="assistant"]').last
        expect(answer).to_contain_text("Fixed.")
        expect(answer).not_to_contain_text("lodash")
