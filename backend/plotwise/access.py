"""Who may call the API: the optional bearer token (``PLOTWISE_API_TOKEN``), and CORS.

Authentication is one pure ASGI middleware over every path under ``/api/``, so no route can
be missed, routes added later and unknown paths included (a 404 would tell a stranger which
routes exist). Operators' endpoints (``/metrics``, ``/health``, ``/ready``) and the static
files stay outside it.
"""

from __future__ import annotations

import hmac

from fastapi import FastAPI
from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from plotwise.api.errors import send_plotwise_error
from plotwise.errors import UnauthorizedError
from plotwise.settings import Settings

API_PREFIX = "/api/"
"""Paths under this prefix need the token (when one is set); nothing else does."""


def is_api_path(path: str) -> bool:
    """Whether ``path`` belongs to the API (``/api`` itself or anything under ``/api/``)."""
    return path == API_PREFIX.rstrip("/") or path.startswith(API_PREFIX)


def bearer_token(headers: Headers) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None without one."""
    scheme, _, token = headers.get("authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token


def client_identity(scope: Scope, *, by_token: bool) -> str:
    """Who a request comes from, for per-client limits.

    Args:
        scope: The ASGI scope of the request.
        by_token: True when ``api_token`` is set: the client is then its bearer token.

    Returns:
        ``token:<token>`` or ``addr:<peer address>`` (``addr:?`` when the server knows none).

    """
    if by_token:
        token = bearer_token(Headers(scope=scope))
        if token is not None:
            return f"token:{token}"
    client = scope.get("client")
    return f"addr:{client[0] if client else '?'}"


class RequireToken:
    """ASGI middleware: ``/api`` requests without the right bearer token answer 401.

    CORS preflights (``OPTIONS`` with ``Access-Control-Request-Method``) pass: browsers send
    them without credentials, and `CORSMiddleware` (outside this one) answers them.
    """

    def __init__(self, app: ASGIApp, token: str) -> None:
        """Wrap ``app``.

        Args:
            app: The ASGI application.
            token: The one token that opens the API (compared in constant time).

        """
        self.app = app
        self._token = token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse an ``/api`` request whose token is missing or wrong; pass the rest on."""
        if scope["type"] != "http" or not is_api_path(scope["path"]) or self._allowed(scope):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        given = bearer_token(headers)
        problem = "is missing" if given is None else "is not the right one"
        error = UnauthorizedError(
            f"this server needs an API token (Authorization: Bearer <token>): the token {problem}"
        )
        await send_plotwise_error(error, scope, receive, send)

    def _allowed(self, scope: Scope) -> bool:
        headers = Headers(scope=scope)
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            return True
        given = bearer_token(headers)
        return given is not None and hmac.compare_digest(given.encode(), self._token)


def install_access(app: FastAPI, settings: Settings) -> None:
    """Add the token check (when ``api_token`` is set) and CORS (when ``cors_origins`` is).

    Call it after the other middleware: what is added last runs first, so CORS headers reach
    401 answers too and preflights are answered before the token check.
    """
    if settings.api_token is not None:
        app.add_middleware(RequireToken, token=settings.api_token.get_secret_value())
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Accept"],
            expose_headers=["Retry-After", "Content-Disposition"],
            max_age=600,
        )
