"""The SSE event protocol of a chat turn: one Pydantic model per event type, and its encoding.

This module is the single owner of the wire format documented in ``docs/protocol.md``. Every
event is sent as ``event: <type>`` with a JSON ``data:`` line and an ``id:`` of the form
``<turn_id>:<sequence>``; markdown deltas are JSON-encoded, so newlines never split an event.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, TypeAdapter
from sse_starlette import ServerSentEvent

from plotwise.errors import ErrorBody
from plotwise.spark.models import Job
from plotwise.sql.cache import CachedResult
from plotwise.sql.downsample import DownsampleInfo


class MetaEvent(BaseModel):
    """First event of every turn: which conversation and turn this is, and which model answers."""

    type: Literal["meta"] = "meta"
    conversation_id: str
    turn_id: str
    model: str
    resume_token: str | None = None
    """The turn's secret for a resume (``GET /api/turns/{turn_id}/events``) or Stop
    (``DELETE /api/turns/{turn_id}``), sent back as ``X-Resume-Token``; None outside HTTP."""


class StageEvent(BaseModel):
    """What the turn is doing now, for progress display."""

    type: Literal["stage"] = "stage"
    stage: Literal["thinking", "query", "answer", "artifact", "fixing"]
    message: str


class TextEvent(BaseModel):
    """A delta of the markdown answer; the client appends deltas in order."""

    type: Literal["text"] = "text"
    delta: str


class ToolCallEvent(BaseModel):
    """The model called a tool; ``args`` holds its arguments (for ``run_sql``, the SQL)."""

    type: Literal["tool_call"] = "tool_call"
    tool_call_id: str
    tool: str
    args: dict[str, Any]


class ToolResultEvent(BaseModel):
    """Summary of a tool's outcome; a failed call carries ``error`` and is retried by the model."""

    type: Literal["tool_result"] = "tool_result"
    tool_call_id: str
    tool: str
    ok: bool
    row_count: int | None = None
    truncated: bool | None = None
    elapsed_ms: float | None = None
    error: str | None = None


class DataEvent(CachedResult, DownsampleInfo):
    """A query result, bound to artifacts by ``query_id``; rows are lists in column order.

    On the wire the rows are reduced to ``PLOTWISE_POINT_BUDGET`` for the chart
    (`plotwise.sql.downsample`, flagged ``downsampled``); the turn itself keeps them all.
    """

    type: Literal["data"] = "data"
    job: Job | None = None
    """The Spark job whose result's first rows these are (``submit_spark``); None for run_sql."""


class JobEvent(BaseModel):
    """A snapshot of a Spark job the turn follows: sent on each change, the last one final."""

    type: Literal["job"] = "job"
    tool_call_id: str
    """The ``submit_spark`` call that submitted the job."""
    job: Job


class ArtifactEvent(BaseModel):
    """A complete generated component, extracted from the answer's ```tsx block.

    ``query_id`` names the `DataEvent` whose rows the component renders, or is None when the
    turn ran no successful query.
    """

    type: Literal["artifact"] = "artifact"
    artifact_id: str
    code: str
    language: str
    query_id: str | None
    job_id: str | None = None
    """The Spark job whose result the component renders (its preview), if any."""


class RevisionEvent(BaseModel):
    """The answer so far is withdrawn: its component broke the validation policy.

    The client drops the markdown and artifact it has for this turn; the model's corrected
    answer follows as new ``text`` events. ``problems`` lists what the policy refused.
    """

    type: Literal["revision"] = "revision"
    problems: list[str]


class ErrorEvent(ErrorBody):
    """A failure during the turn, in the project's one error shape; the stream then ends."""

    type: Literal["error"] = "error"


class Usage(BaseModel):
    """Token and request counts of one turn, as reported by the model."""

    input_tokens: int = 0
    output_tokens: int = 0
    requests: int = 0
    tool_calls: int = 0


class DoneEvent(BaseModel):
    """Last event of a turn that ended normally."""

    type: Literal["done"] = "done"
    usage: Usage
    elapsed_ms: float


TurnEvent = Annotated[
    MetaEvent
    | StageEvent
    | TextEvent
    | ToolCallEvent
    | ToolResultEvent
    | DataEvent
    | JobEvent
    | ArtifactEvent
    | RevisionEvent
    | ErrorEvent
    | DoneEvent,
    Field(discriminator="type"),
]
"""Any event of a chat turn, discriminated by ``type``."""

turn_event_adapter: TypeAdapter[TurnEvent] = TypeAdapter(TurnEvent)
"""Validates a decoded event payload (dict) back into its model."""


def encode_event(event: BaseModel, *, turn_id: str, sequence: int) -> ServerSentEvent:
    """Encode one turn event as an SSE message.

    Args:
        event: Any of this module's event models (it must have a ``type`` field).
        turn_id: The turn the event belongs to.
        sequence: The event's position in the turn, from 0.

    Returns:
        A ``ServerSentEvent`` with ``event`` = the type, ``id`` = ``<turn_id>:<sequence>`` and
        ``data`` = the event as one line of JSON (including ``type``).

    """
    return ServerSentEvent(
        data=event.model_dump_json(),
        event=event.type,
        id=f"{turn_id}:{sequence}",
    )
