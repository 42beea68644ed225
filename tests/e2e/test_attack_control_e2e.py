"""Control run of the browser attack suite: no sandbox, no CSP, so the vectors must get through.

The sandbox run (the same vectors evaluated inside the artifact frame) proves nothing by
recording zero hits unless the same vectors do reach the leak server from an ordinary page in
the same Chromium. Each vector gets a fresh page on a plain HTML origin of its own (another port
than the leak server, so every request is cross-origin, as it would be from the sandbox).
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Browser

from support.attacks import LOCAL, NETWORK, VECTORS, Vector, run_vector
from support.leak import Hit, LeakServer

pytestmark = pytest.mark.browser

BLANK = (
    b'<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">'
    b"<title>control</title></head><body></body></html>"
)
EVIDENCE_TIMEOUT_S = 3.0
"""Longest wait for a vector's hit after its function returned (most arrive in < 0.1 s)."""


@contextmanager
def blank_page_server() -> Iterator[str]:
    """Serves BLANK on 127.0.0.1 without any security header; yields its URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(BLANK)))
            self.end_headers()
            self.wfile.write(BLANK)

        def log_message(self, *args: object) -> None:
            pass

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: object, client_address: object) -> None:
            # Navigating vectors close pages mid-response: broken pipes are expected.
            pass

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def leak() -> Iterator[LeakServer]:
    with LeakServer() as server:
        yield server


@pytest.fixture(scope="module")
def control_url() -> Iterator[str]:
    with blank_page_server() as url:
        yield url


class Control:
    """Runs vectors on ordinary pages: a fresh browser context per vector."""

    def __init__(self, browser: Browser, url: str, leak: LeakServer) -> None:
        self.browser = browser
        self.url = url
        self.leak = leak
        self.errors: list[str] = []

    def attack(self, vector: Vector) -> tuple[dict, list[Hit]]:
        """Runs ``vector`` on a fresh control page; returns its report and evidence hits."""
        # A whole context per vector: popups and navigations it leaves behind go with it.
        context = self.browser.new_context()
        context.on("weberror", lambda error: self.errors.append(f"{vector.name}: {error.error}"))
        try:
            page = context.new_page()
            page.goto(self.url)
            self.leak.clear()
            report = run_vector(page, vector, self.leak)
            evidence = []
            if vector.kind == "network":
                evidence = self.leak.wait_for(
                    lambda hit: bool(vector.evidence_in([hit])),
                    timeout=EVIDENCE_TIMEOUT_S if vector.control else 0.5,
                )
        finally:
            context.close()
        return report, evidence


@pytest.fixture
def control(browser: Browser, control_url: str, leak: LeakServer) -> Iterator[Control]:
    runner = Control(browser, control_url, leak)
    yield runner
    assert not runner.errors, f"vectors threw outside their own try/catch: {runner.errors}"


def test_vector_catalogue_covers_the_issue():
    names = [vector.name for vector in VECTORS]
    assert len(names) == len(set(names)), "names must be unique: hits are attributed by name"
    assert len(VECTORS) >= 27
    assert sum(vector.control for vector in NETWORK) >= 22
    assert all(vector.reason for vector in VECTORS if not vector.control)
    assert {"rtc-stun", "webkit-rtc-stun", "self-navigation", "post-message-parent"} <= set(names)


def test_network_vectors_reach_the_leak_server_from_an_ordinary_page(control: Control):
    missing: dict[str, object] = {}
    for vector in (vector for vector in NETWORK if vector.control):
        report, evidence = control.attack(vector)
        if not evidence:
            missing[vector.name] = report
        elif vector.evidence == "udp":
            # STUN binding requests from the ICE agent: proof the UDP listener hears WebRTC.
            assert all(hit.is_stun for hit in evidence), [str(hit) for hit in evidence]
    assert not missing, f"vectors that did not reach the leak server unsandboxed: {missing}"


def test_vectors_without_control_proof_really_do_not_reach_it(control: Control):
    # Keeps `control=False` honest: if Chromium starts letting one through, flip it to True.
    for vector in (vector for vector in NETWORK if not vector.control):
        report, evidence = control.attack(vector)
        assert evidence == [], f"{vector.name} reached the server: set control=True ({report})"


def test_local_vectors_succeed_on_an_ordinary_page(control: Control, leak: LeakServer):
    failed = {}
    for vector in LOCAL:
        report, _ = control.attack(vector)
        if report.get("ok") is not True:
            failed[vector.name] = report
    assert not failed, f"local vectors that failed on a normal origin: {failed}"
    assert leak.hits() == []
