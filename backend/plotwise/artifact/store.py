"""Artifacts addressable by id: the component code bound to the SQL and parameters it renders.

Kept in process memory for now (durable storage is issue 4's); after a restart, ids answer 404.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import UTC, datetime
from uuid import uuid4

from pydantic import BaseModel, Field

from plotwise.errors import NotFoundError
from plotwise.sql.params import QueryParamSpec

MAX_ARTIFACTS = 10_000
"""Artifacts kept at most; the oldest are forgotten first."""


def new_artifact_id() -> str:
    """Return a fresh artifact id: ``art_`` and 16 hex digits."""
    return f"art_{uuid4().hex[:16]}"


class ArtifactRecord(BaseModel):
    """A generated component and the query whose rows it renders."""

    artifact_id: str
    conversation_id: str
    code: str
    language: str
    query_id: str | None
    """The turn's query whose result the component was generated for."""
    sql: str | None
    """That query's SQL, re-run by refresh and by query parameter changes."""
    param_specs: list[QueryParamSpec] = Field(default_factory=list)
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))


class ArtifactStore:
    """Artifacts by id, bounded in number."""

    def __init__(self) -> None:
        self._records: OrderedDict[str, ArtifactRecord] = OrderedDict()

    def add(self, record: ArtifactRecord) -> None:
        """Keep ``record`` (replacing one with the same id)."""
        self._records[record.artifact_id] = record
        while len(self._records) > MAX_ARTIFACTS:
            self._records.popitem(last=False)

    def get(self, artifact_id: str) -> ArtifactRecord:
        """Return the artifact.

        Raises:
            NotFoundError: No artifact has that id (never created, or forgotten by a restart).

        """
        record = self._records.get(artifact_id)
        if record is None:
            raise NotFoundError(
                f"artifact {artifact_id!r} does not exist (or the server "
                "restarted since it was made); ask the question again"
            )
        return record
