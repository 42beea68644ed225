"""Recording one chat turn in the store, from the events the turn sends.

`plotwise.turn.run_turn` starts a `TurnTranscript` (which writes the question and returns the
history for the model), shows it every event it yields, and finishes it once: with the model's
new history when the turn succeeded, with the error otherwise. What the transcript keeps is
exactly what the analyst saw: the streamed markdown, the SQL of the successful queries (the
``data`` events) and the artifacts.
"""

from __future__ import annotations

import logging

import anyio
from pydantic import BaseModel
from pydantic_ai.messages import ModelMessage

from plotwise.api.events import ArtifactEvent, DataEvent, JobEvent, RevisionEvent, TextEvent
from plotwise.errors import ErrorBody
from plotwise.store.conversations import ConversationStore
from plotwise.store.models import Answer, TurnUsage

log = logging.getLogger(__name__)

STOPPED = ErrorBody(
    code="cancelled", message="the turn was stopped before it finished (the client left)"
)
"""Recorded for a turn whose client went away mid-answer."""


class TurnTranscript:
    """The question and answer of one turn, written to the conversation's transcript."""

    def __init__(self, conversations: ConversationStore, conversation_id: str, question: str):
        self._conversations = conversations
        self._conversation_id = conversation_id
        self._question = question
        self._answer = Answer()
        self._started = False
        self.finished = False
        """Whether the answer has been recorded (or recording it was attempted)."""

    async def start(self, datasets: list[str] | None = None) -> list[ModelMessage]:
        """Record the question (and ``datasets`` as the conversation's active ones, if given).

        Returns:
            The conversation's model history before it.

        """
        history = await self._conversations.record_question(
            self._conversation_id, self._question, datasets
        )
        self._started = True
        return history

    def observe(self, event: BaseModel) -> None:
        """Keep what ``event`` adds to the answer (text, a query's SQL, an artifact, a job)."""
        if isinstance(event, TextEvent):
            self._answer.content += event.delta
        elif isinstance(event, RevisionEvent):
            self._answer.content = ""
        elif isinstance(event, DataEvent):
            self._answer.sql.append(event.sql)
        elif isinstance(event, ArtifactEvent):
            self._answer.artifact_ids.append(event.artifact_id)
        elif isinstance(event, JobEvent) and event.job.job_id not in self._answer.job_ids:
            self._answer.job_ids.append(event.job.job_id)

    async def succeed(self, messages: list[ModelMessage], usage: TurnUsage) -> None:
        """Record the answer, what it cost, and the model's new history (the next turn's context).

        Raises:
            sqlalchemy.exc.SQLAlchemyError: The store failed; the turn must then report an error.

        """
        self.finished = True
        self._answer.usage = usage
        await self._conversations.record_answer(self._conversation_id, self._answer, messages)

    async def fail(self, error: ErrorBody) -> None:
        """Record the answer so far with ``error``; the history stays as it was.

        Never raises: a turn that already failed still ends with its own error, and a store
        failure here is logged. Runs shielded, so a cancelled turn still records its end.
        """
        if self.finished or not self._started:
            return
        self.finished = True
        self._answer.error = error
        with anyio.CancelScope(shield=True):
            try:
                await self._conversations.record_answer(self._conversation_id, self._answer)
            except Exception:  # noqa: BLE001 - the turn's own error is what the client must see
                log.exception("could not record the failed turn of %s", self._conversation_id)
