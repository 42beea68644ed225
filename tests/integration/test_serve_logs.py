"""``plotwise serve`` in a real subprocess: its logs are JSON lines, uvicorn's included."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import httpx

from plotwise.settings import Settings
from support.live_server import free_port

START_TIMEOUT_S = 180
"""A first start over a fresh data directory converts the bundled datasets."""


def test_serve_logs_every_record_as_one_json_object(settings: Settings, tmp_path):
    port, sandbox_port = free_port(), free_port()
    env = {
        **os.environ,
        "PLOTWISE_DATA_DIR": str(settings.resolved_data_dir()),
        "PLOTWISE_MODEL": "local",
        "PLOTWISE_LOG_FORMAT": "json",
        "PLOTWISE_LOG_LEVEL": "info",
    }
    command = [sys.executable, "-m", "plotwise.cli", "serve", "--port", str(port)]
    command += ["--sandbox-port", str(sandbox_port)]
    stderr_path = tmp_path / "stderr.log"
    with stderr_path.open("w") as stderr:
        server = subprocess.Popen(command, env=env, stderr=stderr, stdout=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while True:
                assert server.poll() is None, stderr_path.read_text()
                assert time.monotonic() < deadline, "plotwise serve did not start"
                # Ready once its query workers opened their engines, a little after it listens.
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/ready").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.2)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)

    lines = stderr_path.read_text().splitlines()
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all({"time", "level", "logger", "message"} <= set(entry) for entry in entries)
    messages = {(entry["logger"], entry["message"]) for entry in entries}
    assert ("uvicorn.error", "Application startup complete.") in messages
    access = [e["message"] for e in entries if e["logger"] == "uvicorn.access"]
    assert any("GET /ready" in message and "200" in message for message in access)
