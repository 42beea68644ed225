"""Following a Spark job from a request: wait for its end, then read its preview.

Shared by the ``submit_spark`` tool (which emits each snapshot into the turn) and the artifact
data endpoint (which re-submits a Spark-backed artifact's query on refresh).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import aclosing

from plotwise.settings import Settings
from plotwise.spark.jobs import JobManager
from plotwise.spark.models import FINAL_STATES, Job
from plotwise.sql.cache import CachedResult, CacheInfo


async def follow(
    jobs: JobManager,
    job: Job,
    *,
    timeout_s: float,
    on_snapshot: Callable[[Job], Awaitable[None]] | None = None,
) -> Job:
    """Wait until ``job`` ends or ``timeout_s`` seconds pass; return its last snapshot.

    Running out of time leaves the job running in the background (its snapshot is then queued
    or running); so does cancelling the caller.

    Args:
        jobs: The manager that runs the job.
        job: The job as submitted.
        timeout_s: Most seconds to wait.
        on_snapshot: Awaited with each snapshot, the first at once and the last a final one.

    """
    try:
        async with asyncio.timeout(timeout_s):
            async with aclosing(jobs.watch(job.job_id)) as snapshots:
                async for snapshot in snapshots:
                    job = snapshot
                    if on_snapshot is not None:
                        await on_snapshot(snapshot)
                    if snapshot.state in FINAL_STATES:
                        break
    except TimeoutError:
        pass
    return job


async def preview_result(
    jobs: JobManager, job: Job, settings: Settings, *, query_id: str
) -> CachedResult:
    """The first rows of a succeeded job, as a result bound to ``query_id``.

    As many rows as ``PLOTWISE_SPARK_PREVIEW_ROWS``, and never more than the row cap
    (``PLOTWISE_MAX_ROWS``) that every result the browser gets keeps to.

    The cache fields describe the job's files: keyed by the job, stored when it finished, kept
    until the query is submitted again.

    Raises:
        ConflictError: The job has not succeeded.

    """
    limit = min(settings.spark_preview_rows, settings.max_rows)
    rows = await jobs.preview(job.job_id, limit=limit)
    info = CacheInfo(
        key=f"job:{job.job_id}",
        hit=False,
        stored_at=job.finished_at or job.created_at,
        expires_at=None,
    )
    return CachedResult(**rows.model_copy(update={"query_id": query_id}).model_dump(), cache=info)
