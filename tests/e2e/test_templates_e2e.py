"""Templates in Chromium: save, reopen after a reload with fresh data, export, delete, import."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from support.chat_page import RENDER_TIMEOUT_MS, ask, frame

pytestmark = pytest.mark.browser

LGA_FLIGHTS_2013 = 104_662


def test_template_round_trip(page: Page, app_url: str, tmp_path):
    ask(page, app_url, "Number of flights from JFK by month")
    with page.expect_response(lambda r: r.url.endswith("/data") and r.request.method == "POST"):
        page.get_by_test_id("param-origin").select_option("LGA")
    page.get_by_test_id("param-color").fill("#dc2626")
    curve = frame(page).locator(".recharts-line-curve")
    expect(curve).to_have_attribute("stroke", "#dc2626")

    page.get_by_test_id("save-template").last.click()
    page.get_by_test_id("template-name").fill("LGA flights by month")
    page.get_by_test_id("template-save-confirm").click()
    expect(page.get_by_test_id("toast").last).to_contain_text("LGA flights by month")

    # A new session: the local chat is gone, the template is on the server.
    page.evaluate("window.localStorage.clear()")
    page.reload()
    page.get_by_test_id("rail-tab-templates").click()
    item = page.get_by_test_id("template-item").filter(has_text="LGA flights by month")
    expect(item).to_have_count(1)
    with page.expect_response(lambda r: r.url.endswith("/open")) as opened:
        item.get_by_test_id("template-open").click()
    body = opened.value.json()
    assert body["data"]["params"] == {"origin": "LGA"}
    assert sum(row[1] for row in body["data"]["rows"]) == LGA_FLIGHTS_2013
    host = page.get_by_test_id("artifact").last
    expect(host).to_have_attribute("data-state", "rendered", timeout=RENDER_TIMEOUT_MS)
    expect(page.get_by_test_id("param-origin")).to_have_value("LGA")
    expect(frame(page).locator(".recharts-line-curve")).to_have_attribute("stroke", "#dc2626")

    with page.expect_download() as download:
        item.get_by_test_id("template-export").click()
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    assert exported.name.endswith(".plotwise.json")

    item.get_by_test_id("template-delete").click()
    page.get_by_test_id("template-delete-confirm").click()
    expect(item).to_have_count(0)

    page.get_by_test_id("template-import-input").set_input_files(str(exported))
    expect(item).to_have_count(1)
    with page.expect_response(lambda r: r.url.endswith("/open")):
        item.get_by_test_id("template-open").click()
    expect(page.get_by_test_id("artifact").last).to_have_attribute(
        "data-state", "rendered", timeout=RENDER_TIMEOUT_MS
    )
    expect(page.get_by_test_id("param-origin")).to_have_value("LGA")


def test_a_refused_import_shows_why_and_adds_nothing(page: Page, app_url: str, tmp_path):
    bad = tmp_path / "bad.plotwise.json"
    bad.write_text('{"format": "plotwise.template", "schema_version": 99, "template": {}}')
    page.goto(app_url)
    page.get_by_test_id("rail-tab-templates").click()
    # Count only once the list has loaded: the round trip above left a template on the server.
    expect(page.get_by_test_id("templates-panel")).to_have_attribute("aria-busy", "false")
    before = page.get_by_test_id("template-item").count()
    page.get_by_test_id("template-import-input").set_input_files(str(bad))
    expect(page.get_by_test_id("template-import-error")).to_contain_text("schema_version")
    expect(page.get_by_test_id("template-item")).to_have_count(before)
