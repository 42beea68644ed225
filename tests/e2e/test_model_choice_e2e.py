"""The header's model in Chromium: shown alone, or a "Model" menu whose pick answers and is kept."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pydantic_ai.models import override_allow_model_requests

from support.fake_openai import fake_openai_app
from support.live_server import live_plotwise, live_server

pytestmark = pytest.mark.browser

FAKE = "openai-compatible:fake-model"
ANSWER = "The fake model counted the origins."


def test_a_single_model_is_shown_without_a_menu(page: Page, app_url: str):
    page.goto(app_url)
    expect(page.get_by_test_id("model-name")).to_have_text("local")
    expect(page.get_by_label("Model")).to_have_count(0)


def test_the_model_menu_picks_the_model_of_the_next_turns(page: Page, e2e_settings):
    fake, requests = fake_openai_app("SELECT origin, count(*) AS n FROM flights GROUP BY 1", ANSWER)
    with live_server(fake) as llm_url, override_allow_model_requests(True):
        settings = e2e_settings.model_copy(
            update={"models": [FAKE], "llm_base_url": f"{llm_url}/v1", "llm_api_key": "sk-test"}
        )
        with live_plotwise(settings) as url:
            page.goto(url)
            menu = page.get_by_label("Model")
            expect(menu).to_have_value("local")
            expect(menu.locator("option")).to_have_text(["local", FAKE])
            # A native select: the keyboard alone moves to the next model.
            menu.focus()
            menu.press("ArrowDown")
            expect(menu).to_have_value(FAKE)

            with page.expect_request("**/api/chat") as sent:
                page.get_by_test_id("chat-input").fill("Number of flights by origin")
                page.get_by_test_id("chat-send").click()
            assert sent.value.post_data_json["model"] == FAKE
            answer = page.locator('[data-testid="message"][data-role="assistant"]').last
            expect(answer).to_have_attribute("data-status", "done", timeout=30_000)
            expect(answer).to_contain_text(ANSWER)
            expect(answer.locator(".message-footer")).to_contain_text(FAKE)
            assert [body["model"] for body in requests] == ["fake-model", "fake-model"]

            # The pick outlives a reload; one the server no longer offers falls back.
            page.reload()
            expect(page.get_by_label("Model")).to_have_value(FAKE)
            page.evaluate("localStorage.setItem('plotwise-model', 'anthropic:gone')")
            page.reload()
            expect(page.get_by_label("Model")).to_have_value("local")
