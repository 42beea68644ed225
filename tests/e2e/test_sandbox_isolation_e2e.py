"""The sandbox in a real browser: its own origin, no storage, and a channel no one else can use."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from support.chat_page import RENDER_TIMEOUT_MS, ask, frame, sandbox_frame

pytestmark = pytest.mark.browser

# Each probe returns {"value": ...} or {"error": <exception name>}, never throws.
PROBES = """() => {
  const attempt = (f) => {
    try { return { value: String(f()) }; } catch (e) { return { error: e.name }; }
  };
  return {
    origin: self.origin,
    domain: attempt(() => document.domain),
    setDomain: attempt(() => { document.domain = location.hostname; return document.domain; }),
    cookie: attempt(() => document.cookie),
    setCookie: attempt(() => { document.cookie = "stolen=1"; return document.cookie; }),
    localStorage: attempt(() => localStorage.getItem("plotwise")),
    sessionStorage: attempt(() => sessionStorage.getItem("plotwise")),
    indexedDB: attempt(() => indexedDB.open("plotwise")),
    parentDocument: attempt(() => parent.document.title),
    parentStorage: attempt(() => parent.localStorage.length),
    topLocation: attempt(() => top.location.href),
    globals: ["fetch", "XMLHttpRequest", "WebSocket", "EventSource", "RTCPeerConnection",
              "webkitRTCPeerConnection", "RTCDataChannel"].filter((name) => self[name]),
  };
}"""


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def test_sandbox_has_its_own_origin_and_no_storage(page: Page, app_url: str):
    ask(page, app_url, "Number of flights by carrier")
    sandbox = sandbox_frame(page)
    assert origin(sandbox.url) != origin(app_url)
    facts = sandbox.evaluate(PROBES)
    # The document's own origin is opaque: sandbox="allow-scripts" without allow-same-origin.
    assert facts["origin"] == "null"
    assert facts["domain"] == {"value": ""}
    for probe in ("setDomain", "cookie", "setCookie", "localStorage", "sessionStorage"):
        assert facts[probe] == {"error": "SecurityError"}, probe
    assert facts["indexedDB"] == {"error": "SecurityError"}
    for probe in ("parentDocument", "parentStorage", "topLocation"):
        assert facts[probe] == {"error": "SecurityError"}, probe
    assert facts["globals"] == []


def test_messages_outside_the_channel_are_ignored_both_ways(page: Page, app_url: str):
    host = ask(page, app_url, "Number of flights by carrier")
    bars = frame(page).locator(".recharts-bar-rectangle")
    expect(bars).to_have_count(16)
    height = page.get_by_test_id("artifact-frame").last.evaluate("f => f.style.height")
    seq = host.get_attribute("data-render-seq")

    # Spoofing towards the parent: the window channel is not listened to after the handshake.
    sandbox_frame(page).evaluate(
        """() => {
          parent.postMessage({ type: "error", phase: "render", message: "spoofed" }, "*");
          parent.postMessage({ type: "height", height: 1900 }, "*");
          parent.postMessage({ type: "rendered", ms: 1 }, "*");
        }"""
    )
    # Another window asking the sandbox to render, directly and with a second handshake.
    page.evaluate(
        """() => {
          const target = document.querySelector('[data-testid="artifact-frame"]').contentWindow;
          const code = "export default function X() { return <p id='injected'>x</p>; }";
          target.postMessage({ type: "render", code, data: [], params: {} }, "*");
          const channel = new MessageChannel();
          target.postMessage({ type: "connect", protocol: 2 }, "*", [channel.port2]);
          channel.port1.postMessage({ type: "render", code, data: [], params: {} });
        }"""
    )
    page.wait_for_timeout(500)
    expect(host).to_have_attribute("data-state", "rendered")
    expect(page.get_by_text("spoofed")).to_have_count(0)
    assert host.get_attribute("data-render-seq") == seq
    assert page.get_by_test_id("artifact-frame").last.evaluate("f => f.style.height") == height
    expect(frame(page).locator("#injected")).to_have_count(0)
    expect(bars).to_have_count(16)


def test_a_sandbox_that_navigates_itself_is_recreated(page: Page, app_url: str):
    host = ask(page, app_url, "Number of flights by carrier")
    expect(host).to_have_attribute("data-frame", "0:ready")
    sandbox = sandbox_frame(page)
    # Same origin as the sandbox, so the parent's frame-src lets it load: a second `load` event.
    sandbox.evaluate("() => { setTimeout(() => { location.href += '?again'; }, 0); }")
    expect(host).to_have_attribute("data-frame", "1:ready", timeout=RENDER_TIMEOUT_MS)
    expect(page.get_by_test_id("artifact-error")).to_contain_text("navigate away")
    # Retry renders the component again in the fresh frame.
    page.get_by_test_id("artifact-retry").click()
    expect(host).to_have_attribute("data-state", "rendered", timeout=RENDER_TIMEOUT_MS)
    expect(frame(page).locator(".recharts-bar-rectangle")).to_have_count(16)
