"""PostgreSQL source endpoints: connect a database by URL, list, reconnect and remove sources.

A source added here must connect, with a role that may only read, before anything is kept: a
URL that fails or whose role may write is answered ``400 source_error`` naming
``host:port/database`` and the problem, never the password. Added sources are kept in
``<data dir>/sources.json`` (`plotwise.sources.stored`) and reconnected at start. URLs are
never returned by any endpoint.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from plotwise.api.deps import ServicesDep
from plotwise.datasets.models import DatasetSummary
from plotwise.datasets.stats import summarize
from plotwise.errors import ConflictError, SourceError
from plotwise.services import Services
from plotwise.sources.context import SourceDataset
from plotwise.sources.registry import SourceRegistry

router = APIRouter(prefix="/api/sources", tags=["sources"])

_ERRORS = {
    400: {"description": "the URL fails or its role may write (source_error); a bad name"},
    409: {"description": "the name is in use, or the source is configured in PLOTWISE_SOURCES"},
}


class SourceBody(BaseModel):
    """Body of ``POST /api/sources``."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: str = Field(min_length=1, max_length=63)
    """The dataset name, ``[a-z][a-z0-9_]{0,62}``, unique across all datasets."""
    url: str = Field(min_length=1, max_length=2000)
    """``postgresql://user:password@host:port/database`` of a role that may only read."""
    schema_: str = Field(default="public", alias="schema", min_length=1, max_length=63)
    """The schema whose readable tables become the dataset's tables."""


class SourcePublic(BaseModel):
    """A configured source and whether it is connected."""

    name: str
    origin: str
    """``host:port/database``."""
    schema_: str = Field(serialization_alias="schema")
    configured_in: Literal["settings", "api"]
    """``settings`` for ``PLOTWISE_SOURCES`` (not removable here), ``api`` for added ones."""
    connected: bool
    error: str | None
    """Why it is not connected (the URL failed, its role may write...)."""
    created_at: datetime | None


class SourceList(BaseModel):
    """Body of ``GET /api/sources``."""

    items: list[SourcePublic]


def source_summary(dataset: SourceDataset, services: Services) -> DatasetSummary:
    """The listing shape of a connected source (the one ``GET /api/datasets`` lists)."""
    return summarize(dataset.context(), services.catalog, is_default=False)


@router.get("")
async def list_sources(services: ServicesDep) -> SourceList:
    """Every configured source, connected or with the error that keeps it offline."""
    return SourceList(
        items=[
            SourcePublic(
                name=state.name,
                origin=state.where,
                schema_=state.schema,
                configured_in=state.origin,
                connected=state.dataset is not None,
                error=state.error,
                created_at=state.added_at,
            )
            for state in _registry(services).states()
        ]
    )


@router.post("", status_code=201, responses=_ERRORS)
async def add_source(body: SourceBody, services: ServicesDep) -> DatasetSummary:
    """Connect a PostgreSQL database as a new dataset and keep it across restarts."""
    if not body.url.startswith(("postgresql://", "postgres://")):
        raise SourceError("the URL must start with postgresql:// (or postgres://)")
    dataset = await run_in_threadpool(
        _registry(services).add,
        body.name,
        body.url,
        schema=body.schema_,
        taken=list(services.datasets),
    )
    services.add_dataset(dataset.name, dataset.context())
    return source_summary(dataset, services)


@router.post("/{name}/reconnect", responses={**_ERRORS, 404: {"description": "no such source"}})
async def reconnect_source(name: str, services: ServicesDep) -> DatasetSummary:
    """Connect a source again: after it failed, or to pick up new tables and columns."""
    registry = _registry(services)
    registry.state(name)  # 404 before any connection attempt
    other = services.datasets.get(name)
    if other is not None and other.kind != "postgres":
        raise ConflictError(f"the name {name!r} belongs to another dataset; rename the source")
    dataset = await run_in_threadpool(registry.reconnect, name)
    services.add_dataset(dataset.name, dataset.context(), replace=True)
    return source_summary(dataset, services)


@router.delete("/{name}", status_code=204, responses={**_ERRORS, 404: {"description": "none"}})
async def delete_source(name: str, services: ServicesDep) -> Response:
    """Remove a source added through the API (its artifacts can no longer refresh)."""
    _registry(services).remove(name)
    if name in services.datasets:  # a source that never connected was not registered
        services.remove_dataset(name)
    return Response(status_code=204)


def _registry(services: Services) -> SourceRegistry:
    assert services.sources is not None, "Services.open opens the sources"
    return services.sources
