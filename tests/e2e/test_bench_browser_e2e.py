"""The bench's browser figures run end to end in Chromium (values are not judged here)."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from plotwise.bench import series
from plotwise.bench.browser import measure_browser
from plotwise.errors import BenchError
from plotwise.settings import Settings
from support.live_server import live_plotwise

pytestmark = pytest.mark.browser


def test_series_renders_are_timed_to_the_drawn_line(e2e_settings: Settings, monkeypatch):
    monkeypatch.setattr(series, "SIZES", (200, 1_000))
    rows = series.measure_series(e2e_settings, rounds=2)
    assert [r["points"] for r in rows] == [200, 1_000]
    for r in rows:
        # What the data endpoint answered reached the frame (downsampled or not).
        assert 0 < r["rows_sent"] <= r["points"]
        assert r["downsampled"] or r["rows_sent"] == r["points"]
        assert len(r["samples"]) == 2 and all(ms > 0 for ms in r["samples"])
        assert r["sandbox_ms"] >= 0


def test_question_to_chart_and_rerender_are_measured(e2e_settings: Settings):
    with live_plotwise(e2e_settings) as url:
        figures = measure_browser(url, rounds=1)
    assert len(figures["question_to_chart_ms"]) == 1
    assert len(figures["param_rerender_1000_points_ms"]) == 1
    assert all(ms > 0 for ms in figures["question_to_chart_ms"])


def test_a_frame_without_animation_frames_fails_the_figure_instead_of_hanging(
    e2e_settings: Settings, monkeypatch
):
    monkeypatch.setattr(series, "SIZES", (200,))
    monkeypatch.setattr(series, "FRAME_WAIT_MS", 50)
    # The sandbox frame gets no animation frames, as an off-screen one does.
    frozen = series._ARM.replace("=> {", "=> { window.requestAnimationFrame = () => 0;", 1)
    monkeypatch.setattr(series, "_ARM", frozen)
    with pytest.raises(BenchError, match="no animation frame within 50 ms in 3 renders"):
        series.measure_series(e2e_settings, rounds=1)


def test_the_bench_times_its_own_frame_not_the_apps_parked_warm_frame(page: Page, app_url: str):
    # The CI failure: the app's warm frame (off-screen, so Chromium gives it no animation
    # frames) came first among the page's frames with the sandbox's URL, and the bench timed it.
    page.goto(app_url)
    expect(page.locator('[data-testid="sandbox-warm-frame"][data-warm="ready"]')).to_be_attached()
    sandbox_url = httpx.get(f"{app_url}/api/config", timeout=10).json()["sandbox_url"]
    assert [f for f in page.frames if f.url.startswith(sandbox_url)], "no warm frame to confuse"

    frame = series.open_bench_frame(page, sandbox_url)

    element = frame.frame_element()
    assert element.get_attribute("data-testid") is None  # not the warm frame
    box = element.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0 and box["width"] > 0
    painted = frame.evaluate(
        "() => new Promise((resolve) => {"
        " setTimeout(() => resolve(false), 2000); requestAnimationFrame(() => resolve(true)); })"
    )
    assert painted
