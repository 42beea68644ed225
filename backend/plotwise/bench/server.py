"""Real uvicorn servers on 127.0.0.1 in a background thread (bench, tests)."""

from __future__ import annotations

import asyncio
import http.client
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import uvicorn
from fastapi import FastAPI
from pydantic_ai.models import Model

from plotwise.server import build_servers, run_servers, stop_servers
from plotwise.settings import Settings


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_connection(url: str, timeout_s: float = 120.0) -> http.client.HTTPConnection:
    """A standard-library keep-alive connection to the server at base URL ``url``.

    The bench times its requests with it: httpx spends ~11 ms of Python reading a 9.5 MB body,
    which would be the bench's own cost, not the server's.
    """
    address = urlsplit(url)
    return http.client.HTTPConnection(address.hostname or "127.0.0.1", address.port, timeout_s)


@contextmanager
def live_server(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` alone until the block ends; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=2
    )
    with _running((uvicorn.Server(config),)):
        yield f"http://127.0.0.1:{port}"


@contextmanager
def live_plotwise(settings: Settings, *, model: Model | None = None) -> Iterator[str]:
    """Serve Plotwise as ``plotwise serve`` does: the app and the sandbox on two free ports.

    Args:
        settings: Configuration; its host and ports are replaced by 127.0.0.1 and free ports.
        model: A model to use instead of ``settings.model``.

    Yields:
        The app's base URL; ``GET /api/config`` names the sandbox's.

    """
    with live_plotwise_app(settings, model=model) as (url, _app):
        yield url


@contextmanager
def live_plotwise_app(
    settings: Settings, *, model: Model | None = None
) -> Iterator[tuple[str, FastAPI]]:
    """`live_plotwise`, also yielding the app itself (its ``state.services``) beside its URL."""
    ports = {"host": "127.0.0.1", "port": free_port(), "sandbox_port": free_port()}
    while ports["sandbox_port"] == ports["port"]:
        ports["sandbox_port"] = free_port()
    servers = build_servers(settings.model_copy(update=ports), model=model, log_level="warning")
    url = f"http://127.0.0.1:{ports['port']}"
    with _running(servers):
        wait_ready(url)
        yield url, servers[0].config.app


READY_TIMEOUT_S = 60.0
"""How long `wait_ready` waits for ``GET /ready`` to answer 200, in seconds."""


def wait_ready(url: str, timeout_s: float = READY_TIMEOUT_S) -> None:
    """Wait until the server at ``url`` answers ``GET /ready`` with 200, as an orchestrator does.

    Until then its query workers are still starting (importing, opening their engines); a
    browser test or a timing taken meanwhile would share the CPU with that start-up.

    Raises:
        RuntimeError: Not ready within ``timeout_s`` seconds; names the last answer.

    """
    deadline = time.monotonic() + timeout_s
    connection = http_connection(url, timeout_s=10)
    try:
        while True:
            connection.request("GET", "/ready")
            answer = connection.getresponse()
            body = answer.read().decode(errors="replace")
            if answer.status == 200:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} was not ready within {timeout_s:g} s: {body}")
            time.sleep(0.05)
    finally:
        connection.close()


@contextmanager
def _running(servers: tuple[uvicorn.Server, ...]) -> Iterator[None]:
    def serve() -> None:
        # The loop `plotwise serve` uses (uvloop when installed).
        with asyncio.Runner(loop_factory=servers[0].config.get_loop_factory()) as runner:
            runner.run(run_servers(servers))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not all(server.started for server in servers):
        if not thread.is_alive() or time.monotonic() > deadline:
            stop_servers(servers)
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield
    finally:
        stop_servers(servers)
        thread.join(timeout=10)
