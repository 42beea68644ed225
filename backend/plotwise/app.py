"""The application factories: the app (API and chat UI) and the sandbox origin's own app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST
from pydantic_ai.models import Model
from starlette.applications import Starlette
from starlette.datastructures import URL
from starlette.middleware import Middleware
from starlette.routing import Match, Mount
from starlette.types import Scope

from plotwise import __version__
from plotwise.access import install_access
from plotwise.api.artifacts import router as artifacts_router
from plotwise.api.chat import router as chat_router
from plotwise.api.conversations import router as conversations_router
from plotwise.api.datasets import router as datasets_router
from plotwise.api.deps import ServicesDep
from plotwise.api.errors import install_error_handlers
from plotwise.api.health import router as health_router
from plotwise.api.jobs import router as jobs_router
from plotwise.api.sources import router as sources_router
from plotwise.api.standalone import router as standalone_router
from plotwise.api.templates import router as templates_router
from plotwise.api.turns import router as turns_router
from plotwise.http_metrics import HttpMetrics
from plotwise.limits import BodyLimit, ConcurrencyCap, LimitedRoute, RateLimiter, RateLimits
from plotwise.origins import COMMON_HEADERS, app_csp, app_origin, sandbox_csp, sandbox_origin
from plotwise.security_headers import SecurityHeaders
from plotwise.services import Services
from plotwise.settings import Settings
from plotwise.turns.registry import TurnRegistry

API_REFUSALS: dict[int | str, dict[str, object]] = {
    401: {
        "description": "unauthorized: PLOTWISE_API_TOKEN is set and the bearer token is "
        "missing or wrong"
    },
    413: {"description": "payload_too_large: the body is past PLOTWISE_MAX_BODY_KB"},
}
"""Answers every ``/api`` operation may give before its own code runs (`plotwise.access`,
`plotwise.limits`), declared in the OpenAPI schema."""

SHUTDOWN_GRACE_S = 2.0
"""Seconds open chat streams get on shutdown to send their final event and end (uvicorn's
graceful shutdown timeout, ``plotwise.server``)."""

_NOT_BUILT = """<!doctype html><title>Plotwise</title><h1>Plotwise</h1>
<p>The frontend is not built. Run <code>make run</code>
(or <code>npm ci && npm run build</code>).</p>
<p>The API is up: <a href="/api/config">/api/config</a>.</p>"""


def create_app(settings: Settings | None = None, *, model: Model | None = None) -> FastAPI:
    """Build the Plotwise app.

    Args:
        settings: Configuration; by default read from ``PLOTWISE_*`` environment variables.
        model: A model to use instead of ``settings.model`` (tests use FunctionModel/TestModel).

    Returns:
        An app whose lifespan opens the data and the agent, and closes them on shutdown.

    """
    settings = settings or Settings()
    turns = TurnRegistry(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = Services.open(settings, model=model)
        app.state.services = services
        try:
            yield
        finally:
            try:
                # Normally done already, while the streams were still open (`plotwise.server`).
                await turns.shutdown(SHUTDOWN_GRACE_S)
                await services.aclose_http_client()
            finally:
                services.close()

    app = FastAPI(title="Plotwise", version=__version__, lifespan=lifespan)
    app.state.turns = turns
    install_error_handlers(app)
    for router in (
        chat_router,
        turns_router,
        artifacts_router,
        standalone_router,
        templates_router,
        conversations_router,
        jobs_router,
        datasets_router,
        sources_router,
    ):
        app.include_router(router, responses=API_REFUSALS)
    app.include_router(health_router)

    @app.get("/api/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    # For operators' scrapers, not the browser: outside /api and the OpenAPI schema.
    @app.get("/metrics", include_in_schema=False)
    async def metrics(services: ServicesDep) -> Response:
        return Response(services.metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    def app_headers(url: URL) -> dict[str, str]:
        if url.path.startswith("/api/"):
            return COMMON_HEADERS
        return {**COMMON_HEADERS, "Content-Security-Policy": app_csp(sandbox_origin(settings, url))}

    _install_limits(app, settings)
    install_access(app, settings)
    # Added last, so outermost: every answer carries the headers, refusals included.
    app.add_middleware(SecurityHeaders, headers_for=app_headers)
    # Outermost: it times everything, the security headers included.
    app.add_middleware(HttpMetrics)

    if (settings.frontend_dist / "index.html").exists():
        _mount_static(app, "/", settings.frontend_dist)
    else:

        @app.get("/", response_class=HTMLResponse)
        async def not_built() -> str:
            return _NOT_BUILT

    return app


def create_sandbox_app(settings: Settings | None = None) -> Starlette:
    """Build the sandbox origin's app: the built sandbox runtime at ``/sandbox/`` and nothing else.

    Every response carries the sandbox CSP (framed only by the app's origin) and allows any
    origin by CORS: the sandboxed frame's own origin is the opaque ``null``, so its module
    script and stylesheet load as CORS requests.

    Args:
        settings: Configuration; by default read from ``PLOTWISE_*`` environment variables.

    Returns:
        A Starlette app; every other path answers 404.

    """
    settings = settings or Settings()

    def sandbox_headers(url: URL) -> dict[str, str]:
        return {
            **COMMON_HEADERS,
            "Content-Security-Policy": sandbox_csp(app_origin(settings, url)),
            "Access-Control-Allow-Origin": "*",
        }

    app = Starlette(middleware=[Middleware(SecurityHeaders, headers_for=sandbox_headers)])
    _mount_static(app, "/sandbox", settings.sandbox_dist)
    return app


UPLOAD_ROUTE = ("POST", "/api/datasets")
"""Uploads stream to their own limit (``PLOTWISE_MAX_UPLOAD_MB``), not ``max_body_kb``."""


def _install_limits(app: FastAPI, settings: Settings) -> None:
    """Add the body limit (inner) and the per-client rate limits and turn cap (outer)."""

    def is_upload(scope: Scope) -> bool:
        return (scope["method"], scope["path"].rstrip("/")) == UPLOAD_ROUTE

    app.add_middleware(BodyLimit, max_bytes=settings.max_body_kb * 1024, exempt=is_upload)
    routes = [
        LimitedRoute(
            "POST",
            "/api/chat",
            "chat turns",
            RateLimiter(settings.chat_rate_per_minute),
            ConcurrencyCap(settings.max_turns_per_client),
        ),
        LimitedRoute(*UPLOAD_ROUTE, "uploads", RateLimiter(settings.upload_rate_per_minute)),
    ]
    app.add_middleware(RateLimits, routes=routes, by_token=settings.api_token is not None)


class _FilesMount(Mount):
    """Static files under ``prefix`` that never answer for ``/api/`` paths.

    A mount at "/" matches every path fully, which beats a route's partial match (right path,
    wrong method): ``GET /api/chat`` would get the files' 404 instead of the API's 405.
    """

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http" and scope["path"].startswith("/api/"):
            return Match.NONE, {}
        return super().matches(scope)


def _mount_static(app: Starlette, prefix: str, folder: Path) -> None:
    if folder.is_dir():
        files = StaticFiles(directory=folder, html=True)
        app.router.routes.append(_FilesMount(prefix, app=files, name=prefix.strip("/") or "app"))
