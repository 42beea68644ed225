"""Processes for durability tests, started from a forkserver that has imported Plotwise once.

Forking from a clean, preloaded server keeps each kill-and-restart cycle fast and free of the
test process's threads.
"""

from __future__ import annotations

import multiprocessing
import socket
import time
from multiprocessing.context import ForkServerContext

import httpx


def context() -> ForkServerContext:
    """A forkserver context whose server has imported the app, uvicorn and the store."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["plotwise.app", "uvicorn", "plotwise.store.templates"])
    return ctx


def serve(settings_json: str, port: int) -> None:
    """Child process: run the real Plotwise server on 127.0.0.1:``port``."""
    import uvicorn

    from plotwise.app import create_app
    from plotwise.settings import Settings

    app = create_app(Settings.model_validate_json(settings_json))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="error")


def create_many(url: str, prefix: str, count: int, content_json: str) -> None:
    """Child process: create ``count`` templates straight through the store's write path."""
    from plotwise.store.database import Database
    from plotwise.store.models import TemplateContent
    from plotwise.store.templates import create_template

    db = Database.open(url, migrate=False)
    content = TemplateContent.model_validate_json(content_json)
    for i in range(count):
        create_template(db, content.model_copy(update={"name": f"{prefix}-{i}"}))
    db.close()


def wait_until_up(
    base_url: str, process: multiprocessing.process.BaseProcess, timeout: float = 60
) -> None:
    """Poll ``/api/health`` until the server answers, or fail if it died or took too long."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process.is_alive():
            raise RuntimeError(f"the server process exited with {process.exitcode}")
        try:
            if httpx.get(f"{base_url}/api/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.02)
    raise RuntimeError("the server did not start in time")


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0
