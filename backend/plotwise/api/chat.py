"""``POST /api/chat``: one chat turn as Server-Sent Events, and ``GET /api/config``."""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import APIRouter
from pydantic import BaseModel, Field, field_validator
from sse_starlette import EventSourceResponse, ServerSentEvent

from plotwise.api.deps import ServicesDep
from plotwise.api.events import MetaEvent, encode_event
from plotwise.turn import run_turn

router = APIRouter(prefix="/api")


class ChatRequest(BaseModel):
    """Body of ``POST /api/chat``."""

    conversation_id: str | None = Field(default=None, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    """Continue this conversation; omit to start a new one."""
    message: str = Field(max_length=4000)
    """The analyst's question."""
    dataset: str | None = Field(default=None, max_length=64)
    """The dataset to ask against (see ``GET /api/config``); the default dataset when omitted."""

    @field_validator("message")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("message must not be empty")
        return value


class ConfigResponse(BaseModel):
    """What the UI needs to know about the server."""

    model: str
    dataset: str
    """The default dataset."""
    datasets: list[str]
    """Every dataset a question may name."""
    tables: list[str]
    max_rows: int


@router.post("/chat", response_class=EventSourceResponse)
async def chat(body: ChatRequest, services: ServicesDep) -> EventSourceResponse:
    """Run one turn and stream its events (``docs/protocol.md``)."""

    async def events() -> AsyncIterator[ServerSentEvent]:
        turn_id = ""
        async for sequence, event in _numbered(
            run_turn(services, body.message, body.conversation_id, body.dataset)
        ):
            if isinstance(event, MetaEvent):
                turn_id = event.turn_id
            yield encode_event(event, turn_id=turn_id, sequence=sequence)

    return EventSourceResponse(events(), ping=15, send_timeout=30)


@router.get("/config")
async def config(services: ServicesDep) -> ConfigResponse:
    """Report the active model and dataset."""
    return ConfigResponse(
        model=services.model_name,
        dataset=services.definition.name,
        datasets=list(services.datasets),
        tables=list(services.definition.tables),
        max_rows=services.settings.max_rows,
    )


async def _numbered(events: AsyncIterator[BaseModel]) -> AsyncIterator[tuple[int, BaseModel]]:
    sequence = 0
    async for event in events:
        yield sequence, event
        sequence += 1
