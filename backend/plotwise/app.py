"""The FastAPI application factory: API routes plus the built frontend and sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from pydantic_ai.models import Model

from plotwise import __version__
from plotwise.api.artifacts import router as artifacts_router
from plotwise.api.chat import router as chat_router
from plotwise.api.conversations import router as conversations_router
from plotwise.api.errors import install_error_handlers
from plotwise.api.standalone import router as standalone_router
from plotwise.api.templates import router as templates_router
from plotwise.services import Services
from plotwise.settings import Settings

APP_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
"""CSP of the chat application: own assets only; frames only from the sandbox (same origin)."""

SANDBOX_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'self'"
)
"""CSP of the artifact sandbox: no network, no forms; ``unsafe-eval`` for react-runner."""

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

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = Services.open(settings, model=model)
        app.state.services = services
        try:
            yield
        finally:
            services.close()

    app = FastAPI(title="Plotwise", version=__version__, lifespan=lifespan)
    install_error_handlers(app)
    app.include_router(chat_router)
    app.include_router(artifacts_router)
    app.include_router(standalone_router)
    app.include_router(templates_router)
    app.include_router(conversations_router)

    @app.get("/api/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.middleware("http")
    async def security_headers(request: Request, call_next) -> Response:  # noqa: ANN001
        response = await call_next(request)
        path = request.url.path
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        if path.startswith("/sandbox/"):
            response.headers["Content-Security-Policy"] = SANDBOX_CSP
            # The sandboxed frame has the opaque origin "null": its module scripts are CORS loads.
            response.headers["Access-Control-Allow-Origin"] = "*"
        elif not path.startswith("/api/"):
            response.headers["Content-Security-Policy"] = APP_CSP
        return response

    _mount_static(app, "/sandbox", settings.sandbox_dist)
    if (settings.frontend_dist / "index.html").exists():
        _mount_static(app, "/", settings.frontend_dist)
    else:

        @app.get("/", response_class=HTMLResponse)
        async def not_built() -> str:
            return _NOT_BUILT

    return app


def _mount_static(app: FastAPI, prefix: str, folder: Path) -> None:
    if folder.is_dir():
        app.mount(prefix, StaticFiles(directory=folder, html=True), name=prefix.strip("/") or "app")
