"""The browser attack suite inside the real sandbox frame, with the component validator bypassed.

Each vector of `support.attacks` runs in the artifact iframe of a running Plotwise (evaluated
there through DevTools, so neither validator sees it): only the browser layers stand in its way
(separate opaque origin, iframe sandbox flags, the sandbox CSP, the removed globals, the app's
frame-src). A TCP and UDP leak server on 127.0.0.1 records whatever arrives; the control run
(test_attack_control_e2e.py) proves the same vectors reach it from an ordinary page.

Chromium opens a TCP connection to the target of every navigation it is asked to start, before
CSP is applied (content's NavigationRequest preconnect, governed by the browser's "Preload
pages" setting, on by default). So in a default profile the navigation vectors may produce a
bare connection with no byte sent; with preloading off (the ``NetworkPredictionOptions``
policy) nothing arrives at all. Both configurations are tested; docs/threat-model.md has more.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Frame,
    Page,
    expect,
)

from plotwise.bench.browser import CHROMIUM_ARGS
from support.attacks import LOCAL, NETWORK, Vector, by_name, run_vector
from support.chat_page import ask, sandbox_frame
from support.leak import Hit, LeakServer

pytestmark = pytest.mark.browser

QUESTION = "Number of flights by carrier"
SETTLE_S = 0.75
"""How long to listen after a vector returned (the control run sees hits within 0.1 s)."""

PRECONNECT = {"self-navigation", "anchor-click", "meta-refresh", "iframe-src"}
"""Vectors whose blocked navigation Chromium may still preconnect to (no byte is sent)."""

NO_PRELOADING = {"net": {"network_prediction_options": 2}}
"""Profile preference of "Preload pages: off" (the NetworkPredictionOptions policy's value 2)."""


@pytest.fixture(scope="module")
def leak() -> Iterator[LeakServer]:
    with LeakServer() as server:
        yield server


def open_sandbox(context: BrowserContext, app_url: str) -> tuple[Page, Frame]:
    """A fresh app page in ``context`` showing a chart, and its sandbox frame."""
    page = context.new_page()
    ask(page, app_url, QUESTION)
    return page, sandbox_frame(page)


def attack(context: BrowserContext, app_url: str, vector: Vector, leak: LeakServer) -> tuple:
    """Run ``vector`` alone in a fresh sandbox frame.

    Returns:
        (the vector's report, the hits recorded while it ran, the app page).

    """
    page, frame = open_sandbox(context, app_url)
    leak.clear()
    report = run_vector(frame, vector, leak)
    return report, leak.settle(SETTLE_S), page


def attack_together(
    context: BrowserContext, app_url: str, vectors: list[Vector], leak: LeakServer
) -> tuple[list[dict], list[Hit]]:
    """Run ``vectors`` at once in one fresh sandbox frame (each names itself in its path).

    Returns:
        (their reports in order, every hit recorded while they ran).

    """
    _, frame = open_sandbox(context, app_url)
    leak.clear()
    attacks = ",\n".join(vector.js for vector in vectors)
    script = f"async (leak) => Promise.all([{attacks}].map((attack) => attack(leak)))"
    reports = frame.evaluate(script, leak.info)
    return reports, leak.settle(SETTLE_S)


def run_in_batches(
    new_context: Callable[[], BrowserContext], app_url: str, leak: LeakServer
) -> dict[str, tuple[list[Hit], str]]:
    """Run every network vector in fresh contexts; return (hits, report) of those that had hits.

    Vectors whose evidence names them (a request path) and that stay on the page run together
    in one frame; the rest (navigations, STUN, bare connections) run one per frame, so that
    whatever arrives is theirs.
    """
    alone = [v for v in NETWORK if v.navigates or v.evidence != "path" or v.name in PRECONNECT]
    together = [v for v in NETWORK if v not in alone]
    found: dict[str, tuple[list[Hit], str]] = {}
    context = new_context()
    try:
        reports, hits = attack_together(context, app_url, together, leak)
    finally:
        context.close()
    if hits:
        found["(together) " + ", ".join(v.name for v in together)] = (hits, json.dumps(reports))
    for vector in alone:
        context = new_context()
        try:
            report, hits, _ = attack(context, app_url, vector, leak)
        finally:
            context.close()
        if hits:
            found[vector.name] = (hits, json.dumps(report))
    return found


def describe(found: dict[str, tuple[list[Hit], str]]) -> dict[str, list[str]]:
    return {name: [*map(str, hits), report[:300]] for name, (hits, report) in found.items()}


def test_no_request_or_datagram_leaves_the_sandbox(browser: Browser, app_url, leak):
    # The e2e browser runs with Chromium's default profile settings, as an analyst's does.
    found = run_in_batches(browser.new_context, app_url, leak)
    leaks = {
        name: (hits, report)
        for name, (hits, report) in found.items()
        if name not in PRECONNECT or any(hit.what != "connect" for hit in hits)
    }
    assert not leaks, f"reached the leak server from the sandbox: {describe(leaks)}"


def test_nothing_at_all_arrives_with_preloading_off(browser: Browser, app_url, leak, tmp_path):
    executable = shutil.which("chromium")
    assert executable is not None
    profiles = iter(range(1000))

    def new_context() -> BrowserContext:
        # A fresh profile each time: what one vector leaves behind cannot help the next.
        profile = tmp_path / f"profile-{next(profiles)}"
        (profile / "Default").mkdir(parents=True)
        (profile / "Default" / "Preferences").write_text(json.dumps(NO_PRELOADING))
        return browser.browser_type.launch_persistent_context(
            Path(profile), executable_path=executable, args=CHROMIUM_ARGS
        )

    arrivals = run_in_batches(new_context, app_url, leak)
    assert not arrivals, f"packets reached the leak server: {describe(arrivals)}"


LOCAL_STATE = [vector for vector in LOCAL if vector.name != "post-message-parent"]


@pytest.mark.parametrize("vector", LOCAL_STATE, ids=lambda vector: vector.name)
def test_local_state_and_the_parent_are_out_of_reach(browser: Browser, app_url, leak, vector):
    context = browser.new_context()
    try:
        report, hits, _ = attack(context, app_url, vector, leak)
    finally:
        context.close()
    assert report["ok"] is False, report
    assert "SecurityError" in report["error"], report
    assert hits == []


def settled_height(page: Page) -> str:
    """The frame's height once the sandbox's own resizes are over (unchanged for 300 ms).

    The frame follows its content's height over the port (a chart draws after React's first
    commit), so a spoof test compares against the height the content settled at.
    """
    return page.evaluate(
        """() => new Promise((resolve) => {
          const frame = document.querySelector('[data-testid="artifact-frame"]');
          let last = frame.style.height, since = performance.now();
          const started = since;
          const tick = () => {
            const now = performance.now();
            if (frame.style.height !== last) { last = frame.style.height; since = now; }
            if (now - since >= 300 || now - started > 5000) resolve(last);
            else setTimeout(tick, 16);
          };
          setTimeout(tick, 16);
        })"""
    )


def test_spoofed_messages_towards_the_app_are_ignored(browser: Browser, app_url, leak):
    context = browser.new_context()
    try:
        page = context.new_page()
        host = ask(page, app_url, QUESTION)
        frame_element = page.get_by_test_id("artifact-frame")
        height = settled_height(page)
        seq = host.get_attribute("data-render-seq")
        report = run_vector(sandbox_frame(page), by_name("post-message-parent"), leak)
        page.wait_for_timeout(500)
        marker = report["value"]["marker"]
        expect(page.get_by_text(marker)).to_have_count(0)
        expect(host).to_have_attribute("data-state", "rendered")
        assert host.get_attribute("data-render-seq") == seq
        assert frame_element.evaluate("f => f.style.height") == height
        assert report["ok"] is False
    finally:
        context.close()
