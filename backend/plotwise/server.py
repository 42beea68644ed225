"""One process, two origins: the app and the sandbox served by two uvicorn servers on one loop."""

from __future__ import annotations

import asyncio
import signal
import socket
from collections.abc import Generator
from contextlib import contextmanager

import uvicorn
from pydantic_ai.models import Model

from plotwise.app import SHUTDOWN_GRACE_S, create_app, create_sandbox_app
from plotwise.logs import configure_logging
from plotwise.settings import Settings
from plotwise.turns.registry import TurnRegistry


class _Server(uvicorn.Server):
    """A uvicorn server that leaves signals to `serve_app_and_sandbox` (two servers share them)."""

    @contextmanager
    def capture_signals(self) -> Generator[None]:
        yield

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """Give open chat streams their final event while their connections are still open.

        uvicorn waits for open connections only ``timeout_graceful_shutdown`` seconds and runs
        the app's lifespan shutdown after closing them, too late for a last event.
        """
        turns = getattr(getattr(self.config.app, "state", None), "turns", None)
        if isinstance(turns, TurnRegistry):
            await turns.shutdown(SHUTDOWN_GRACE_S)
        await super().shutdown(sockets)


def build_servers(
    settings: Settings,
    *,
    model: Model | None = None,
    log_level: str = "info",
    own_logging: bool = False,
) -> tuple[uvicorn.Server, uvicorn.Server]:
    """Create (not start) the app server and the sandbox server, both on ``settings.host``.

    The app listens on ``settings.port``, the sandbox on ``settings.sandbox_port``.

    Args:
        settings: Configuration of both.
        model: A model to use instead of ``settings.model`` (tests).
        log_level: uvicorn's log level.
        own_logging: Leave logging as `plotwise.logs.configure_logging` set it (uvicorn's
            records go to the root logger) instead of uvicorn's own handlers.

    Returns:
        ``(app_server, sandbox_server)``.

    """

    def config(app: object, port: int) -> uvicorn.Config:
        return uvicorn.Config(
            app,
            host=settings.host,
            port=port,
            log_level=log_level,
            # None: uvicorn leaves the handlers alone (the default installs its own).
            log_config=None if own_logging else uvicorn.config.LOGGING_CONFIG,
            timeout_graceful_shutdown=SHUTDOWN_GRACE_S + 1,
        )

    return (
        _Server(config(create_app(settings, model=model), settings.port)),
        _Server(config(create_sandbox_app(settings), settings.sandbox_port)),
    )


async def run_servers(servers: tuple[uvicorn.Server, ...]) -> None:
    """Serve until one server stops (failed start, or ``should_exit``), then stop the others."""
    tasks = [asyncio.create_task(server.serve()) for server in servers]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stop_servers(servers)
        await asyncio.gather(*tasks, return_exceptions=True)


def serve_app_and_sandbox(settings: Settings) -> int:
    """Run both servers in this process until SIGINT or SIGTERM (``plotwise serve``).

    Logs go to stderr as ``settings.log_format`` says, from ``settings.log_level`` up.

    Returns:
        0 after a clean stop; 1 when a server could not start (e.g. its port is taken).

    """
    configure_logging(settings.log_format, settings.log_level)
    servers = build_servers(settings, log_level=settings.log_level.lower(), own_logging=True)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop_servers, servers)
        await run_servers(servers)

    # uvicorn's "auto" loop: uvloop when installed (it is, with uvicorn[standard]).
    with asyncio.Runner(loop_factory=servers[0].config.get_loop_factory()) as runner:
        runner.run(main())
    return 0 if all(server.started for server in servers) else 1


def stop_servers(servers: tuple[uvicorn.Server, ...]) -> None:
    """Ask every server to finish its requests and stop (uvicorn's ``should_exit``)."""
    for server in servers:
        server.should_exit = True
