"""Driving the chat page in end-to-end tests."""

from __future__ import annotations

from playwright.sync_api import Frame, Locator, Page, expect

RENDER_TIMEOUT_MS = 30_000


def ask(page: Page, url: str | None, question: str) -> Locator:
    """Open ``url`` (None: stay on the page), ask ``question``; return the new artifact host."""
    if url is not None:
        page.goto(url)
    before = page.get_by_test_id("artifact").count()
    page.get_by_test_id("chat-input").fill(question)
    page.get_by_test_id("chat-send").click()
    host = page.get_by_test_id("artifact").nth(before)
    expect(host).to_have_attribute("data-state", "rendered", timeout=RENDER_TIMEOUT_MS)
    return host


def frame(page: Page) -> object:
    """The newest artifact frame's content."""
    return page.frame_locator('[data-testid="artifact-frame"] >> nth=-1')


def sandbox_frame(page: Page) -> Frame:
    """The newest artifact frame as a Playwright `Frame` (to evaluate code inside the sandbox)."""
    handle = page.get_by_test_id("artifact-frame").last.element_handle()
    content = handle.content_frame()
    if content is None:
        raise AssertionError("the artifact frame has no content")
    return content
