"""One chat turn: run the agent and translate its events into Plotwise's SSE events.

Used by the ``/api/chat`` endpoint and by the CLI (``ask``, ``eval``), so the browser, the
terminal and the evaluation all see the same turn.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Sequence
from uuid import uuid4

import anyio
from pydantic import BaseModel
from pydantic_ai.exceptions import UnexpectedModelBehavior, UsageLimitExceeded
from pydantic_ai.messages import (
    FunctionToolCallEvent,
    FunctionToolResultEvent,
    PartDeltaEvent,
    PartStartEvent,
    TextPart,
    TextPartDelta,
)
from pydantic_ai.run import AgentRunResultEvent
from pydantic_ai.usage import UsageLimits

from plotwise.agent.failures import model_failure
from plotwise.agent.fix import FixRequest
from plotwise.agent.spark_tool import JobProgressEvent, SparkOutcome
from plotwise.api.events import (
    ArtifactEvent,
    DataEvent,
    DoneEvent,
    ErrorEvent,
    JobEvent,
    MetaEvent,
    RevisionEvent,
    StageEvent,
    TextEvent,
    ToolCallEvent,
    ToolResultEvent,
    Usage,
)
from plotwise.artifact.extract import find_component
from plotwise.artifact.policy import validate_component
from plotwise.artifact.store import ArtifactRecord, new_artifact_id
from plotwise.errors import ErrorBody, ModelError, PlotwiseError, TurnTimeoutError
from plotwise.logs import reset_trace, trace_id
from plotwise.metrics import TimedModel
from plotwise.services import Services
from plotwise.sql.cache import CachedResult
from plotwise.store.models import TurnUsage
from plotwise.store.transcript import STOPPED, TurnTranscript

log = logging.getLogger(__name__)


class _TurnState:
    """What the translation has seen so far in one turn."""

    def __init__(self, services: Services, conversation_id: str, question: str) -> None:
        self.services = services
        self.conversation_id = conversation_id
        self.question = question
        self.text = ""
        self.scanned = 0
        self.last_result: CachedResult | None = None
        self.last_job_id: str | None = None
        """The Spark job behind `last_result`, when ``submit_spark`` produced it."""
        self.stage = "thinking"
        self.dataset: str | None = None
        """The active datasets' name (``a+b`` for several), recorded on artifacts."""
        self.refused: list[str] = []
        """Problems of the last component the policy refused in this turn."""


