"""Artifact endpoints: read an artifact, and re-run its SQL for refresh or new parameters."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field, JsonValue

from plotwise.api.deps import ServicesDep
from plotwise.artifact.store import ArtifactRecord
from plotwise.errors import BadRequestError
from plotwise.sql.cache import CachedResult

router = APIRouter(prefix="/api/artifacts", tags=["artifacts"])


class ArtifactDataRequest(BaseModel):
    """Body of ``POST /api/artifacts/{artifact_id}/data``."""

    params: dict[str, JsonValue] = Field(default_factory=dict)
    """Query parameter values by name; parameters left out take their defaults."""
    refresh: bool = False
    """Bypass the result cache and fetch fresh rows."""


class ArtifactData(CachedResult):
    """The artifact's fresh (or cached) data: the ``data`` SSE event's fields plus the id."""

    artifact_id: str


@router.get("/{artifact_id}", responses={404: {"description": "unknown artifact"}})
async def get_artifact(artifact_id: str, services: ServicesDep) -> ArtifactRecord:
    """Return an artifact: its code, SQL and query parameter specs."""
    return await services.artifacts.get(artifact_id)


@router.post(
    "/{artifact_id}/data",
    responses={
        404: {"description": "unknown artifact"},
        400: {"description": "bad parameter value, or the SQL failed"},
    },
)
async def artifact_data(
    artifact_id: str, body: ArtifactDataRequest, services: ServicesDep
) -> ArtifactData:
    """Re-run the artifact's SQL with the given query parameters, without calling the model."""
    record = await services.artifacts.get(artifact_id)
    if record.sql is None:
        raise BadRequestError(f"artifact {artifact_id!r} has no query to run")
    result = await services.sql.execute(
        record.sql, param_specs=record.param_specs, param_values=body.params, refresh=body.refresh
    )
    return ArtifactData(**result.model_dump(), artifact_id=artifact_id)
