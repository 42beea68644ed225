"""HTTP error responses in the one JSON error shape: ``{"error": {code, message, ...}}``."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import Match, Route
from starlette.types import Receive, Scope, Send

from plotwise.errors import ErrorBody, PlotwiseError

_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}


def error_response(
    body: ErrorBody, status: int, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """Wrap an error body in the response shape (with extra ``headers``, if any)."""
    return JSONResponse({"error": body.model_dump()}, status_code=status, headers=headers)


async def send_plotwise_error(
    error: PlotwiseError, scope: Scope, receive: Receive, send: Send
) -> None:
    """Answer a request from ASGI middleware with one of our own errors (body, status, headers).

    Counted in the app's ``plotwise_errors`` metric like the route handlers' errors.
    """
    _count(scope.get("app"), error.code)
    response = error_response(error.to_body(), error.status_code, error.headers())
    await response(scope, receive, send)


def counted_error(
    request: Request, body: ErrorBody, status: int, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """`error_response`, counted in the app's ``plotwise_errors`` metric by the body's code."""
    _count(request.app, body.code)
    return error_response(body, status, headers)


def _count(app: object, code: str) -> None:
    """Count one error body of ``app`` by code (an app without services yet counts nothing)."""
    services = getattr(getattr(app, "state", None), "services", None)
    if services is not None:
        services.metrics.error(code)


def install_error_handlers(app: FastAPI) -> None:
    """Make every error response of ``app`` use the one JSON error shape."""

    @app.exception_handler(PlotwiseError)
    async def _plotwise(request: Request, exc: PlotwiseError) -> JSONResponse:
        return counted_error(request, exc.to_body(), exc.status_code, exc.headers())

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'] if p != 'body') or 'body'}: {err['msg']}"
            for err in exc.errors()
        )
        return counted_error(request, ErrorBody(code="invalid_request", message=problems), 422)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        if exc.status_code == 400:
            # FastAPI's own answer to a body it cannot decode (our code raises PlotwiseErrors):
            # invalid like malformed JSON, which FastAPI answers 422, so one status for both.
            body = ErrorBody(code="invalid_request", message=f"body: {exc.detail}")
            return counted_error(request, body, 422)
        if exc.status_code == 405:
            allow = ", ".join(_allowed_methods(request))
            return counted_error(
                request,
                ErrorBody(code="method_not_allowed", message=f"allowed: {allow}"),
                405,
                {"Allow": allow},
            )
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        # Headers a status needs (``WWW-Authenticate``, ``Retry-After``) pass through.
        body = ErrorBody(code=code, message=str(exc.detail))
        return counted_error(request, body, exc.status_code, exc.headers)


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route of the app answers at the request's path.

    Read off the app's OpenAPI paths (FastAPI nests included routers, whose routes the app's
    own route list does not show) and its top-level routes outside the schema.
    """
    path = request.url.path
    paths = request.app.openapi()["paths"]
    # A literal path (``/api/templates/import``) is its own operation, not a template's value.
    exact = paths.get(path)
    templates = (
        [exact] if exact else [o for t, o in paths.items() if _template_regex(t).fullmatch(path)]
    )
    methods: set[str] = {method.upper() for operations in templates for method in operations}
    for route in request.app.router.routes:
        if isinstance(route, Route) and route.matches(request.scope)[0] != Match.NONE:
            methods |= route.methods or set()
    return sorted(methods)


@functools.cache
def _template_regex(template: str) -> re.Pattern[str]:
    """The paths an OpenAPI path template such as ``/api/turns/{turn_id}`` stands for."""
    return re.compile(re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)))