async def run_turn(
    services: Services,
    message: str,
    conversation_id: str | None = None,
    dataset: str | None = None,
    *,
    fix: FixRequest | None = None,
    model: str | None = None,
    datasets: Sequence[str] | None = None,
    turn_id: str | None = None,
) -> AsyncIterator[BaseModel]:
    """Run one turn and yield its events (see ``docs/protocol.md``), ending in done or error.

    Args:
        services: The running Plotwise.
        message: The analyst's question.
        conversation_id: Continue this conversation (its history is sent to the model); None
            starts a new one.
        dataset: One dataset to ask against (``nycflights13``, ``penguins``, ``tpch``...): the
            same as ``datasets=[dataset]``.
        datasets: The active datasets; the conversation stores them for its next turns. None
            uses the ones the conversation stored (the default dataset if it has none). An
            unknown name, or a PostgreSQL source combined with anything, ends the turn with a
            ``bad_request`` error before anything is recorded.
        fix: Makes this a "Fix it" turn: the model gets the failed component and its error
            (``message`` is what the conversation shows); the new artifact answers the same
            question as the failed one.
        model: The model to answer with, one of `Services.model_names`; the default when None.
            An unknown name ends the turn with a ``bad_request`` error.
        turn_id: The turn's id (the turn registry chooses it); a new one when None.

    Yields:
        Event models from `plotwise.api.events`. Failures are yielded as one `ErrorEvent`, never
        raised; cancellation (client gone) propagates and stops the agent and its query.

    """
    conversation_id = conversation_id or uuid4().hex
    turn_id = turn_id or uuid4().hex
    started = time.perf_counter()
    question = fix.artifact.prompt if fix is not None and fix.artifact.prompt else message
    state = _TurnState(services, conversation_id, question)
    transcript = TurnTranscript(services.conversations, conversation_id, message)
    model_name = services.turn_model_name(model)
    # Every record logged during the turn names it (plotwise.logs); its error event does too.
    trace = trace_id.set(turn_id)
    try:
        yield MetaEvent(conversation_id=conversation_id, turn_id=turn_id, model=model_name)
        yield StageEvent(stage="thinking", message="Reading the question…")
        if datasets is None and dataset is not None:
            datasets = [dataset]
        try:
            active = await _active_datasets(services, conversation_id, datasets)
            # An unknown name, or datasets that cannot be combined: refused before anything is kept.
            state.dataset = services.context(active).definition.name
            history = await transcript.start(None if datasets is None else active)
            async with asyncio.timeout(services.settings.turn_timeout_s):
                async with services.agent.run_stream_events(
                    fix.prompt() if fix is not None else message,
                    message_history=history,
                    deps=services.deps(active, conversation_id),
                    model=TimedModel(services.model(active, model), services.metrics, model_name),
                    usage_limits=UsageLimits(request_limit=services.settings.turn_max_requests),
                ) as run:
                    async for event in run:
                        if isinstance(event, AgentRunResultEvent):
                            # Recorded before `done`: a client that reloads the conversation
                            # right after sees this answer.
                            usage = event.result.usage
                            counts = Usage(
                                input_tokens=usage.input_tokens,
                                output_tokens=usage.output_tokens,
                                requests=usage.requests,
                                tool_calls=usage.tool_calls,
                            )
                            await transcript.succeed(
                                event.result.all_messages(),
                                TurnUsage(model=model_name, **counts.model_dump()),
                            )
                            elapsed = time.perf_counter() - started
                            services.metrics.turn_ended("done", elapsed)
                            yield DoneEvent(
                                usage=counts,
                                elapsed_ms=round(elapsed * 1000, 2),
                            )
                            return
                        for out in await _translate(event, state):
                            transcript.observe(out)
                            yield out
        except Exception as exc:  # noqa: BLE001 - any failure must end the stream as an error event
            services.metrics.turn_ended("error", time.perf_counter() - started)
            error = _error_body(exc, services, turn_id, state)
            services.metrics.error(error.code)
            await transcript.fail(error)
            yield ErrorEvent(**error.model_dump())
        finally:
            # Still unfinished here means the client left (cancellation): record the partial answer.
            await transcript.fail(STOPPED)

    finally:
        reset_trace(trace)


async def _active_datasets(
    services: Services, conversation_id: str, datasets: Sequence[str] | None
) -> list[str]:
    """The turn's active datasets: those named, else the conversation's that still exist."""
    if datasets is not None:
        return list(dict.fromkeys(datasets))
    stored = await services.conversations.active_datasets(conversation_id)
    return [name for name in stored if name in services.datasets]


def _error_body(exc: Exception, services: Services, turn_id: str, state: _TurnState) -> ErrorBody:
    """Turn a failure of the turn into the one error shape."""
    if isinstance(exc, TimeoutError):
        exc = TurnTimeoutError(
            f"the turn took longer than {services.settings.turn_timeout_s:g} s and was stopped"
        )
    elif isinstance(exc, UnexpectedModelBehavior | UsageLimitExceeded) and state.refused:
        exc = ModelError(
            "the model could not write a component that passes the validation policy: "
            + "; ".join(state.refused)
        )
    elif isinstance(exc, UnexpectedModelBehavior | UsageLimitExceeded):
        exc = ModelError(f"the model failed: {exc}")
    elif (provider_error := model_failure(exc, services.settings)) is not None:
        exc = provider_error
    elif not isinstance(exc, PlotwiseError):
        log.error("turn %s failed", turn_id, exc_info=exc)
        exc = PlotwiseError(f"internal error ({type(exc).__name__}); see the server log")
    return exc.to_body(stage=state.stage, trace_id=turn_id)


