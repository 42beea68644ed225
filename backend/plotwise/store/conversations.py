"""Conversations in the database: the model's message history and the transcript the user saw.

The history (PydanticAI's messages, as ``ModelMessagesTypeAdapter`` JSON) is what a follow-up
sends to the model, so context survives restarts. The transcript (`Message` rows) is what the
conversation list and a reopened conversation show.
"""

from __future__ import annotations

from dataclasses import replace

from pydantic_ai.messages import (
    ModelMessage,
    ModelMessagesTypeAdapter,
    ModelRequest,
    ToolReturnPart,
)
from sqlalchemy import func, update
from sqlmodel import Session, col, delete, select

from plotwise.artifact.store import ArtifactRecord
from plotwise.errors import ErrorBody, NotFoundError
from plotwise.spark.models import Job
from plotwise.store.artifacts import to_record
from plotwise.store.database import Database
from plotwise.store.dataset_refs import active_datasets, rename_dataset_refs, set_datasets
from plotwise.store.jobs import to_job
from plotwise.store.models import (
    Answer,
    Artifact,
    Conversation,
    ConversationDetail,
    ConversationPage,
    ConversationSummary,
    Message,
    MessagePublic,
    SparkJob,
    TurnUsage,
)
from plotwise.store.types import new_id, utcnow

TITLE_CHARS = 200
"""A conversation's title is its first question, cut at this many characters."""


def load_history(db: Database, conversation_id: str) -> list[ModelMessage]:
    """The model's messages so far ([] for a conversation never seen)."""
    with db.read() as session:
        row = session.get(Conversation, conversation_id)
        return _history(row)


def save_history(db: Database, conversation_id: str, messages: list[ModelMessage]) -> None:
    """Replace the conversation's model history with ``messages`` (creating the conversation)."""
    with db.write() as session:
        row = _conversation(session, conversation_id, title=_first_prompt(messages))
        row.history = _dump_history(messages)
        row.updated_at = utcnow()


def record_question(
    db: Database, conversation_id: str, question: str, datasets: list[str] | None = None
) -> list[ModelMessage]:
    """Add the user's message (creating the conversation) and return the history to send.

    The question is written before the model answers, so it stays in the transcript even when
    the turn then fails or the process dies.

    Args:
        db: The store.
        conversation_id: The conversation.
        question: The user's message.
        datasets: The turn's active datasets, stored as the conversation's; None keeps them.

    """
    with db.write() as session:
        row = _conversation(session, conversation_id, title=question)
        if datasets is not None:
            row.datasets = list(datasets)
        session.add(
            Message(
                id=new_id("msg"),
                conversation_id=conversation_id,
                position=_next_position(session, conversation_id),
                role="user",
                content=question,
            )
        )
        row.updated_at = utcnow()
        return _history(row)


def record_answer(
    db: Database,
    conversation_id: str,
    answer: Answer,
    messages: list[ModelMessage] | None = None,
) -> str:
    """Add the assistant's message, link its artifacts and jobs to it, save the history if given.

    Returns:
        The new message's id.

    """
    with db.write() as session:
        row = _conversation(session, conversation_id, title="")
        message = Message(
            id=new_id("msg"),
            conversation_id=conversation_id,
            position=_next_position(session, conversation_id),
            role="assistant",
            content=answer.content,
            sql=answer.sql,
            error=answer.error.model_dump() if answer.error else None,
            usage=answer.usage.model_dump() if answer.usage else None,
        )
        session.add(message)
        session.flush()
        if answer.artifact_ids:
            session.execute(
                update(Artifact)
                .where(col(Artifact.artifact_id).in_(answer.artifact_ids))
                .where(col(Artifact.conversation_id) == conversation_id)
                .values(message_id=message.id)
            )
        if answer.job_ids:
            session.execute(
                update(SparkJob)
                .where(col(SparkJob.id).in_(answer.job_ids))
                .where(col(SparkJob.conversation_id) == conversation_id)
                .values(message_id=message.id)
            )
        if messages is not None:
            row.history = _dump_history(messages)
        row.updated_at = utcnow()
        return message.id


def list_conversations(db: Database, *, limit: int = 50, offset: int = 0) -> ConversationPage:
    """A page of conversations, most recently updated first, with their message counts."""
    counts = (
        select(Message.conversation_id, func.count().label("n"))
        .group_by(Message.conversation_id)
        .subquery()
    )
    query = (
        select(Conversation, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.conversation_id == Conversation.id)
        .order_by(col(Conversation.updated_at).desc(), col(Conversation.id))
        .offset(offset)
        .limit(limit)
    )
    with db.read() as session:
        total = session.exec(select(func.count()).select_from(Conversation)).one()
        items = [
            ConversationSummary(
                **row.model_dump(exclude={"history", "datasets"}),
                datasets=list(row.datasets),
                message_count=count,
            )
            for row, count in session.exec(query).all()
        ]
    return ConversationPage(items=items, total=total)


