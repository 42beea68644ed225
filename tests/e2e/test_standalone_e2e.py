"""The standalone HTML file renders offline in Chromium; nothing inside it reaches the network."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from support.leak import LeakServer
from support.live_server import live_plotwise
from support.scripted import component_model
from support.sse import chat

pytestmark = pytest.mark.browser

BY_ORIGIN = "SELECT origin, count(*) AS n FROM flights GROUP BY origin"


def leaky_component(leak: str) -> str:
    """A component that passes both validators yet tries to reach ``leak`` three ways."""
    return f"""import React, {{ useEffect }} from "react";
import {{ BarChart, Bar, XAxis }} from "recharts";

const LEAK = "{leak}";

export default function Leaky({{ data }}) {{
  useEffect(() => {{
    const img = document.createElement("img");
    img.src = LEAK + "/leak/image";
  }}, []);
  return (
    <div style={{{{ backgroundImage: "url({leak}/leak/background)" }}}}>
      <img src={{LEAK + "/leak/tag"}} alt="" />
      <BarChart width={{500}} height={{300}} data={{data}}>
        <XAxis dataKey="origin" />
        <Bar dataKey="n" isAnimationActive={{false}} />
      </BarChart>
    </div>
  );
}}
"""


def test_standalone_file_renders_offline_and_leaks_nothing(page: Page, e2e_settings, tmp_path):
    with LeakServer() as leak:
        model = component_model(leaky_component(leak.http_url), sql=BY_ORIGIN)
        with live_plotwise(e2e_settings, model=model) as url:
            artifact = next(e.data for e in chat(url, "flights by origin") if e.event == "artifact")
            response = httpx.post(
                f"{url}/api/artifacts/{artifact['artifact_id']}/standalone",
                json={"title": "Flights by origin"},
                timeout=60,
            )
        assert response.status_code == 200, response.text
        assert "attachment" in response.headers["content-disposition"]
        path = tmp_path / "artifact.html"
        path.write_text(response.text, encoding="utf-8")
        # The app server is gone: the file must stand on its own.
        page.goto(path.as_uri())
        expect(page.locator("html")).to_have_attribute("data-state", "rendered", timeout=30_000)
        expect(page.locator(".recharts-bar-rectangle")).to_have_count(3)
        expect(page.locator("h1")).to_have_text("Flights by origin")
        hits = leak.settle(1.0)
        assert hits == [], f"the standalone file reached the network: {[str(h) for h in hits]}"
        assert page.evaluate("typeof RTCPeerConnection") == "undefined"


def test_local_model_artifact_downloads_as_html(page: Page, app_url: str, tmp_path):
    artifact = next(
        e.data for e in chat(app_url, "Number of flights by carrier") if e.event == "artifact"
    )
    response = httpx.post(
        f"{app_url}/api/artifacts/{artifact['artifact_id']}/standalone",
        json={"view_params": {"topN": 4}},
        timeout=60,
    )
    assert response.status_code == 200
    path = tmp_path / "carriers.html"
    path.write_text(response.text, encoding="utf-8")
    page.goto(path.as_uri())
    expect(page.locator("html")).to_have_attribute("data-state", "rendered", timeout=30_000)
    expect(page.locator(".recharts-bar-rectangle")).to_have_count(4)
    expect(page.locator("h1")).to_have_text("Number of flights by carrier")