async def _translate(event: object, state: _TurnState) -> list[BaseModel]:
    """Map one agent event to zero or more Plotwise events."""
    if isinstance(event, PartStartEvent) and isinstance(event.part, TextPart):
        return await _text(event.part.content, state)
    if isinstance(event, PartDeltaEvent) and isinstance(event.delta, TextPartDelta):
        return await _text(event.delta.content_delta, state)
    if isinstance(event, FunctionToolCallEvent):
        state.stage = "query"
        part = event.part
        return [
            StageEvent(stage="query", message=f"Running {part.tool_name}…"),
            ToolCallEvent(
                tool_call_id=part.tool_call_id, tool=part.tool_name, args=part.args_as_dict()
            ),
        ]
    if isinstance(event, FunctionToolResultEvent):
        return _tool_result(event, state)
    if isinstance(event, JobProgressEvent):
        return [JobEvent(tool_call_id=event.tool_call_id or "", job=event.job)]
    return []


async def _text(delta: str, state: _TurnState) -> list[BaseModel]:
    if not delta:
        return []
    out: list[BaseModel] = []
    if state.stage != "answer":
        state.stage = "answer"
        out.append(StageEvent(stage="answer", message="Writing the answer…"))
    state.text += delta
    out.append(TextEvent(delta=delta))
    block = find_component(state.text, state.scanned)
    if block is not None:
        state.scanned = block.end
        problems = await anyio.to_thread.run_sync(validate_component, block.code)
        if problems:
            # Withdrawn, never shown: the output validator sends the problems to the model,
            # whose corrected answer follows.
            state.text, state.scanned, state.stage = "", 0, "fixing"
            state.refused = problems
            out.append(StageEvent(stage="fixing", message="Fixing the component…"))
            out.append(RevisionEvent(problems=problems))
            return out
        out.append(StageEvent(stage="artifact", message="Rendering the artifact…"))
        out.append(await _register_artifact(block.code, block.language, state))
    return out


def _tool_result(event: FunctionToolResultEvent, state: _TurnState) -> list[BaseModel]:
    part = event.part
    state.services.metrics.tool_call(part.tool_name, ok=part.outcome == "success")
    if part.outcome != "success":
        return [
            ToolResultEvent(
                tool_call_id=part.tool_call_id,
                tool=part.tool_name,
                ok=False,
                error=part.model_response_str(),
            )
        ]
    result = part.metadata
    if isinstance(result, SparkOutcome):
        return _spark_result(part.tool_call_id, part.tool_name, result, state)
    if not isinstance(result, CachedResult):
        return [ToolResultEvent(tool_call_id=part.tool_call_id, tool=part.tool_name, ok=True)]
    state.last_result, state.last_job_id = result, None
    return [
        ToolResultEvent(
            tool_call_id=part.tool_call_id,
            tool=part.tool_name,
            ok=True,
            row_count=result.row_count,
            truncated=result.truncated,
            elapsed_ms=result.elapsed_ms,
        ),
        DataEvent(**result.model_dump()),
    ]


def _spark_result(
    tool_call_id: str, tool: str, outcome: SparkOutcome, state: _TurnState
) -> list[BaseModel]:
    """A followed Spark job: its summary, and its preview as the data artifacts bind to."""
    job, preview = outcome.job, outcome.preview
    summary = ToolResultEvent(
        tool_call_id=tool_call_id,
        tool=tool,
        ok=job.state in ("succeeded", "running", "queued"),
        row_count=job.row_count,
        elapsed_ms=job.elapsed_ms,
        error=None if job.error is None else job.error.message,
    )
    if preview is None:
        return [summary]
    state.last_result, state.last_job_id = preview, job.job_id
    summary.truncated = preview.truncated
    return [summary, DataEvent(**preview.model_dump(), job=job)]


async def _register_artifact(code: str, language: str, state: _TurnState) -> ArtifactEvent:
    """Store the artifact (addressable by id), bound to the turn's last successful query."""
    result = state.last_result
    record = ArtifactRecord(
        artifact_id=new_artifact_id(),
        conversation_id=state.conversation_id,
        prompt=state.question,
        code=code,
        language=language,
        query_id=result.query_id if result else None,
        sql=result.sql if result else None,
        param_specs=result.param_specs if result else [],
        job_id=state.last_job_id,
        dataset=state.dataset,
    )
    await state.services.artifacts.add(record)
    return ArtifactEvent(
        artifact_id=record.artifact_id,
        code=code,
        language=language,
        query_id=record.query_id,
        job_id=record.job_id,
    )
