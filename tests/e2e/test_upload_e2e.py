"""End to end in Debian's Chromium: upload a CSV, review its inferred types, ask, see the chart.

The server runs over a data directory of its own (penguins bundled) so the upload does not reach
other tests' catalog. The CSV has missing amounts (``NA`` and empty) and missing dates; the
review must show them as nulls with ``DOUBLE`` and ``DATE`` types before the dataset is added.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Page, expect

from plotwise.settings import Settings
from support.datasets import sales_csv, settings_for
from support.live_server import live_plotwise

pytestmark = pytest.mark.browser

RENDER_TIMEOUT_MS = 30_000


def review_column(page: Page, name: str):
    return page.locator(f'[data-testid="dataset-review-column"][data-column="{name}"]')


def test_upload_a_csv_review_its_types_ask_and_see_the_chart(
    page: Page, e2e_settings: Settings, tmp_path: Path
):
    csv = tmp_path / "sales.csv"
    csv.write_bytes(sales_csv())
    connection = duckdb.connect()
    nulls = connection.execute(
        f"SELECT count(*) FILTER (amount IS NULL), count(*) FILTER (sold_on IS NULL), "
        f"count(DISTINCT region) FROM read_csv('{csv}', nullstr = ['NA', ''])"
    ).fetchone()
    assert nulls is not None
    missing_amounts, missing_dates, regions = nulls
    assert missing_amounts > 0 and missing_dates > 0
    settings = settings_for(
        tmp_path / "data",
        frontend_dist=e2e_settings.frontend_dist,
        sandbox_dist=e2e_settings.sandbox_dist,
    )
    with live_plotwise(settings) as url:
        page.goto(url)
        page.get_by_test_id("rail-tab-data").click()
        page.get_by_test_id("dataset-file-input").set_input_files(str(csv))

        review = page.get_by_test_id("dataset-review")
        expect(review).to_be_visible(timeout=RENDER_TIMEOUT_MS)
        expect(page.get_by_test_id("dataset-name-input")).to_have_value("sales")
        expect(page.get_by_label("Type of amount")).to_have_value("DOUBLE")
        expect(page.get_by_label("Type of sold_on")).to_have_value("DATE")
        expect(page.get_by_label("Type of region")).to_have_value("VARCHAR")
        expect(
            review_column(page, "amount").get_by_test_id("dataset-column-nulls")
        ).to_contain_text(str(missing_amounts))
        expect(
            review_column(page, "sold_on").get_by_test_id("dataset-column-nulls")
        ).to_contain_text(str(missing_dates))
        page.get_by_role("button", name="Add dataset").click()

        expect(page.locator('[data-testid="dataset-chip"][data-name="sales"]')).to_be_visible(
            timeout=RENDER_TIMEOUT_MS
        )
        page.get_by_test_id("chat-input").fill("Average amount by region")
        page.get_by_test_id("chat-input").press("Enter")

        host = page.locator('[data-testid="artifact"][data-state="rendered"]')
        expect(host).to_be_visible(timeout=RENDER_TIMEOUT_MS)
        frame = page.frame_locator('[data-testid="artifact-frame"]')
        expect(frame.locator(".recharts-bar-rectangle")).to_have_count(regions)
        answer = page.locator('[data-testid="message"][data-role="assistant"]').last
        expect(answer).to_contain_text("sales")
        # The chart's category axis names each of the CSV's regions once.
        ticks = frame.locator(".recharts-cartesian-axis-tick-value")
        expect(ticks.first).to_be_visible()
        shown = Counter(ticks.all_text_contents())
        distinct = connection.execute(f"SELECT DISTINCT region FROM '{csv}'").fetchall()
        assert all(shown[region] == 1 for (region,) in distinct), shown