def get_conversation(db: Database, conversation_id: str) -> ConversationDetail:
    """The conversation with its messages and their artifacts.

    Raises:
        NotFoundError: No conversation has that id.

    """
    with db.read() as session:
        row = _existing(session, conversation_id)
        rows = session.exec(
            select(Message)
            .where(Message.conversation_id == conversation_id)
            .order_by(col(Message.position))
        ).all()
        artifacts: dict[str, list[ArtifactRecord]] = {}
        for artifact in session.exec(
            select(Artifact)
            .where(Artifact.conversation_id == conversation_id)
            .order_by(col(Artifact.created_at))
        ).all():
            artifacts.setdefault(artifact.message_id or "", []).append(to_record(artifact))
        jobs: dict[str, list[Job]] = {}
        for job in session.exec(
            select(SparkJob)
            .where(SparkJob.conversation_id == conversation_id)
            .order_by(col(SparkJob.created_at), col(SparkJob.id))
        ).all():
            jobs.setdefault(job.message_id or "", []).append(to_job(job))
        messages = [
            MessagePublic(
                **message.model_dump(exclude={"conversation_id", "position", "error", "usage"}),
                error=ErrorBody.model_validate(message.error) if message.error else None,
                usage=TurnUsage.model_validate(message.usage) if message.usage else None,
                artifacts=artifacts.get(message.id, []),
                jobs=jobs.get(message.id, []),
            )
            for message in rows
        ]
        return ConversationDetail(
            **row.model_dump(exclude={"history", "datasets"}),
            datasets=list(row.datasets),
            messages=messages,
        )


def delete_conversation(db: Database, conversation_id: str) -> None:
    """Delete the conversation; its messages and artifacts go with it (foreign key cascade).

    Raises:
        NotFoundError: No conversation has that id.

    """
    with db.write() as session:
        _existing(session, conversation_id)
        session.exec(delete(Conversation).where(col(Conversation.id) == conversation_id))


def _existing(session: Session, conversation_id: str) -> Conversation:
    row = session.get(Conversation, conversation_id)
    if row is None:
        raise NotFoundError(f"conversation {conversation_id!r} does not exist")
    return row


def _conversation(session: Session, conversation_id: str, *, title: str) -> Conversation:
    """The conversation's row, locked for this transaction (PostgreSQL), created if missing."""
    row = session.get(Conversation, conversation_id, with_for_update=True)
    if row is None:
        row = Conversation(id=conversation_id, title=title[:TITLE_CHARS])
        session.add(row)
        session.flush()
    return row


def _next_position(session: Session, conversation_id: str) -> int:
    last = session.exec(
        select(func.max(Message.position)).where(Message.conversation_id == conversation_id)
    ).one()
    return 0 if last is None else last + 1


def _history(row: Conversation | None) -> list[ModelMessage]:
    if row is None:
        return []
    return ModelMessagesTypeAdapter.validate_json(row.history)


def _dump_history(messages: list[ModelMessage]) -> str:
    """The history as JSON, without tool return metadata.

    ``run_sql`` returns the whole result as metadata for the UI (up to the row cap); the model
    never sees metadata, so storing it would only grow every conversation.
    """
    slim = [
        replace(
            message,
            parts=[
                replace(part, metadata=None) if isinstance(part, ToolReturnPart) else part
                for part in message.parts
            ],
        )
        if isinstance(message, ModelRequest)
        else message
        for message in messages
    ]
    return ModelMessagesTypeAdapter.dump_json(slim).decode()


def _first_prompt(messages: list[ModelMessage]) -> str:
    for message in messages:
        for part in getattr(message, "parts", []):
            if getattr(part, "part_kind", "") == "user-prompt" and isinstance(part.content, str):
                return part.content
    return ""


class ConversationStore:
    """The conversations of a `Database`, for async code (the work runs in a worker thread)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def history(self, conversation_id: str) -> list[ModelMessage]:
        """Return the conversation's model messages ([] for a new conversation)."""
        return await self._db.run(load_history, self._db, conversation_id)

    async def save(self, conversation_id: str, messages: list[ModelMessage]) -> None:
        """Replace the conversation's model messages with ``messages`` (a whole history)."""
        await self._db.run(save_history, self._db, conversation_id, messages)

    async def record_question(
        self, conversation_id: str, question: str, datasets: list[str] | None = None
    ) -> list[ModelMessage]:
        """See `record_question`."""
        return await self._db.run(record_question, self._db, conversation_id, question, datasets)

    async def active_datasets(self, conversation_id: str) -> list[str]:
        """See `active_datasets`."""
        return await self._db.run(active_datasets, self._db, conversation_id)

    async def set_datasets(self, conversation_id: str, datasets: list[str]) -> None:
        """See `set_datasets`."""
        await self._db.run(set_datasets, self._db, conversation_id, datasets)

    async def rename_dataset(self, old: str, new: str | None) -> None:
        """See `rename_dataset_refs`."""
        await self._db.run(rename_dataset_refs, self._db, old, new)

    async def record_answer(
        self, conversation_id: str, answer: Answer, messages: list[ModelMessage] | None = None
    ) -> str:
        """See `record_answer`."""
        return await self._db.run(record_answer, self._db, conversation_id, answer, messages)

    async def listing(self, *, limit: int = 50, offset: int = 0) -> ConversationPage:
        """See `list_conversations`."""
        return await self._db.run(list_conversations, self._db, limit=limit, offset=offset)

    async def get(self, conversation_id: str) -> ConversationDetail:
        """See `get_conversation`."""
        return await self._db.run(get_conversation, self._db, conversation_id)

    async def delete(self, conversation_id: str) -> None:
        """See `delete_conversation`."""
        await self._db.run(delete_conversation, self._db, conversation_id)
