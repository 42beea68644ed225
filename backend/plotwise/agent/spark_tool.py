"""The agent's ``submit_spark`` tool: a large result or a full export as a Spark job.

The job runs in the background (`plotwise.spark.jobs.JobManager`) and outlives the turn; the
tool follows it for up to ``PLOTWISE_SPARK_WAIT_S``, emitting a `JobProgressEvent` per change
(the turn turns each into an SSE ``job`` event), and answers with the result's schema, its
first rows and its download links.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic_ai import CustomEvent, ModelRetry, RunContext, ToolReturn

from plotwise.agent.deps import TurnDeps
from plotwise.errors import BadRequestError, SQLRefusedError
from plotwise.spark.follow import follow, preview_result
from plotwise.spark.models import Job
from plotwise.sql.cache import CachedResult
from plotwise.sql.result import QueryResult

MODEL_PREVIEW_ROWS = 50
"""Rows of a job's result shown to the model; the artifact gets up to the preview limit."""


@dataclass(kw_only=True)
class JobProgressEvent(CustomEvent, name="plotwise.job"):
    """A snapshot of a Spark job the tool follows, emitted into the agent's event stream."""

    job: Job


@dataclass(frozen=True)
class SparkOutcome:
    """What ``submit_spark`` hands the turn: the job as last seen, and its preview.

    The preview (when the job succeeded) is bound to the tool call: its ``query_id`` is the
    tool call id.
    """

    job: Job
    preview: CachedResult | None


async def submit_spark(
    ctx: RunContext[TurnDeps], query: str, output_format: Literal["parquet", "csv"] = "parquet"
) -> ToolReturn:
    """Run one read-only query on Apache Spark as a background job and export its full result.

    Use this instead of run_sql when the analyst asks for all rows, an export or a download
    (for example "export all flights delayed more than 3 hours"), or when the result is far
    larger than the row cap. Write the query exactly as for run_sql (DuckDB SQL over the same
    tables, no $parameters); it is translated to Spark SQL. The full result is written as
    Parquet and CSV files the analyst can download; you get the schema and the first rows.

    Args:
        query: Exactly one SELECT statement in DuckDB SQL, over the tables named in the schema.
        output_format: The file format the analyst asked for: "parquet" (default) or "csv".
            Both files are offered; this one is listed first.

    Returns:
        The job's id and state, the full row count, the columns, the first rows and the
        download links; or, for a job that failed or still runs, its state and a message.

    """
    deps = ctx.deps
    try:
        job = await deps.jobs.submit(
            query,
            output_format=output_format,
            dataset=deps.dataset,
            conversation_id=deps.conversation_id,
        )
    except (BadRequestError, SQLRefusedError) as exc:
        raise ModelRetry(f"{exc.code}: {exc.message}") from exc

    async def show(snapshot: Job) -> None:
        await ctx.emit(JobProgressEvent(job=snapshot))

    job = await follow(deps.jobs, job, timeout_s=deps.settings.spark_wait_s, on_snapshot=show)
    if job.state == "failed" and job.error is not None and job.error.code == "sql_error":
        raise ModelRetry(f"sql_error: {job.error.message}")
    preview = None
    if job.state == "succeeded":
        query_id = ctx.tool_call_id or job.job_id
        preview = await preview_result(deps.jobs, job, deps.settings, query_id=query_id)
    return ToolReturn(return_value=model_view(job, preview), metadata=SparkOutcome(job, preview))


def model_view(job: Job, preview: QueryResult | None) -> dict[str, Any]:
    """What the model sees of a job: state and message, then schema, rows and links if done."""
    view: dict[str, Any] = {"job_id": job.job_id, "state": job.state, "message": job.message}
    if job.state in ("queued", "running"):
        view["message"] = (
            f"{job.message} The job continues in the background; the analyst sees its "
            "progress and gets the download links when it finishes."
        )
    if preview is None:
        return view
    return view | {
        "row_count": job.row_count,
        "columns": [c.model_dump() for c in job.columns],
        "rows": preview.rows[:MODEL_PREVIEW_ROWS],
        "rows_shown": min(len(preview.rows), MODEL_PREVIEW_ROWS),
        "files": [{"format": f.format, "url": f.url} for f in job.files],
    }
