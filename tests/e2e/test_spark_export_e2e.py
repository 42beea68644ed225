"""Spark jobs in the browser: an export's progress, preview and downloads; cancelling a job.

The export is the local analyst's answer to the issue's own question; its files are downloaded
by Chromium and counted against DuckDB. Cancelling uses a scripted model whose job (a cross
join of flights with itself, `support.spark.LONG`) runs long enough to be stopped from its card.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest
from playwright.sync_api import Page, expect

from plotwise.data.catalog import Catalog
from plotwise.settings import Settings
from plotwise.spark.engine import SparkEngine
from support.chat_page import ask, frame
from support.live_server import live_plotwise
from support.spark import long_job_model

pytestmark = [pytest.mark.browser, pytest.mark.spark]

QUESTION = "Export all flights delayed more than 3 hours"
JOB_TIMEOUT_MS = 120_000

# Records every state a job card shows, and whether a progress bar with a task total showed.
WATCH_CARDS = """() => {
  window.__jobStates = [];
  window.__sawProgress = false;
  const look = () => {
    for (const card of document.querySelectorAll('[data-testid="job-card"]')) {
      const state = card.getAttribute('data-state');
      if (window.__jobStates.at(-1) !== state) window.__jobStates.push(state);
      const bar = card.querySelector('progress, [role="progressbar"]');
      if (bar && Number(bar.getAttribute('aria-valuemax')) > 0) window.__sawProgress = true;
    }
  };
  new MutationObserver(look).observe(document.body, {
    subtree: true, childList: true, attributes: true, characterData: true,
  });
}"""


@pytest.fixture(scope="module")
def spark_url(e2e_settings: Settings, spark_engine: SparkEngine) -> Iterator[str]:
    settings = e2e_settings.model_copy(
        update={"spark_remote": spark_engine.url, "spark_preview_rows": 200}
    )
    with live_plotwise(settings) as url:
        yield url


def test_export_shows_progress_then_preview_and_working_downloads(
    page: Page, spark_url: str, catalog: Catalog
):
    expected = (
        catalog.cursor().execute("SELECT count(*) FROM flights WHERE dep_delay > 180").fetchone()[0]
    )
    page.goto(spark_url)
    page.evaluate(WATCH_CARDS)
    host = ask(page, None, QUESTION)

    card = page.get_by_test_id("job-card")
    expect(card).to_have_attribute("data-state", "succeeded", timeout=JOB_TIMEOUT_MS)
    states = page.evaluate("window.__jobStates")
    assert states[0] in ("queued", "running") and states[-1] == "succeeded", states
    assert page.evaluate("window.__sawProgress"), "no progress bar with a task total was shown"
    expect(card).to_contain_text(f"{expected:,}")

    # The preview: the first rows in the sandboxed component, the full count beside it.
    expect(host).to_have_attribute("data-state", "rendered")
    expect(page.get_by_test_id("artifact-rows").first).to_contain_text(f"200 of {expected:,}")
    shown = int(page.get_by_role("spinbutton", name="Rows shown").input_value())
    expect(frame(page).locator("tbody tr")).to_have_count(min(shown, 200))

    for name, read in (("parquet", pq.read_table), ("csv", pa_csv.read_csv)):
        with page.expect_download() as download:
            card.get_by_test_id(f"job-download-{name}").click()
        path = download.value.path()
        assert download.value.suggested_filename.endswith(f".{name}")
        assert read(path).num_rows == expected, name


def test_cancel_stops_the_job_within_a_second_and_offers_no_file(
    page: Page, e2e_settings: Settings, spark_engine: SparkEngine
):
    settings = e2e_settings.model_copy(update={"spark_remote": spark_engine.url})
    with live_plotwise(settings, model=long_job_model()) as url:
        page.goto(url)
        page.get_by_test_id("chat-input").fill("Count every pair of flights")
        page.get_by_test_id("chat-send").click()
        card = page.get_by_test_id("job-card")
        expect(card).to_have_attribute("data-state", "running", timeout=JOB_TIMEOUT_MS)
        expect(card.get_by_role("progressbar")).to_be_visible()
        job_id = card.get_attribute("data-job-id")
        clicked = time.monotonic()
        card.get_by_role("button", name="Cancel job").click()
        expect(card).to_have_attribute("data-state", "cancelled", timeout=5_000)
        shown_after = time.monotonic() - clicked
        assert shown_after < 1.0, f"the card showed cancelled {shown_after:.2f} s after the click"
        expect(card.get_by_role("link")).to_have_count(0)
        with httpx.Client(base_url=url, timeout=30) as client:
            job = client.get(f"/api/jobs/{job_id}").json()
            assert job["state"] == "cancelled" and job["files"] == []
            finished = job["finished_at"]
            assert client.get(f"/api/jobs/{job_id}/files/parquet").status_code == 409
        assert finished is not None
