"""Live artifacts in Chromium: view and query parameters, refresh, persistence, clear history."""

from __future__ import annotations

import os
import time

import duckdb
import pyarrow as pa
import pytest
from playwright.sync_api import Page, Request, expect

from plotwise.data.nycflights13 import parquet_paths
from plotwise.sql.arrow_result import ARROW_STREAM, read_metadata
from support.chat_page import RENDER_TIMEOUT_MS, ask, frame
from support.live_server import live_plotwise

pytestmark = pytest.mark.browser


def bar_fills(page: Page) -> set[str]:
    paths = frame(page).locator(".recharts-bar-rectangle path")
    return {paths.nth(i).get_attribute("fill") for i in range(paths.count())}


def test_view_parameters_rerender_without_any_request(page: Page, app_url: str):
    host = ask(page, app_url, "Number of flights by carrier")
    bars = frame(page).locator(".recharts-bar-rectangle")
    expect(bars).to_have_count(16)
    expect(page.get_by_test_id("params-sidebar")).to_be_visible()
    requests: list[str] = []

    def record(request: Request) -> None:
        if not request.url.startswith("data:"):
            requests.append(request.url)

    page.on("request", record)
    seq = host.get_attribute("data-render-seq")
    page.get_by_test_id("param-topN").fill("5")
    page.get_by_test_id("param-topN").press("Tab")
    expect(bars).to_have_count(5)
    page.get_by_test_id("param-color").fill("#dc2626")
    first_bar = frame(page).locator(".recharts-bar-rectangle path").first
    expect(first_bar).to_have_attribute("fill", "#dc2626")
    assert bar_fills(page) == {"#dc2626"}
    assert host.get_attribute("data-render-seq") != seq
    page.get_by_test_id("reset-view-params").click()
    expect(bars).to_have_count(16)
    assert requests == [], f"view parameters must not touch the network: {requests}"


def test_query_parameter_reruns_sql_and_keeps_the_code(page: Page, app_url: str):
    ask(page, app_url, "Number of flights from JFK by month")
    code = page.get_by_test_id("artifact-code").last.text_content()
    curve = frame(page).locator(".recharts-line-curve")
    before = curve.get_attribute("d")
    control = page.get_by_test_id("param-origin")
    expect(control).to_have_value("JFK")
    with page.expect_response(
        lambda r: "/api/artifacts/" in r.url and r.request.method == "POST"
    ) as response:
        control.select_option("LGA")
    assert response.value.ok
    # The chat UI asks for Arrow: the rows come as an IPC stream, the other fields as metadata.
    assert response.value.headers["content-type"] == ARROW_STREAM
    stream = pa.ipc.open_stream(response.value.body()).read_all()
    assert read_metadata(stream.schema)["params"] == {"origin": "LGA"} and stream.num_rows == 12
    expect(curve).not_to_have_attribute("d", before, timeout=RENDER_TIMEOUT_MS)
    assert page.get_by_test_id("artifact-code").last.text_content() == code


def test_refresh_changes_fetched_at_and_keeps_the_code(page: Page, app_url: str):
    ask(page, app_url, "Average departure delay by carrier")
    code = page.get_by_test_id("artifact-code").last.text_content()
    fetched = page.get_by_test_id("fetched-at")
    first = fetched.text_content()
    time.sleep(1.1)  # the time is shown to the second
    page.get_by_test_id("refresh-data").click()
    expect(fetched).not_to_have_text(first, timeout=RENDER_TIMEOUT_MS)
    expect(page.get_by_test_id("artifact").last).to_have_attribute("data-state", "rendered")
    assert page.get_by_test_id("artifact-code").last.text_content() == code


def append_flights(data_dir, carrier: str, count: int) -> None:
    path = parquet_paths(data_dir)["flights"]
    tmp = path.with_suffix(".tmp.parquet")
    duckdb.sql(
        f"COPY (SELECT * FROM read_parquet('{path}') UNION ALL (SELECT * REPLACE "
        f"('{carrier}' AS carrier) FROM read_parquet('{path}') LIMIT {count})) TO '{tmp}' "
        "(FORMAT parquet)"
    )
    os.replace(tmp, path)


def test_refresh_after_appending_rows_shows_new_data(page: Page, e2e_settings, tmp_path):
    settings = e2e_settings.model_copy(update={"data_dir": tmp_path})
    with live_plotwise(settings) as url:
        ask(page, url, "Number of flights by carrier")
        bars = frame(page).locator(".recharts-bar-rectangle")
        expect(bars).to_have_count(16)
        version = page.get_by_test_id("data-version").text_content()
        append_flights(tmp_path, "ZZ", 7)
        page.get_by_test_id("refresh-data").click()
        expect(bars).to_have_count(17, timeout=RENDER_TIMEOUT_MS)
        expect(page.get_by_test_id("data-version")).not_to_have_text(version)


def test_reload_restores_the_conversation_and_artifact(page: Page, app_url: str):
    ask(page, app_url, "Number of flights by carrier")
    page.get_by_test_id("param-topN").fill("7")
    page.get_by_test_id("param-topN").press("Tab")
    expect(frame(page).locator(".recharts-bar-rectangle")).to_have_count(7)
    page.reload()
    expect(page.locator('[data-testid="message"][data-role="user"]')).to_have_text(
        "Number of flights by carrier"
    )
    host = page.get_by_test_id("artifact").last
    expect(host).to_have_attribute("data-state", "rendered", timeout=RENDER_TIMEOUT_MS)
    expect(frame(page).locator(".recharts-bar-rectangle")).to_have_count(7)
    expect(page.get_by_test_id("param-topN")).to_have_value("7")


def test_clear_history_empties_the_chat_for_good(page: Page, app_url: str):
    ask(page, app_url, "Number of flights by carrier")
    clear = page.get_by_test_id("clear-history")
    clear.click()
    expect(clear).to_have_attribute("data-state", "confirm")
    clear.click()
    expect(page.get_by_test_id("message")).to_have_count(0)
    expect(page.get_by_test_id("artifact")).to_have_count(0)
    page.reload()
    expect(page.get_by_test_id("example-question").first).to_be_visible()
    expect(page.get_by_test_id("message")).to_have_count(0)
