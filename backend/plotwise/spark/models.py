"""The Spark job as the API, the SSE ``job`` event and the CLI show it."""

from __future__ import annotations

from datetime import datetime
from typing import Final, Literal

from pydantic import BaseModel, Field

from plotwise.errors import ErrorBody
from plotwise.sql.result import ColumnSchema

JobState = Literal["queued", "running", "succeeded", "failed", "cancelled"]
"""Where a job is: waiting for a slot, running (starting Spark, computing, writing), or final."""

FINAL_STATES: Final[frozenset[str]] = frozenset({"succeeded", "failed", "cancelled"})
"""States a job never leaves."""

OutputFormat = Literal["parquet", "csv"]
"""File formats a job's result is written in (both, always)."""


class JobProgress(BaseModel):
    """Spark's progress on the job's query: stages and tasks done of those known so far."""

    stages_done: int = 0
    stages_total: int = 0
    tasks_done: int = 0
    tasks_total: int = 0


class JobFile(BaseModel):
    """One result file of a succeeded job."""

    format: OutputFormat
    name: str
    """Download file name, e.g. ``job_1a2b3c4d5e6f7a8b.parquet``."""
    url: str
    """Where to download it: ``/api/jobs/{job_id}/files/{format}``."""
    bytes: int
    """File size."""


class Job(BaseModel):
    """A Spark job: its query, state, progress and, once it succeeded, its result files."""

    job_id: str
    """``job_`` and 16 hex digits."""
    state: JobState
    stage: str
    """Short machine word: ``queued``, ``starting``, ``running``, ``writing``, ``done``."""
    message: str
    """Human text: "Waiting for a Spark slot…", "Running on Spark…", "12,345 rows ready"..."""
    sql: str
    """The DuckDB-dialect query as submitted."""
    spark_sql: str
    """The query as Spark runs it (transpiled by `plotwise.spark.transpile`)."""
    output_format: OutputFormat
    """The format asked for; listed first in ``files``."""
    dataset: str
    conversation_id: str | None = None
    progress: JobProgress = Field(default_factory=JobProgress)
    row_count: int | None = None
    """Rows of the result, once it succeeded."""
    columns: list[ColumnSchema] = Field(default_factory=list)
    """Result columns with DuckDB type names; empty until the job succeeded."""
    files: list[JobFile] = Field(default_factory=list)
    """Parquet and CSV (``output_format`` first); empty unless the job succeeded."""
    error: ErrorBody | None = None
    """Why the job failed."""
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    elapsed_ms: float | None = None
    """From start to a final state, in milliseconds (queueing excluded)."""
