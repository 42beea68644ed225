"""Counts and times every HTTP request of the app, by route template (`Metrics.http_request`).

A pure ASGI middleware, not Starlette's ``BaseHTTPMiddleware``: it must not buffer or delay a
streamed answer (a chat turn's Server-Sent Events), and it times a request to the end of its body.
"""

from __future__ import annotations

import time

from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

UNMATCHED = "unmatched"
"""The ``route`` label of a request no route answered (a 404 on an unknown path): raw paths
would make the label set unbounded."""


class HttpMetrics:
    """Records each HTTP request in the app's `Metrics` (``scope["app"].state.services``).

    Args:
        app: The ASGI app to wrap.

    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; record its method, route template, status and duration."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets if the app fails before it starts an answer

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            services = getattr(scope["app"].state, "services", None)
            if services is not None:
                services.metrics.http_request(
                    scope["method"], route_label(scope), status, time.perf_counter() - started
                )


def route_label(scope: Scope) -> str:
    """The template of the route that answered (``/api/templates/{template_id}``).

    A static mount is named by its prefix and ``/{path}``; a request no route matched is
    `UNMATCHED`.
    """
    route = scope.get("route")
    if isinstance(route, Route):
        return route.path
    if isinstance(route, Mount):
        return f"{route.path}/{{path}}"
    return UNMATCHED
