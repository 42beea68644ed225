"""HTTP error responses in the one JSON error shape: ``{"error": {code, message, ...}}``."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from plotwise.errors import ErrorBody, PlotwiseError

_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}


def error_response(
    body: ErrorBody, status: int, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """Wrap an error body in the response shape (with extra ``headers``, if any)."""
    return JSONResponse({"error": body.model_dump()}, status_code=status, headers=headers)


def plotwise_error_response(error: PlotwiseError) -> JSONResponse:
    """The response of one of our own errors: its body, status and headers."""
    return error_response(error.to_body(), error.status_code, error.headers())


def install_error_handlers(app: FastAPI) -> None:
    """Make every error response of ``app`` use the one JSON error shape."""

    @app.exception_handler(PlotwiseError)
    async def _plotwise(request: Request, exc: PlotwiseError) -> JSONResponse:
        return plotwise_error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'] if p != 'body') or 'body'}: {err['msg']}"
            for err in exc.errors()
        )
        return error_response(ErrorBody(code="invalid_request", message=problems), 422)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        return error_response(ErrorBody(code=code, message=str(exc.detail)), exc.status_code)
