"""Running and recent chat turns, each with the transcript of its encoded SSE events.

A turn runs as its own asyncio task and appends every encoded event to its `LiveTurn`; each
SSE response (the ``POST /api/chat`` that started it, then any resume) is a reader that replays
the transcript from a position and follows it live. Readers leaving do not stop the turn at
once: it waits ``resume_grace_s`` for a reconnect. Finished transcripts are kept
``turn_transcript_ttl_s`` seconds, at most ``turn_transcript_max_turns`` of them.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections import OrderedDict
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from uuid import uuid4

from pydantic import BaseModel
from sse_starlette import ServerSentEvent

from plotwise.api.events import ErrorEvent, MetaEvent, encode_event
from plotwise.errors import (
    NotFoundError,
    PlotwiseError,
    ShuttingDownError,
    TurnStoppedError,
    TurnTooLargeError,
)
from plotwise.settings import Settings

log = logging.getLogger(__name__)

EVENT_OVERHEAD_BYTES = 64
"""What one kept event costs beside its data, id and type, in bytes (for the size cap)."""

FIRST_READER_S = 5.0
"""Seconds a new turn waits for its first reader (the response that started it) at least."""

Prepare = Callable[[BaseModel], Awaitable[BaseModel]]
"""Turns an event into what goes on the wire (e.g. downsampled), once per turn."""


class LiveTurn:
    """One turn's transcript of encoded events and its readers.

    Attributes:
        turn_id: The turn's id (the ``turn_id`` of its ``meta`` event).
        resume_token: The secret a resume or Stop must present (sent in ``meta``).
        events: Every encoded event so far, in order; event ``n`` has id ``<turn_id>:<n>``.
        finished: Whether the turn ended (nothing more will be appended).

    """

    def __init__(self, registry: TurnRegistry, turn_id: str) -> None:
        self.turn_id = turn_id
        self.resume_token = secrets.token_urlsafe(24)
        self.events: list[ServerSentEvent] = []
        self.size = 0
        self.finished = False
        self.finished_at = 0.0
        self.readers = 0
        self.task: asyncio.Task[None] | None = None
        self._registry = registry
        self._changed = asyncio.Event()
        self._expiry: asyncio.TimerHandle | None = None

    def append(self, event: BaseModel) -> None:
        """Encode ``event`` as the next one of the turn and wake the readers."""
        encoded = encode_event(event, turn_id=self.turn_id, sequence=len(self.events))
        self.events.append(encoded)
        self.size += len(encoded.data or "") + len(encoded.id or "") + EVENT_OVERHEAD_BYTES
        self._wake()

    def finish(self, final: BaseModel | None = None) -> None:
        """End the turn, after appending ``final`` (once: a second call does nothing)."""
        if self.finished:
            return
        if final is not None:
            self.append(final)
        self.finished = True
        self.finished_at = time.monotonic()
        self._cancel_expiry()
        self._wake()

    async def follow(self, after: int = -1) -> AsyncIterator[ServerSentEvent]:
        """Yield the events after sequence ``after``, then the live ones until the turn ends.

        Args:
            after: The last sequence the reader has (-1: from the start).

        Yields:
            Encoded events, each exactly once, in order.

        """
        self.join()
        try:
            position = after + 1
            while True:
                changed = self._changed
                while position < len(self.events):
                    yield self.events[position]
                    position += 1
                if self.finished:
                    return
                await changed.wait()
        finally:
            self.leave()

    def join(self) -> None:
        """Count one more reader; a pending stop for lack of readers is called off."""
        self.readers += 1
        self._cancel_expiry()

    def leave(self) -> None:
        """Count one reader fewer; the last one leaving starts the grace period."""
        self.readers -= 1
        if self.readers == 0 and not self.finished:
            self.expire_after(self._registry.settings.resume_grace_s)

    def expire_after(self, seconds: float) -> None:
        """Stop the turn in ``seconds`` unless a reader joins first (at once when 0)."""
        self._cancel_expiry()
        if seconds <= 0:
            self.cancel()
        else:
            self._expiry = asyncio.get_running_loop().call_later(seconds, self._expire)

    def cancel(self) -> None:
        """Stop the turn now (its query too); readers get a ``cancelled`` error event."""
        if self.task is not None and not self.task.done():
            self.task.cancel()

    def _expire(self) -> None:
        self._expiry = None
        if self.readers == 0:
            self.cancel()

    def _cancel_expiry(self) -> None:
        if self._expiry is not None:
            self._expiry.cancel()
            self._expiry = None

    def _wake(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()


class TurnRegistry:
    """The turns of this process: running ones, and recently finished ones for a resume."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._turns: OrderedDict[str, LiveTurn] = OrderedDict()
        self._closing = False

    def start(
        self, events: Callable[[str], AsyncGenerator[BaseModel]], prepare: Prepare
    ) -> LiveTurn:
        """Start a turn as its own task, stopped unless a reader follows it soon.

        Args:
            events: Given the new turn id, yields the turn's events (``run_turn``), the first
                a `MetaEvent`, which gets the turn's ``resume_token``.
            prepare: Applied to each event before it is encoded.

        Returns:
            The running turn, to `LiveTurn.follow`.

        Raises:
            ShuttingDownError: The server is shutting down.

        """
        if self._closing:
            raise ShuttingDownError("the server is shutting down; ask again in a moment")
        self._prune()
        turn = LiveTurn(self, uuid4().hex)
        self._turns[turn.turn_id] = turn
        turn.task = asyncio.create_task(self._run(turn, events(turn.turn_id), prepare))
        # Until its first reader joins: a client gone before its response began must not keep
        # the turn running (no reader will ever leave to start the grace period).
        turn.expire_after(max(self.settings.resume_grace_s, FIRST_READER_S))
        return turn

    def get(self, turn_id: str, resume_token: str | None) -> LiveTurn:
        """The turn ``turn_id`` if ``resume_token`` is its token.

        Raises:
            NotFoundError: No such turn, it expired, or the token is not its token (the same
                answer for all three, so an id alone reveals nothing).

        """
        self._prune()
        turn = self._turns.get(turn_id)
        if (
            turn is None
            or resume_token is None
            or not secrets.compare_digest(turn.resume_token, resume_token)
        ):
            raise NotFoundError(f"no turn {turn_id!r} to resume (unknown, expired, or not yours)")
        return turn

    async def stop(self, turn: LiveTurn) -> None:
        """Stop ``turn`` now and wait until it ended (its query interrupted)."""
        turn.cancel()
        if turn.task is not None:
            await asyncio.wait({turn.task})

    async def shutdown(self, grace_s: float) -> None:
        """Refuse new turns, stop the running ones, and give their readers the final event.

        Every open stream gets an ``error`` event ``shutting_down`` (or the turn's own last
        event) and ends; this waits up to ``grace_s`` seconds for the readers to leave.
        """
        self._closing = True
        running = [turn for turn in self._turns.values() if not turn.finished]
        for turn in running:
            turn.cancel()
        tasks = {turn.task for turn in running if turn.task is not None}
        if tasks:
            await asyncio.wait(tasks, timeout=grace_s / 2)
        deadline = time.monotonic() + grace_s / 2
        while any(turn.readers for turn in self._turns.values()) and time.monotonic() < deadline:
            await asyncio.sleep(0.01)

    async def _run(
        self, turn: LiveTurn, events: AsyncGenerator[BaseModel], prepare: Prepare
    ) -> None:
        budget = self.settings.turn_transcript_max_bytes
        try:
            async for event in events:
                if isinstance(event, MetaEvent):
                    event = event.model_copy(update={"resume_token": turn.resume_token})
                turn.append(await prepare(event))
                if turn.size > budget:
                    raise TurnTooLargeError(
                        f"the turn's events outgrew {budget} bytes and it was stopped"
                    )
            turn.finish()
        except asyncio.CancelledError:
            stopped: PlotwiseError = (
                ShuttingDownError("the server is shutting down; the turn was stopped")
                if self._closing
                else TurnStoppedError("the turn was stopped")
            )
            turn.finish(_error_event(stopped, turn.turn_id))
            raise
        except Exception as exc:  # noqa: BLE001 - a reader must always see the turn end
            if not isinstance(exc, PlotwiseError):
                log.error("turn %s failed outside run_turn", turn.turn_id, exc_info=exc)
                exc = PlotwiseError(f"internal error ({type(exc).__name__}); see the server log")
            turn.finish(_error_event(exc, turn.turn_id))
        finally:
            await events.aclose()
            turn.finish()
            self._prune()

    def _prune(self) -> None:
        """Forget finished turns past their time to live, and the oldest beyond the cap."""
        now = time.monotonic()
        ttl = self.settings.turn_transcript_ttl_s
        finished = [t for t in self._turns.values() if t.finished and t.readers == 0]
        for turn in finished:
            if now - turn.finished_at > ttl:
                del self._turns[turn.turn_id]
        finished = [t for t in self._turns.values() if t.finished and t.readers == 0]
        excess = len(finished) - self.settings.turn_transcript_max_turns
        for turn in sorted(finished, key=lambda t: t.finished_at)[: max(excess, 0)]:
            del self._turns[turn.turn_id]


def _error_event(error: PlotwiseError, turn_id: str) -> ErrorEvent:
    return ErrorEvent(**error.to_body(trace_id=turn_id).model_dump())
