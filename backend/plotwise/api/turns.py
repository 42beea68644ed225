"""A turn's stream after a dropped connection, and Stop: ``/api/turns/{turn_id}``.

Both need the turn's ``resume_token`` (from its ``meta`` event) in ``X-Resume-Token``: an unknown
turn, an expired one and a wrong token all answer the same 404.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Path, Response
from sse_starlette import EventSourceResponse, ServerSentEvent

from plotwise.api.deps import TurnsDep
from plotwise.errors import BadRequestError
from plotwise.settings import Settings

router = APIRouter(prefix="/api/turns")

PING_S = 15
"""Seconds between keep-alive comments on an idle stream (proxies drop silent connections)."""

TurnId = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
ResumeToken = Annotated[str | None, Header(alias="X-Resume-Token", max_length=128)]
LastEventId = Annotated[str | None, Header(alias="Last-Event-ID", max_length=200)]


def event_stream(events: AsyncIterator[ServerSentEvent], settings: Settings) -> EventSourceResponse:
    """The SSE response of a turn's reader: pings every 15 s, a stalled reader dropped.

    Args:
        events: A `LiveTurn.follow` iterator.
        settings: Its ``sse_send_timeout_s`` bounds each write.

    Returns:
        The response; a write blocked longer than the timeout ends it (the reader left).

    """
    return EventSourceResponse(events, ping=PING_S, send_timeout=settings.sse_send_timeout_s)


_NOT_FOUND = {404: {"description": "unknown turn, expired transcript, or wrong X-Resume-Token"}}


@router.get(
    "/{turn_id}/events",
    response_class=EventSourceResponse,
    responses={**_NOT_FOUND, 400: {"description": "Last-Event-ID is not one of this turn's"}},
)
async def resume(
    turn_id: TurnId,
    turns: TurnsDep,
    resume_token: ResumeToken = None,
    last_event_id: LastEventId = None,
) -> EventSourceResponse:
    """Stream a turn's events after ``Last-Event-ID`` (all of them without one), then live ones.

    Raises:
        NotFoundError: Unknown turn, expired transcript, or wrong ``X-Resume-Token`` (404).
        BadRequestError: ``Last-Event-ID`` is not ``<turn_id>:<sequence>`` of this turn (400).

    """
    turn = turns.get(turn_id, resume_token)
    return event_stream(turn.follow(_last_sequence(turn_id, last_event_id)), turns.settings)


@router.delete("/{turn_id}", status_code=204, responses=_NOT_FOUND)
async def stop(turn_id: TurnId, turns: TurnsDep, resume_token: ResumeToken = None) -> Response:
    """Stop a running turn now (Stop in the UI); its readers get an ``error`` ``cancelled``.

    Answers once the turn and its query stopped; a turn that already ended stays as it was.

    Raises:
        NotFoundError: Unknown turn, expired transcript, or wrong ``X-Resume-Token`` (404).

    """
    await turns.stop(turns.get(turn_id, resume_token))
    return Response(status_code=204)


def _last_sequence(turn_id: str, last_event_id: str | None) -> int:
    """The sequence in ``Last-Event-ID`` (``<turn_id>:<n>``), -1 when absent."""
    if not last_event_id:
        return -1
    owner, _, sequence = last_event_id.rpartition(":")
    if owner != turn_id or not sequence.isdigit():
        raise BadRequestError(f"Last-Event-ID must be '{turn_id}:<sequence>'")
    return int(sequence)
