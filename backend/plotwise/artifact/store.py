"""Artifacts addressable by id: the component code bound to the SQL and parameters it renders.

`ArtifactRecord` is the artifact as the API answers it; the records themselves live in the
database (`plotwise.store.artifacts`), so their ids survive restarts.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from pydantic import BaseModel, Field

from plotwise.sql.params import QueryParamSpec


def new_artifact_id() -> str:
    """Return a fresh artifact id: ``art_`` and 16 hex digits."""
    return f"art_{uuid4().hex[:16]}"


class ArtifactRecord(BaseModel):
    """A generated component and the query whose rows it renders."""

    artifact_id: str
    conversation_id: str | None
    """The conversation it was made in; None for an artifact opened from a template."""
    prompt: str = ""
    """The question it answers."""
    code: str
    language: str
    query_id: str | None
    """The turn's query whose result the component was generated for."""
    sql: str | None
    """That query's SQL, re-run by refresh and by query parameter changes."""
    param_specs: list[QueryParamSpec] = Field(default_factory=list)
    job_id: str | None = None
    """The Spark job whose result the component renders; refresh submits the query again."""
    dataset: str | None = None
    """The dataset (``a+b`` for several) whose engine refreshes it; None means DuckDB."""
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
