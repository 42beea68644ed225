"""Artifacts in the database: added as turns (or template opens) make them, read by id."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import col

from plotwise.artifact.store import ArtifactRecord
from plotwise.errors import NotFoundError
from plotwise.store.database import Database
from plotwise.store.models import Artifact


def add_artifact(db: Database, record: ArtifactRecord) -> None:
    """Store ``record`` (replacing one with the same id).

    Raises:
        sqlalchemy.exc.IntegrityError: Its conversation does not exist.

    """
    with db.write() as session:
        session.merge(to_row(record))


def get_artifact(db: Database, artifact_id: str) -> ArtifactRecord:
    """Return the artifact.

    Raises:
        NotFoundError: No artifact has that id (never made, or its conversation was deleted).

    """
    with db.read() as session:
        row = session.get(Artifact, artifact_id)
        if row is None:
            raise NotFoundError(
                f"artifact {artifact_id!r} does not exist (or its conversation was deleted); "
                "ask the question again"
            )
        return to_record(row)


def bind_job(db: Database, artifact_id: str, job_id: str) -> None:
    """Bind the artifact to another Spark job (a refresh's); nothing else of it changes."""
    with db.write() as session:
        session.execute(
            update(Artifact).where(col(Artifact.artifact_id) == artifact_id).values(job_id=job_id)
        )


def to_row(record: ArtifactRecord) -> Artifact:
    """The table row of an artifact."""
    return Artifact(
        **record.model_dump(mode="json", exclude={"created_at"}), created_at=record.created_at
    )


def to_record(row: Artifact) -> ArtifactRecord:
    """The API shape of a stored artifact."""
    return ArtifactRecord.model_validate(row, from_attributes=True)


class ArtifactStore:
    """The artifacts of a `Database`, for async code (the work runs in a worker thread)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, record: ArtifactRecord) -> None:
        """Store ``record`` (replacing one with the same id)."""
        await self._db.run(add_artifact, self._db, record)

    async def get(self, artifact_id: str) -> ArtifactRecord:
        """Return the artifact.

        Raises:
            NotFoundError: No artifact has that id.

        """
        return await self._db.run(get_artifact, self._db, artifact_id)

    async def bind_job(self, artifact_id: str, job_id: str) -> None:
        """Bind the artifact to another Spark job (see `bind_job`)."""
        await self._db.run(bind_job, self._db, artifact_id, job_id)
