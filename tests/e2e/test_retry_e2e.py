"""A turn the provider breaks off, in Chromium: its partial answer stays, marked; Retry works."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pydantic_ai.models import override_allow_model_requests

from support.fake_openai import Step, fake_openai_app, tool_step
from support.live_server import live_plotwise, live_server

pytestmark = pytest.mark.browser

SQL = "SELECT origin, count(*) AS n FROM flights GROUP BY origin ORDER BY origin"
ANSWER = (
    "Here are the flights by origin, one bar each.\n\n```tsx\nimport { BarChart, Bar, XAxis } "
    'from "recharts";\nexport default function A({ data }) {\n  return <BarChart width={400} '
    'height={300} data={data}><XAxis dataKey="origin" /><Bar dataKey="n" /></BarChart>;\n}\n```\n'
)
QUESTION = "Number of flights by origin"


def test_a_broken_turn_keeps_its_partial_answer_and_retry_asks_again(page: Page, e2e_settings):
    # First turn: the query runs, then the answer's stream is cut; the retry gets a full turn.
    steps = [
        tool_step(SQL),
        Step("truncate", text=ANSWER),
        tool_step(SQL),
        Step("text", text=ANSWER),
    ]
    fake, requests = fake_openai_app(SQL, ANSWER, steps)
    with live_server(fake) as llm_url, override_allow_model_requests(True):
        settings = e2e_settings.model_copy(
            update={
                "model": "openai-compatible:fake-model",
                "llm_base_url": f"{llm_url}/v1",
                "llm_api_key": "sk-test",
            }
        )
        with live_plotwise(settings) as url:
            page.goto(url)
            page.get_by_test_id("chat-input").fill(QUESTION)
            page.get_by_test_id("chat-send").click()
            failed = page.locator('[data-testid="message"][data-role="assistant"]').last
            expect(failed).to_have_attribute("data-status", "error", timeout=30_000)
            expect(failed.get_by_test_id("chat-error")).to_have_attribute(
                "data-code", "model_error"
            )
            expect(failed).to_contain_text("Here are the flights")
            expect(failed.get_by_test_id("message-incomplete")).to_be_visible()

            retry = failed.get_by_test_id("retry-turn")
            retry.focus()
            with page.expect_request("**/api/chat") as sent:
                page.keyboard.press("Enter")
            assert sent.value.post_data_json["message"] == QUESTION
            answer = page.locator('[data-testid="message"][data-role="assistant"]').last
            expect(answer).to_have_attribute("data-status", "done", timeout=30_000)
            expect(answer.get_by_test_id("artifact-frame").first).to_be_visible(timeout=30_000)
            # The failed answer no longer offers Retry once a later turn followed it.
            expect(page.get_by_test_id("retry-turn")).to_have_count(0)
            assert len(requests) == 4
