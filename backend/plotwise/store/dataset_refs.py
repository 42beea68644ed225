"""Where conversations and artifacts name datasets: the active ones, and renames and deletes."""

from __future__ import annotations

from sqlalchemy import String, cast, update
from sqlmodel import col, select

from plotwise.errors import NotFoundError
from plotwise.store.database import Database
from plotwise.store.models import Artifact, Conversation


def active_datasets(db: Database, conversation_id: str) -> list[str]:
    """The conversation's active datasets ([] for the default, or a conversation never seen)."""
    with db.read() as session:
        row = session.get(Conversation, conversation_id)
        return list(row.datasets) if row is not None else []


def set_datasets(db: Database, conversation_id: str, datasets: list[str]) -> None:
    """Replace the conversation's active datasets.

    Raises:
        NotFoundError: No conversation has that id.

    """
    with db.write() as session:
        row = session.get(Conversation, conversation_id, with_for_update=True)
        if row is None:
            raise NotFoundError(f"conversation {conversation_id!r} does not exist")
        row.datasets = list(datasets)


def rename_dataset_refs(db: Database, old: str, new: str | None) -> None:
    """Follow a renamed (``new``) or deleted (None) dataset in conversations and artifacts.

    Conversations list ``new`` in its place (or no longer list it); artifacts that read only
    ``old`` refresh from ``new`` (a deleted one's refresh then names the missing dataset).
    """
    with db.write() as session:
        rows = session.exec(
            select(Conversation).where(
                cast(col(Conversation.datasets), String).contains(f'"{old}"', autoescape=True)
            )
        ).all()
        for row in rows:
            if old in row.datasets:
                names = [new if name == old else name for name in row.datasets]
                row.datasets = [n for n in dict.fromkeys(names) if n is not None]
        if new is not None:
            session.execute(
                update(Artifact).where(col(Artifact.dataset) == old).values(dataset=new)
            )
