"""One Spark job from start to final state, in a job thread.

Stages: ``starting`` (only while Spark is not up yet), ``running`` (the query on Spark, its
result fetched into this process with ``toArrow()``), ``writing`` (Parquet and CSV into a
temporary folder) and ``done``. The result is fetched with a limit of the row cap plus one, so
a result over ``PLOTWISE_SPARK_MAX_ROWS`` fails the job instead of filling the memory.
"""

from __future__ import annotations

import logging
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
from pyspark.errors import AnalysisException, PySparkException

from plotwise.errors import (
    ErrorBody,
    JobFailedError,
    PlotwiseError,
    SQLExecutionError,
)
from plotwise.spark import results
from plotwise.spark.engine import SparkEngine
from plotwise.spark.models import JobProgress
from plotwise.spark.runs import JobRun
from plotwise.sql.result import ColumnSchema
from plotwise.store.types import utcnow

log = logging.getLogger(__name__)

PROGRESS_INTERVAL_S = 0.25
"""Least time between two published progress changes of a job (about 4 per second)."""


@dataclass(frozen=True)
class RunContext:
    """What every job run needs besides its own `JobRun`."""

    engine: SparkEngine
    artifacts_dir: Path
    max_rows: int


def run_job(context: RunContext, run: JobRun) -> None:
    """Run a queued job to a final state (or return at once if it was cancelled meanwhile).

    Never raises: a failure becomes the job's ``failed`` state with its error.
    """
    engine = context.engine
    started = time.perf_counter()
    starting = not engine.started
    if not run.change(
        state="running",
        stage="starting" if starting else "running",
        message="Starting Spark…" if starting else "Running on Spark…",
        started_at=utcnow(),
    ):
        return
    temp = results.temp_folder(context.artifacts_dir, run.job.job_id)
    try:
        engine.session()
        if starting and not run.change(stage="running", message="Running on Spark…"):
            return
        progress = ProgressPublisher(engine, run)
        table = _fetch(context, run, progress)
        if table is None or not run.change(
            stage="writing", message="Writing Parquet and CSV…", progress=progress.finished()
        ):
            return
        results.write_files(table, temp, run.job.job_id)
        columns = results.result_columns(table.schema)
        run.complete(lambda: _succeed(context, run, temp, table.num_rows, columns, started))
    except Exception as error:  # noqa: BLE001 - every failure becomes the job's error
        stage = run.job.stage
        if run.change(
            state="failed",
            stage="done",
            message=_first_line(error_message(error)),
            error=job_error(error, stage),
            finished_at=utcnow(),
            elapsed_ms=(time.perf_counter() - started) * 1000,
        ):
            log.info("Spark job %s failed while %s: %s", run.job.job_id, stage, error)
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def job_error(error: BaseException, stage: str) -> ErrorBody:
    """The error body of a job that failed with ``error`` while in ``stage``.

    Plotwise's own errors keep their code; Spark's analysis errors are ``sql_error`` (the SQL
    can be fixed); anything else is ``job_failed``.
    """
    if isinstance(error, PlotwiseError):
        return error.to_body(stage=stage)
    if isinstance(error, AnalysisException):
        return SQLExecutionError(error_message(error)).to_body(stage=stage)
    return JobFailedError(error_message(error)).to_body(stage=stage)


def error_message(error: BaseException) -> str:
    """Spark's message without the query plan and the JVM stack trace it carries."""
    if isinstance(error, PlotwiseError):
        return error.message
    text = error.getMessage() if isinstance(error, PySparkException) else str(error)
    text = text.split("JVM stacktrace:", 1)[0].strip()
    # An analysis error goes on with the logical plan, one node per line: keep the first line.
    first = text.splitlines()[0].strip() if text else ""
    return first.rstrip(";") or type(error).__name__


def _fetch(context: RunContext, run: JobRun, progress: ProgressPublisher) -> pa.Table | None:
    """Run the job's Spark SQL and fetch at most the row cap plus one row.

    Returns:
        The result, or None when the job was cancelled meanwhile.

    Raises:
        JobFailedError: The result has more rows than the cap.
        pyspark.errors.PySparkException: Spark failed the query.

    """
    with context.engine.operation(run.tag, progress) as session:
        if run.final:
            return None
        table = session.sql(run.job.spark_sql).limit(context.max_rows + 1).toArrow()
    if run.final:
        return None
    if table.num_rows > context.max_rows:
        raise JobFailedError(
            f"the result has more than {context.max_rows:,} rows (PLOTWISE_SPARK_MAX_ROWS); "
            "aggregate or filter it in the SQL"
        )
    return table


def _succeed(
    context: RunContext,
    run: JobRun,
    temp: Path,
    rows: int,
    columns: list[ColumnSchema],
    started: float,
) -> dict[str, Any]:
    """Move the files into place and return the job's success fields (under the run's lock)."""
    job_id = run.job.job_id
    target = results.jobs_folder(context.artifacts_dir) / job_id
    results.commit(temp, target)
    return {
        "state": "succeeded",
        "stage": "done",
        "message": f"{rows:,} rows ready",
        "row_count": rows,
        "columns": columns,
        "files": results.job_files(target, job_id, run.job.output_format),
        "finished_at": utcnow(),
        "elapsed_ms": (time.perf_counter() - started) * 1000,
    }


class ProgressPublisher:
    """Spark's progress reports for one job, published at most every `PROGRESS_INTERVAL_S`.

    Called by the engine (`SparkEngine.operation`) in the job's thread. Reports without tasks
    or without news are dropped; so are changes within the interval of the last one published
    (the finished job's progress is set by `finished`).
    """

    def __init__(self, engine: SparkEngine, run: JobRun) -> None:
        """Publish ``run``'s progress; ``engine`` interrupts it if it was cancelled meanwhile."""
        self._engine = engine
        self._run = run
        self._last: JobProgress = run.job.progress
        self._published_at = 0.0
        self._interrupted = False

    def __call__(self, progress: JobProgress, done: bool) -> None:
        """Take one report of Spark's (``done``: its operation ended)."""
        if self._run.final:
            # Cancelled before Spark knew the operation: interrupt it now that it runs.
            if not self._interrupted:
                self._interrupted = True
                self._engine.interrupt(self._run.tag)
            return
        if progress.tasks_total == 0 or progress == self._last:
            return
        self._last = progress
        now = time.monotonic()
        if now - self._published_at >= PROGRESS_INTERVAL_S:
            self._published_at = now
            self._run.change(progress=progress)

    def finished(self) -> JobProgress:
        """The progress of a finished operation: every known stage and task done."""
        last = self._last
        return JobProgress(
            stages_done=last.stages_total,
            stages_total=last.stages_total,
            tasks_done=last.tasks_total,
            tasks_total=last.tasks_total,
        )


def _first_line(text: str) -> str:
    return text.splitlines()[0] if text else text
