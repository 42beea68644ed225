"""A 50,000-row time series reaches the browser as 2,000 LTTB points and renders quickly.

The component reads the ``meta`` prop; the artifact notes the downsampling under the chart, and
its "All rows (CSV)" download holds every row (``?full=true``).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from plotwise.settings import Settings
from support.chat_page import RENDER_TIMEOUT_MS, ask, frame
from support.live_server import live_plotwise
from support.scripted import component_model

pytestmark = pytest.mark.browser

SQL = """SELECT time_hour, dep_delay FROM flights WHERE dep_delay IS NOT NULL
ORDER BY time_hour, carrier, flight LIMIT 50000"""

LINE = """import { LineChart, Line, XAxis, YAxis, ResponsiveContainer } from "recharts";

export default function Delays({ data, meta }) {
  const points = data.map((row) => ({ t: Date.parse(row.time_hour), delay: row.dep_delay }));
  return (
    <div>
      <p data-testid="counts">
        {data.length} of {meta?.original_row_count} {String(meta?.downsampled)} {meta?.downsample}
      </p>
      <ResponsiveContainer width="100%" height={360}>
        <LineChart data={points}>
          <XAxis dataKey="t" type="number" domain={["dataMin", "dataMax"]} />
          <YAxis />
          <Line dataKey="delay" dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
"""


def test_a_50k_row_series_renders_as_2000_points_with_the_note(
    page: Page, e2e_settings: Settings, tmp_path
):
    settings = e2e_settings.model_copy(update={"max_rows": 60_000, "point_budget": 2000})
    with live_plotwise(settings, model=component_model(LINE, SQL)) as url:
        host = ask(page, url, "Departure delays over time")
        counts = frame(page).get_by_test_id("counts")
        expect(counts).to_have_text("2000 of 50000 true lttb")
        expect(frame(page).locator(".recharts-line-curve")).to_have_count(1)
        render_ms = float(host.get_attribute("data-render-ms") or "nan")
        # The target is 1 s for a 50k-point series after downsampling (~0.2 s measured
        # here); the bound leaves room for a busy machine.
        assert render_ms < 3000, f"rendering took {render_ms} ms"
        note = page.get_by_test_id("artifact-downsampled")
        expect(note).to_contain_text("showing 2,000 of 50,000 points, downsampled (LTTB)")
        expect(page.get_by_test_id("artifact-rows")).to_have_text("50,000 rows")
        with page.expect_download(timeout=RENDER_TIMEOUT_MS) as download:
            page.get_by_test_id("download-full").click()
        saved = tmp_path / "full.csv"
        download.value.save_as(saved)
        lines = saved.read_text(encoding="utf-8").splitlines()
        assert lines[0] == "time_hour,dep_delay"
        assert len(lines) == 50_001
