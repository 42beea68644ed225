"""Liveness and readiness for orchestrators: ``GET /health`` and ``GET /ready``.

Outside ``/api`` and the OpenAPI schema, like ``/metrics``: probes of operators, not the
browser's API (``GET /api/health`` stays for it).
"""

from __future__ import annotations

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from plotwise.api.deps import ServicesDep
from plotwise.api.errors import counted_error
from plotwise.errors import ErrorBody
from plotwise.services import Services

router = APIRouter(include_in_schema=False)

READY_TIMEOUT_S = 5.0
"""Longest any one readiness check may take before it counts as not ready, in seconds."""


@router.get("/health")
async def health() -> dict[str, str]:
    """Liveness: the process answers HTTP. ``{"status": "ok"}``, always 200."""
    return {"status": "ok"}


@router.get("/ready", response_model=None)
async def ready(request: Request, services: ServicesDep) -> dict[str, object] | JSONResponse:
    """Readiness: the catalog, the store and the query workers answer.

    Returns:
        200 with ``{"status": "ready", "checks": {"catalog": "ok", "store": "ok", "workers":
        "ok"}}``; else 503 in the one error shape, code ``not_ready``, whose message names each
        part that is not ready and why.

    """
    problems: dict[str, str] = {}
    for name, check in (("catalog", _catalog), ("store", _store), ("workers", _workers)):
        try:
            with anyio.fail_after(READY_TIMEOUT_S):
                await anyio.to_thread.run_sync(check, services)
        except TimeoutError:
            problems[name] = f"no answer within {READY_TIMEOUT_S:g} s"
        except Exception as exc:  # noqa: BLE001 - any failure means not ready, and is named
            problems[name] = f"{type(exc).__name__}: {exc}"
    if problems:
        message = "not ready: " + "; ".join(f"{name}: {why}" for name, why in problems.items())
        body = ErrorBody(code="not_ready", message=message, recoverable=True)
        return counted_error(request, body, 503)
    return {"status": "ready", "checks": dict.fromkeys(("catalog", "store", "workers"), "ok")}


def _catalog(services: Services) -> None:
    """A trivial query through the catalog's DuckDB engine."""
    cursor = services.catalog.cursor()
    try:
        if cursor.execute("SELECT 1").fetchall() != [(1,)]:
            raise RuntimeError("SELECT 1 answered something else")
    finally:
        cursor.close()


def _store(services: Services) -> None:
    """A trivial query through the store's database (SQLite or PostgreSQL)."""
    with services.store.read() as session:
        if session.execute(text("SELECT 1")).scalar_one() != 1:
            raise RuntimeError("SELECT 1 answered something else")


def _workers(services: Services) -> None:
    """Every query worker is up and has opened its engine (a starting one is not ready yet)."""
    pool = services.catalog.workers
    if pool.closed:
        raise RuntimeError("the worker pool is closed")
    alive, size = pool.alive(), pool.size()
    if alive < size:
        raise RuntimeError(f"{alive} of {size} query workers ready")
