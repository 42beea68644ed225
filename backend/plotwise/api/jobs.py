"""Spark job endpoints: a job's state, its cancellation and its result files."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from plotwise.api.deps import JobsDep
from plotwise.spark.models import Job, OutputFormat
from plotwise.spark.results import MEDIA_TYPES, file_name

router = APIRouter(prefix="/api/jobs", tags=["jobs"])

_NOT_FOUND = {404: {"description": "unknown job"}}


@router.get("/{job_id}", responses=_NOT_FOUND)
async def get_job(job_id: str, jobs: JobsDep) -> Job:
    """Return a job: its state, stage, progress and, once it succeeded, its files."""
    return await jobs.get(job_id)


@router.post("/{job_id}/cancel", responses=_NOT_FOUND)
async def cancel_job(job_id: str, jobs: JobsDep) -> Job:
    """Cancel a queued or running job (a final one is returned unchanged)."""
    return await jobs.cancel(job_id)


@router.get(
    "/{job_id}/files/{fmt}",
    response_class=FileResponse,
    responses={
        200: {"content": {media: {} for media in MEDIA_TYPES.values()}},
        404: {"description": "unknown job, or its file is gone"},
        409: {"description": "the job has not succeeded"},
    },
)
async def job_file(job_id: str, fmt: OutputFormat, jobs: JobsDep) -> FileResponse:
    """Download a succeeded job's result as Parquet or CSV (an attachment)."""
    path = await jobs.file(job_id, fmt)
    return FileResponse(path, media_type=MEDIA_TYPES[fmt], filename=file_name(job_id, fmt))
