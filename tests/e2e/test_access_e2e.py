"""The API token in Chromium: asked once, a wrong one refused, then sent on every call."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, Route, expect

from plotwise.settings import Settings
from support.live_server import live_plotwise

pytestmark = pytest.mark.browser

TOKEN = "e2e-token-5f0c"


@pytest.fixture(scope="module")
def token_url(e2e_settings: Settings) -> Iterator[str]:
    settings = Settings.model_validate(e2e_settings.model_dump() | {"api_token": TOKEN})
    with live_plotwise(settings) as url:
        yield url


def test_the_token_is_asked_once_checked_and_sent_on_every_call(page: Page, token_url: str):
    authorizations: list[str | None] = []
    page.on(
        "request",
        lambda request: (
            authorizations.append(request.headers.get("authorization"))
            if "/api/" in request.url
            else None
        ),
    )
    page.goto(token_url)
    dialog = page.get_by_test_id("token-dialog")
    expect(dialog).to_be_visible()
    field = page.get_by_test_id("token-input")
    expect(field).to_be_focused()

    # Keyboard only: a wrong token is refused, and said so.
    page.keyboard.type("not-the-token")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("token-error")).to_contain_text("refused that token")
    expect(page.get_by_test_id("token-input")).to_be_focused()
    page.keyboard.type(TOKEN)
    page.keyboard.press("Enter")
    expect(dialog).to_have_count(0)
    expect(page.get_by_test_id("model-name")).to_have_text("local")
    assert page.evaluate("sessionStorage.getItem('plotwise-api-token')") == TOKEN

    with page.expect_request("**/api/chat") as sent:
        page.get_by_test_id("chat-input").fill("How many flights per carrier?")
        page.get_by_test_id("chat-send").click()
    assert sent.value.headers["authorization"] == f"Bearer {TOKEN}"
    answer = page.locator('[data-testid="message"][data-role="assistant"]').last
    expect(answer).to_have_attribute("data-status", "done", timeout=30_000)

    # The tab keeps the token: a reload asks nothing.
    authorizations.clear()
    page.reload()
    expect(page.get_by_test_id("model-name")).to_have_text("local")
    expect(page.get_by_test_id("token-dialog")).to_have_count(0)
    assert authorizations
    assert set(authorizations) == {f"Bearer {TOKEN}"}


def test_escape_closes_the_dialog_and_a_late_startup_call_does_not_reopen_it(
    page: Page, token_url: str
):
    # The conversations list answers only after Escape: the CI race that reopened the dialog.
    held: list[Route] = []
    page.route("**/api/conversations?*", lambda route: held.append(route))
    page.goto(token_url)
    dialog = page.get_by_test_id("token-dialog")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(page.get_by_test_id("chat-input")).to_be_editable()

    assert held, "the conversations list was not held"
    for route in held:
        route.continue_()
    # Its 401 ends as the panel's error, not as a new prompt.
    chats = page.get_by_role("tabpanel", name="Chats")
    expect(chats.get_by_role("alert")).to_contain_text("token is missing")
    expect(dialog).to_have_count(0)
