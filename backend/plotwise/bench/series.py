"""postMessage-to-rendered time of big line series in the sandbox, through Chromium.

A page on the app's origin opens the sandbox frame itself, connects to it as the chat UI does
(``connect`` with a MessageChannel port), and times each ``render`` message from
``postMessage`` to the sandbox's ``rendered`` answer (a React commit of the chart). The rows are
what the artifact data endpoint answers for a series of 1,000, 10,000 and 50,000 flights (every
departure's delay, in time order), so a server that downsamples long series (issue 11) is
measured with its downsampling; the figure says whether the answer was downsampled. The
component is the local analyst's own line chart.
"""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING, Any

import httpx

from plotwise.bench.artifacts import register_artifact
from plotwise.bench.browser import CHROMIUM_ARGS, require_chromium
from plotwise.bench.server import live_plotwise_app
from plotwise.errors import BenchError
from plotwise.local.components import ChartSpec, render_component
from plotwise.settings import Settings
from plotwise.sql.result import ColumnSchema

if TYPE_CHECKING:
    from playwright.sync_api import Frame, Page

SIZES = (1_000, 10_000, 50_000)
"""Series lengths in points (rows of the query)."""

RENDER_TIMEOUT_MS = 120_000
"""Longest wait for one render before the figure fails."""

SETTLE_MS = 300
"""Pause in the frame between clearing the chart and the timed render."""

FRAME_WAIT_MS = 2_000
"""Longest wait for one animation frame in the sandbox before the render counts as unpainted."""

ATTEMPTS = 3
"""Renders tried per sample before an unpainted frame fails the figure."""

FRAME_NAME = "plotwise-bench-sandbox"
"""The ``name`` of the bench's own sandbox frame. The app page also holds a sandbox frame, its
warm frame parked off-screen (where Chromium gives it no animation frames), so the bench must
not pick a frame by its URL."""

_SQL = (
    "SELECT make_timestamp(year, month, day, hour, minute, 0.0) AS departure, dep_delay "
    "FROM flights WHERE dep_delay IS NOT NULL ORDER BY departure, carrier, flight LIMIT {rows}"
)

# Runs in the app page: open the sandbox frame and connect to it (see frontend useSandbox.ts).
_CONNECT = """async ([sandboxUrl, frameName]) => {
  const frame = document.createElement("iframe");
  frame.name = frameName;
  frame.setAttribute("sandbox", "allow-scripts");
  // On screen: Chromium throttles animation frames in hidden cross-origin frames.
  frame.style.cssText =
    "position: fixed; top: 0; left: 0; z-index: 9; width: 900px; height: 500px; background: #fff";
  const loaded = new Promise((resolve) => frame.addEventListener("load", resolve, { once: true }));
  frame.src = sandboxUrl;
  document.body.appendChild(frame);
  await loaded;
  const channel = new MessageChannel();
  const bench = { port: channel.port1, rows: {}, waiting: null };
  window.__bench = bench;
  const ready = new Promise((resolve) => { bench.waiting = resolve; });
  channel.port1.onmessage = (event) => {
    const message = event.data;
    if (message.type === "height") return;
    if (bench.waiting) bench.waiting({ message, at: performance.now() });
  };
  frame.contentWindow.postMessage({ type: "connect", protocol: 2 }, "*", [channel.port2]);
  const answer = await ready;
  return answer.message.type;
}"""

_LOAD = """async ([key, url]) => {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ refresh: false }),
  });
  const body = await response.json();
  const names = body.columns.map((c) => c.name);
  const rows = body.rows.map((r) => Object.fromEntries(names.map((n, i) => [n, r[i]])));
  const { downsampled, original_row_count, downsample } = body;
  window.__bench.rows[key] = { rows, meta: { downsampled, original_row_count, downsample } };
  return rows.length;
}"""

_POST = """async ([key, code, timeoutMs]) => {
  const bench = window.__bench;
  const answered = new Promise((resolve, reject) => {
    bench.waiting = resolve;
    setTimeout(() => reject(new Error("no answer to render in " + timeoutMs + " ms")), timeoutMs);
  });
  const empty = { rows: [], meta: { downsampled: false, original_row_count: 0, downsample: null } };
  const { rows, meta } = key === null ? empty : bench.rows[key];
  const started = performance.timeOrigin + performance.now();
  bench.port.postMessage({ type: "render", code, data: rows, params: {}, meta });
  const { message } = await answered;
  if (message.type !== "rendered") throw new Error(JSON.stringify(message));
  return { started, sandboxMs: message.ms };
}"""

# Runs in the sandbox frame before a timed render: `window.__drawn` resolves to the epoch ms
# (the clock both frames share) of the first animation frame after the chart's line is in the
# DOM, or null when no frame came within the wait. The sandbox's own `rendered` message comes
# at React's first commit, before ResponsiveContainer has measured itself and drawn the chart,
# so it is not the end of the render. Every wait is bounded: a frame that gets no animation
# frames (an off-screen one: CI once timed the app's parked warm frame) must fail, not hang.
_ARM = """async ([settleMs, frameWaitMs, drawWaitMs]) => {
  const drawn = () => document.querySelector("path.recharts-line-curve[d]");
  const now = () => performance.timeOrigin + performance.now();
  const nextFrame = () => new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), frameWaitMs);
    requestAnimationFrame(() => { clearTimeout(timer); resolve(true); });
  });
  // Let the last chart's leftovers (its unmount, garbage collection) pass before timing.
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const settled = (await nextFrame()) && (await nextFrame());
  window.__drawn = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error("the line was not drawn in " + drawWaitMs + " ms"));
    }, drawWaitMs);
    const observer = new MutationObserver(() => {
      if (!drawn()) return;
      observer.disconnect();
      clearTimeout(timer);
      nextFrame().then((painted) => resolve(painted ? now() : null));
    });
    observer.observe(document.body, { childList: true, subtree: true, attributes: true });
  });
  return { settled, clear: drawn() === null };
}"""


