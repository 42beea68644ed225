"""Artifact endpoints: read an artifact, and re-run its SQL for refresh or new parameters.

The data endpoint answers JSON rows, or, for a client that accepts
``application/vnd.apache.arrow.stream``, the rows as one Arrow IPC stream: the query worker's
own record batches (`plotwise.sql.arrow_result`), typed columns, no per-row Python work.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Annotated

import anyio
from fastapi import APIRouter, Header, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field, JsonValue

from plotwise.api.arrow_response import ArrowStreamResponse
from plotwise.api.deps import ServicesDep
from plotwise.artifact.store import ArtifactRecord
from plotwise.errors import BadRequestError, ConflictError
from plotwise.services import Services
from plotwise.spark.follow import follow, preview_result
from plotwise.spark.models import Job
from plotwise.sql.arrow_json import table_rows
from plotwise.sql.arrow_result import ARROW_STREAM, browser_decodable, ipc_stream
from plotwise.sql.cache import CachedResult
from plotwise.sql.downsample import DownsampleInfo, downsample_result, downsample_table

router = APIRouter(prefix="/api/artifacts", tags=["artifacts"])


class ArtifactDataRequest(BaseModel):
    """Body of ``POST /api/artifacts/{artifact_id}/data``."""

    params: dict[str, JsonValue] = Field(default_factory=dict)
    """Query parameter values by name; parameters left out take their defaults."""
    refresh: bool = False
    """Bypass the result cache and fetch fresh rows."""


class ArtifactData(CachedResult, DownsampleInfo):
    """The artifact's fresh (or cached) data: the ``data`` SSE event's fields plus the id."""

    artifact_id: str
    job: Job | None = None
    """For a Spark-backed artifact, the job whose result's first rows these are."""


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
        404: {"description": "unknown artifact, or its dataset no longer exists"},
        400: {"description": "bad parameter value, or the SQL failed"},
    },
)
async def artifact_data(
    artifact_id: str,
    body: ArtifactDataRequest,
    services: ServicesDep,
    accept: Annotated[str, Header()] = "application/json",
    full: Annotated[
        bool,
        Query(description="every row up to the row cap, never downsampled (for downloads)"),
    ] = False,
) -> ArtifactData | Response:
    """Re-run the artifact's SQL with the given query parameters, without calling the model.

    Columns the browser's Arrow decoder does not read (intervals, lists, zoned timestamps other
    than UTC, dates past year 9999...) make the answer JSON even when Arrow was asked for.
    Rows past ``PLOTWISE_POINT_BUDGET`` are downsampled for the chart (`plotwise.sql.downsample`,
    flagged ``downsampled``) unless ``full`` is true.
    """
    record = await services.artifacts.get(artifact_id)
    if record.sql is None:
        raise BadRequestError(f"artifact {artifact_id!r} has no query to run")
    budget = None if full else services.settings.point_budget
    if record.job_id is not None:
        data = await _job_data(record, record.job_id, record.sql, body.refresh, services)
        return await _for_chart(data, budget)
    kwargs = {"param_specs": record.param_specs, "param_values": body.params}
    sql = services.sql_for(record.dataset)
    if ARROW_STREAM not in accept:
        result = await sql.execute(record.sql, **kwargs, refresh=body.refresh)
        data = ArtifactData(**result.model_dump(), artifact_id=artifact_id)
        return await _for_chart(data, budget)
    answer, info = await sql.execute_table(record.sql, **kwargs, refresh=body.refresh)
    reduced = DownsampleInfo(original_row_count=answer.table.num_rows)
    if budget is not None and answer.table.num_rows > budget:
        table, reduced = await anyio.to_thread.run_sync(
            downsample_table, answer.result.columns, answer.table, budget
        )
        if reduced.downsampled:
            result = answer.result.model_copy(update={"row_count": table.num_rows})
            # The stored stream holds every row: the reduced table is written instead.
            answer = replace(answer, result=result, table=table, stream=None, spool=None)
    meta = ArtifactData(
        **answer.result.model_dump(), **reduced.model_dump(), cache=info, artifact_id=artifact_id
    )
    loop = asyncio.get_running_loop()
    if not browser_decodable(answer.table):
        rows = await loop.run_in_executor(None, table_rows, answer.table)
        return meta.model_copy(update={"rows": rows})
    if answer.stream is not None:
        # The stored batches go out as they are: only a new schema message is written.
        return ArrowStreamResponse(ipc_stream(answer, meta))
    # Writing the stream copies the columns once (~2 ms per 100k flights rows): off the loop.
    return ArrowStreamResponse(await loop.run_in_executor(None, ipc_stream, answer, meta))


async def _for_chart(data: ArtifactData, budget: int | None) -> ArtifactData:
    """``data`` with its rows downsampled to ``budget`` (None: all of them)."""
    if budget is None or len(data.rows) <= budget:
        return data
    return await anyio.to_thread.run_sync(downsample_result, data, budget)


async def _job_data(
    record: ArtifactRecord, job_id: str, sql: str, refresh: bool, services: Services
) -> ArtifactData:
    """The preview of a Spark-backed artifact's job; with ``refresh``, of a new run of its query.

    A refresh submits the query again, waits for the new job (``PLOTWISE_SPARK_WAIT_S``) and
    binds the artifact to it.

    Raises:
        ConflictError: The job has not succeeded (it failed, was cancelled, or still runs).

    """
    job = await services.jobs.get(job_id)
    if refresh:
        job = await services.jobs.submit(
            sql,
            output_format=job.output_format,
            dataset=job.dataset,
            conversation_id=record.conversation_id,
        )
        await services.artifacts.bind_job(record.artifact_id, job.job_id)
        job = await follow(services.jobs, job, timeout_s=services.settings.spark_wait_s)
    if job.state != "succeeded":
        raise ConflictError(f"Spark job {job.job_id} is {job.state}: {job.message}")
    query_id = record.query_id or job.job_id
    preview = await preview_result(services.jobs, job, services.settings, query_id=query_id)
    return ArtifactData(**preview.model_dump(), artifact_id=record.artifact_id, job=job)
