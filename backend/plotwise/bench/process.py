"""``plotwise serve`` in a child process, so its memory can be measured alone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx

import plotwise
from plotwise.bench.server import free_port
from plotwise.errors import BenchError

START_TIMEOUT_S = 120.0
"""Longest wait for the server to answer ``/ready`` (a first start converts data)."""


@dataclass(frozen=True)
class ServerProcess:
    """A running ``plotwise serve``: its app URL and process id."""

    url: str
    pid: int


@contextmanager
def plotwise_process(env: dict[str, str] | None = None) -> Iterator[ServerProcess]:
    """Run ``python -m plotwise.cli serve`` on free ports until the block ends.

    The child reads its settings from this process's environment (``PLOTWISE_*``) updated with
    ``env``; its output goes to a temporary log file, whose end is quoted if it fails to start.

    Args:
        env: Extra environment variables, e.g. ``{"PLOTWISE_MAX_ROWS": "50000"}``.

    Yields:
        The server's URL and pid, once ``GET /ready`` answers 200: its query workers have
        opened their engines, so their start-up is not part of what is measured.

    Raises:
        BenchError: The server exited or did not answer within `START_TIMEOUT_S`.

    """
    port, sandbox_port = free_port(), free_port()
    while sandbox_port == port:
        sandbox_port = free_port()
    package_root = str(Path(plotwise.__file__).resolve().parent.parent)
    child_env = {**os.environ, **(env or {})}
    child_env["PYTHONPATH"] = os.pathsep.join(
        p for p in (package_root, child_env.get("PYTHONPATH")) if p
    )
    command = [
        sys.executable,
        "-m",
        "plotwise.cli",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--sandbox-port",
        str(sandbox_port),
    ]
    url = f"http://127.0.0.1:{port}"
    with child_server(command, url, "/ready", "plotwise serve", env=child_env) as pid:
        yield ServerProcess(url=url, pid=pid)


@contextmanager
def child_server(
    command: list[str],
    url: str,
    health_path: str,
    name: str,
    *,
    env: dict[str, str] | None = None,
    start_timeout_s: float = START_TIMEOUT_S,
) -> Iterator[int]:
    """Run an HTTP server as a child process until the block ends (SIGTERM, then SIGKILL).

    Its output goes to a temporary log file, whose end is quoted if it fails to start.

    Args:
        command: The server's command line.
        url: Its base URL once up.
        health_path: A path that answers 200 once it serves.
        name: What to call it in errors.
        env: Its environment (this process's when None).
        start_timeout_s: Longest wait for ``health_path`` to answer, in seconds.

    Yields:
        The child's process id, once ``health_path`` answers 200.

    Raises:
        BenchError: The child exited or did not answer within ``start_timeout_s``.

    """
    with tempfile.TemporaryFile() as log:
        child = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        try:
            _wait_until_up(child, url + health_path, log, name, start_timeout_s)
            yield child.pid
        finally:
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def _wait_until_up(
    child: subprocess.Popen[bytes], health: str, log: IO[bytes], name: str, timeout_s: float
) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if child.poll() is not None:
            break
        try:
            if httpx.get(health, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    log.seek(0)
    tail = log.read()[-2000:].decode(errors="replace")
    raise BenchError(f"{name} did not start (exit {child.poll()}): {tail}")
