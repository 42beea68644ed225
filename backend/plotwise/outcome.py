"""The outcome of a whole turn, collected from its events (for the CLI and the evaluation)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from pydantic import BaseModel, JsonValue

from plotwise.api.events import (
    ArtifactEvent,
    DataEvent,
    DoneEvent,
    ErrorEvent,
    JobEvent,
    TextEvent,
)
from plotwise.errors import ErrorBody
from plotwise.spark.models import Job
from plotwise.sql.result import ColumnSchema


class TurnOutcome(BaseModel):
    """Everything a turn produced: the answer, the last successful query's result, the code."""

    answer: str = ""
    sql: str | None = None
    params: dict[str, JsonValue] = {}
    """Query parameter values bound to ``sql``."""
    columns: list[ColumnSchema] = []
    rows: list[list[JsonValue]] = []
    row_count: int = 0
    truncated: bool = False
    code: str | None = None
    error: ErrorBody | None = None
    elapsed_ms: float | None = None
    job: Job | None = None
    """The last Spark job the turn followed, as last seen (``submit_spark``)."""


async def collect(events: AsyncIterator[BaseModel]) -> TurnOutcome:
    """Consume a turn's events and return its outcome."""
    out = TurnOutcome()
    async for event in events:
        if isinstance(event, TextEvent):
            out.answer += event.delta
        elif isinstance(event, DataEvent):
            out.sql, out.columns, out.rows = event.sql, event.columns, event.rows
            out.params = event.params
            out.row_count, out.truncated = event.row_count, event.truncated
        elif isinstance(event, JobEvent):
            out.job = event.job
        elif isinstance(event, ArtifactEvent):
            out.code = event.code
        elif isinstance(event, ErrorEvent):
            out.error = ErrorBody.model_validate(event.model_dump(exclude={"type"}))
        elif isinstance(event, DoneEvent):
            out.elapsed_ms = event.elapsed_ms
    return out
