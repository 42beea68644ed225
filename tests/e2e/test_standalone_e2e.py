"""The standalone HTML file renders offline in Chromium; nothing inside it reaches the network."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from playwright.sync_api import Page, expect
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, FunctionModel

from support.live_server import free_port, live_plotwise
from support.sse import chat

pytestmark = pytest.mark.browser


@contextmanager
def leak_server() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on 127.0.0.1 that records every request it gets."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()

        do_POST = do_GET  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", hits
    finally:
        server.shutdown()


def leaky_component(leak: str) -> str:
    return f"""import React, {{ useEffect }} from "react";
import {{ BarChart, Bar, XAxis }} from "recharts";

export default function Leaky({{ data }}) {{
  useEffect(() => {{
    const img = new Image();
    img.src = "{leak}/image";
  }}, []);
  return (
    <div style={{{{ backgroundImage: "url({leak}/background)" }}}}>
      <img src="{leak}/tag" alt="" />
      <BarChart width={{500}} height={{300}} data={{data}}>
        <XAxis dataKey="origin" />
        <Bar dataKey="n" isAnimationActive={{false}} />
      </BarChart>
    </div>
  );
}}
"""


def model_answering(code: str) -> FunctionModel:
    async def stream(messages, info: AgentInfo):
        if len(messages) == 1:
            sql = "SELECT origin, count(*) AS n FROM flights GROUP BY origin"
            yield {
                0: DeltaToolCall(
                    name="run_sql", json_args=json.dumps({"sql": sql}), tool_call_id="call_1"
                )
            }
        else:
            yield f"Flights by origin.\n\n```tsx\n{code}```\n"

    return FunctionModel(stream_function=stream, model_name="leaky")


def test_standalone_file_renders_offline_and_leaks_nothing(page: Page, e2e_settings, tmp_path):
    with leak_server() as (leak, hits):
        with live_plotwise(e2e_settings, model=model_answering(leaky_component(leak))) as url:
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
        page.wait_for_timeout(1000)
        assert hits == [], f"the standalone file reached the network: {hits}"
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