def line_component() -> str:
    """The local analyst's line chart of ``dep_delay`` over ``departure`` (no dots)."""
    columns = [
        ColumnSchema(name="departure", type="TIMESTAMP"),
        ColumnSchema(name="dep_delay", type="DOUBLE"),
    ]
    spec = ChartSpec("line", x="departure", y="dep_delay", label="departure delay", rows=max(SIZES))
    return render_component(spec, columns)


def measure_series(settings: Settings, rounds: int) -> list[dict[str, Any]]:
    """Time renders of each series size; one row per size.

    Args:
        settings: Configuration; the row cap is raised to the largest size for this server.
        rounds: Timed renders per size, the sizes taking turns (after one warm-up render).

    Returns:
        Rows of ``points`` (asked for), ``rows_sent`` (posted to the frame, with the answer's
        ``meta``), ``downsampled`` and ``method`` (the data endpoint's flags),
        ``ms`` (median from postMessage to the line drawn), ``sandbox_ms`` (the sandbox's median
        from receiving the message to commit) and ``samples`` (every ``ms``).

    Raises:
        BenchError: Playwright or Chromium is missing, or a render failed.

    """
    sync_playwright, executable = require_chromium()
    code = line_component()
    bench_settings = settings.model_copy(update={"max_rows": max(SIZES)})
    with live_plotwise_app(bench_settings) as (url, app):
        paths = {}
        meta = {}
        for rows in SIZES:
            artifact_id = register_artifact(
                app, _SQL.format(rows=rows), prompt=f"bench: {rows} points", code=code
            )
            paths[rows] = f"/api/artifacts/{artifact_id}/data"
            body = (
                httpx.post(url + paths[rows], json={"refresh": True}, timeout=60)
                .raise_for_status()
                .json()
            )
            meta[rows] = {
                "rows_sent": len(body["rows"]),
                "downsampled": bool(body.get("downsampled")),
                "method": body.get("downsample"),
            }
        sandbox_url = httpx.get(f"{url}/api/config", timeout=10).json()["sandbox_url"]
        samples: dict[int, list[dict[str, float]]] = {rows: [] for rows in SIZES}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url)
            frame = open_bench_frame(page, sandbox_url)
            for rows in SIZES:
                page.evaluate(_LOAD, [rows, paths[rows]])
            for _ in range(rounds):
                for rows in SIZES:
                    samples[rows].append(_timed_render(page, frame, rows, code))
            browser.close()
    return [
        {
            "points": rows,
            **meta[rows],
            "ms": statistics.median(s["ms"] for s in samples[rows]),
            "sandbox_ms": statistics.median(s["sandbox_ms"] for s in samples[rows]),
            "samples": [s["ms"] for s in samples[rows]],
        }
        for rows in SIZES
    ]


def open_bench_frame(page: Page, sandbox_url: str) -> Frame:
    """Open the bench's own sandbox frame on screen in ``page`` and connect to it.

    Returns:
        The frame named `FRAME_NAME`, connected (it answered ``ready``).

    Raises:
        BenchError: The sandbox answered ``connect`` with anything but ``ready``, or the page
            lost the frame's name (the sandbox renamed its window).

    """
    answer = page.evaluate(_CONNECT, [sandbox_url, FRAME_NAME])
    if answer != "ready":
        raise BenchError(f"the sandbox answered {answer!r} to connect")
    frame = page.frame(name=FRAME_NAME)
    if frame is None:
        raise BenchError(f"the page has no frame named {FRAME_NAME!r}")
    return frame


def _timed_render(page: Page, frame: Frame, rows: int, code: str) -> dict[str, float]:
    """Time one render of the ``rows`` series, from ``postMessage`` to its line being painted.

    Each attempt clears the chart first. An attempt whose frame produced no animation frame in
    `FRAME_WAIT_MS` is retried, up to `ATTEMPTS` in all.

    Raises:
        BenchError: The chart kept a line without data, or no attempt was painted.

    """
    from playwright.sync_api import Error as PlaywrightError

    for _ in range(ATTEMPTS):
        page.evaluate(_POST, [None, code, RENDER_TIMEOUT_MS])
        armed = frame.evaluate(_ARM, [SETTLE_MS, FRAME_WAIT_MS, RENDER_TIMEOUT_MS])
        if not armed["clear"]:
            raise BenchError("the chart still shows a line after a render without data")
        if not armed["settled"]:
            continue  # no animation frame came: a timed render would hang on the chart's resize
        posted = page.evaluate(_POST, [rows, code, RENDER_TIMEOUT_MS])
        try:
            drawn = frame.evaluate("window.__drawn")
        except PlaywrightError as error:
            raise BenchError(f"rendering {rows} points failed: {error.message}") from error
        if drawn is not None:
            return {"ms": drawn - posted["started"], "sandbox_ms": posted["sandboxMs"] or 0.0}
    raise BenchError(
        f"the sandbox frame produced no animation frame within {FRAME_WAIT_MS} ms "
        f"in {ATTEMPTS} renders of {rows} points"
    )
