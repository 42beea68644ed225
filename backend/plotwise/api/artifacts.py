"""Artifact endpoints: read an artifact, and re-run its SQL for refresh or new parameters.

The data endpoint answers JSON rows, or, for a client that accepts
``application/vnd.apache.arrow.stream``, the rows as one Arrow IPC stream: the query worker's
own record batches (`plotwise.sql.arrow_result`), typed columns, no per-row Python work.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import Response
from pydantic import BaseModel, Field, JsonValue

from plotwise.api.arrow_response import ArrowStreamResponse
from plotwise.api.deps import ServicesDep
from plotwise.artifact.store import ArtifactRecord
from plotwise.errors import BadRequestError
from plotwise.sql.arrow_json import table_rows
from plotwise.sql.arrow_result import ARROW_STREAM, browser_decodable, ipc_stream
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
    response_model=ArtifactData,
    responses={
        200: {
            "description": "JSON rows, or with ``Accept: " + ARROW_STREAM + "`` an Arrow IPC "
            "stream whose schema metadata ``plotwise`` holds the other fields as JSON",
            "content": {ARROW_STREAM: {}},
        },
        404: {"description": "unknown artifact"},
        400: {"description": "bad parameter value, or the SQL failed"},
    },
)
async def artifact_data(
    artifact_id: str,
    body: ArtifactDataRequest,
    services: ServicesDep,
    accept: Annotated[str, Header()] = "application/json",
) -> ArtifactData | Response:
    """Re-run the artifact's SQL with the given query parameters, without calling the model.

    Columns the browser's Arrow decoder does not read (intervals, lists, zoned timestamps other
    than UTC, dates past year 9999...) make the answer JSON even when Arrow was asked for.
    """
    record = await services.artifacts.get(artifact_id)
    if record.sql is None:
        raise BadRequestError(f"artifact {artifact_id!r} has no query to run")
    kwargs = {"param_specs": record.param_specs, "param_values": body.params}
    if ARROW_STREAM not in accept:
        result = await services.sql.execute(record.sql, **kwargs, refresh=body.refresh)
        return ArtifactData(**result.model_dump(), artifact_id=artifact_id)
    answer, info = await services.sql.execute_table(record.sql, **kwargs, refresh=body.refresh)
    meta = ArtifactData(**answer.result.model_dump(), cache=info, artifact_id=artifact_id)
    loop = asyncio.get_running_loop()
    if not browser_decodable(answer.table):
        rows = await loop.run_in_executor(None, table_rows, answer.table)
        return meta.model_copy(update={"rows": rows})
    if answer.stream is not None:
        # The stored batches go out as they are: only a new schema message is written.
        return ArrowStreamResponse(ipc_stream(answer, meta))
    # Writing the stream copies the columns once (~2 ms per 100k flights rows): off the loop.
    return ArrowStreamResponse(await loop.run_in_executor(None, ipc_stream, answer, meta))
