"""``POST /api/chat``: one chat turn as Server-Sent Events, and ``GET /api/config``."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import anyio
from fastapi import APIRouter, Request
from pydantic import BaseModel, Field, field_validator
from sse_starlette import EventSourceResponse

from plotwise.agent.fix import FixRequest
from plotwise.api.deps import ServicesDep, TurnsDep
from plotwise.api.events import DataEvent
from plotwise.api.turns import event_stream
from plotwise.origins import SANDBOX_PATH, sandbox_origin
from plotwise.sql.downsample import downsample_result
from plotwise.turn import run_turn

router = APIRouter(prefix="/api")

MAX_FIX_ERROR = 2000
"""Longest error a "Fix it" request may carry, in characters (the sandbox sends at most this)."""


class ChatRequest(BaseModel):
    """Body of ``POST /api/chat``."""

    conversation_id: str | None = Field(default=None, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    """Continue this conversation; omit to start a new one."""
    message: str = Field(max_length=4000)
    """The analyst's question."""
    dataset: str | None = Field(default=None, max_length=64)
    """One dataset to ask against: the same as ``datasets: [dataset]`` (kept for older
    clients)."""
    datasets: list[Annotated[str, Field(max_length=64)]] | None = Field(default=None, max_length=20)
    """The active datasets (see ``GET /api/datasets``); the conversation keeps them for its
    next turns. Omitted: the conversation's own (the default dataset if it has none); [] means
    the default dataset."""
    fix: FixBody | None = None
    """Ask the model to fix this failed artifact (the "Fix it" action)."""
    model: str | None = Field(default=None, max_length=200)
    """The model to answer with, one of ``models`` in ``GET /api/config``; the default when
    omitted."""

    @field_validator("message")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("message must not be empty")
        return value


class FixBody(BaseModel):
    """Part of ``POST /api/chat`` for "Fix it": which artifact failed, and how."""

    artifact_id: str = Field(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    error: str = Field(min_length=1, max_length=MAX_FIX_ERROR)
    """The error the sandbox reported (compile, render or timeout)."""


class ConfigResponse(BaseModel):
    """What the UI needs to know about the server."""

    model: str
    """The default model."""
    models: list[str]
    """Every model a chat request may name, the default first."""
    dataset: str
    """The default dataset."""
    datasets: list[str]
    """Every dataset a question may name (bundled, uploaded and sources)."""
    tables: list[str]
    max_rows: int
    sandbox_url: str
    """Page the artifact frames load: on the sandbox origin, never the app's."""
    render_timeout_ms: int
    """The frame watchdog: milliseconds to wait for ``rendered`` or ``error``."""


@router.post(
    "/chat",
    response_class=EventSourceResponse,
    responses={
        429: {
            "description": "rate_limited: past PLOTWISE_CHAT_RATE_PER_MINUTE or "
            "PLOTWISE_MAX_TURNS_PER_CLIENT turns at once (Retry-After)"
        },
        503: {"description": "shutting_down: the server is stopping"},
    },
)
async def chat(body: ChatRequest, services: ServicesDep, turns: TurnsDep) -> EventSourceResponse:
    """Start one turn and stream its events (``docs/protocol.md``).

    The turn runs as a task of its own (`plotwise.turns.registry`): this response is its first
    reader, and a dropped one resumes with ``GET /api/turns/{turn_id}/events``.

    Raises:
        BadRequestError: ``model`` names a model that is not offered, or ``datasets`` an
            unknown dataset or ones that cannot be combined (400 before any event).
        NotFoundError: ``fix`` names an artifact that does not exist (404 before any event).
        ShuttingDownError: The server is shutting down (503).

    """
    services.model_choice(body.model)  # an unknown model: 400, before any event
    datasets = body.datasets
    if datasets is None and body.dataset is not None:
        datasets = [body.dataset]
    if datasets is not None:
        services.context(datasets)  # unknown or uncombinable datasets: 400, before any event
    fix = None
    if body.fix is not None:
        artifact = await services.artifacts.get(body.fix.artifact_id)
        fix = FixRequest(artifact=artifact, error=body.fix.error)

    budget = services.settings.point_budget

    def events(turn_id: str) -> AsyncGenerator[BaseModel]:
        return run_turn(
            services,
            body.message,
            body.conversation_id,
            fix=fix,
            model=body.model,
            datasets=datasets,
            turn_id=turn_id,
        )

    async def prepare(event: BaseModel) -> BaseModel:
        if isinstance(event, DataEvent) and len(event.rows) > budget:
            # Only the wire is reduced: the model, the transcript and the CLI keep every row.
            return await anyio.to_thread.run_sync(downsample_result, event, budget)
        return event

    turn = turns.start(events, prepare)
    return event_stream(turn.follow(), services.settings)


@router.get("/config")
async def config(services: ServicesDep, request: Request) -> ConfigResponse:
    """Report the models, the datasets, and where and how long artifacts render."""
    settings = services.settings
    return ConfigResponse(
        model=services.model_name,
        models=services.model_names,
        dataset=services.definition.name,
        datasets=list(services.datasets),
        tables=list(services.definition.tables),
        max_rows=settings.max_rows,
        sandbox_url=sandbox_origin(settings, request.url) + SANDBOX_PATH,
        render_timeout_ms=round(settings.render_timeout_s * 1000),
    )
