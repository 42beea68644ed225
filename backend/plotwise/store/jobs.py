"""Spark jobs in the database: added when submitted, updated at every change, read by id.

A job in a final state is never changed again: `update_job` only writes a row that is still
queued or running, in one conditional UPDATE, so a cancellation written first is never
overwritten by the job's own thread (nor by a second process), on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, select

from plotwise.errors import ErrorBody, NotFoundError
from plotwise.spark.models import FINAL_STATES, Job
from plotwise.store.database import Database
from plotwise.store.models import SparkJob

_TIMES = ("created_at", "started_at", "finished_at")


def add_job(db: Database, job: Job, owner: str) -> None:
    """Store a new job run by the process ``owner`` (`plotwise.spark.owner.process_owner`)."""
    with db.write() as session:
        session.add(to_row(job, owner))


def update_job(db: Database, job: Job) -> bool:
    """Write ``job``'s fields over its row, unless the row is already in a final state.

    Returns:
        Whether the row was written (False: it was final already, or does not exist).

    """
    values = _values(job)
    with db.write() as session:
        result = session.exec(  # type: ignore[call-overload]
            update(SparkJob)
            .where(col(SparkJob.id) == job.job_id)
            .where(col(SparkJob.state).not_in(sorted(FINAL_STATES)))
            .values(**values)
        )
        return result.rowcount == 1


def get_job(db: Database, job_id: str) -> Job:
    """Return the stored job.

    Raises:
        NotFoundError: No job has that id.

    """
    with db.read() as session:
        row = session.get(SparkJob, job_id)
        if row is None:
            raise NotFoundError(f"job {job_id!r} does not exist")
        return to_job(row)


def list_jobs(db: Database, *, conversation_id: str) -> list[Job]:
    """The jobs submitted in a conversation, oldest first."""
    with db.read() as session:
        rows = session.exec(
            select(SparkJob)
            .where(col(SparkJob.conversation_id) == conversation_id)
            .order_by(col(SparkJob.created_at), col(SparkJob.id))
        ).all()
        return [to_job(row) for row in rows]


def fail_lost_jobs(
    db: Database, is_gone: Callable[[str], bool], error: ErrorBody, now: datetime
) -> list[str]:
    """Mark failed the queued and running jobs whose owner process is gone.

    Args:
        db: The store.
        is_gone: Says, given a job's ``owner``, whether that process has ended.
        error: The error the lost jobs get (code ``job_lost``).
        now: Their ``finished_at``.

    Returns:
        The ids of the jobs marked.

    """
    with db.read() as session:
        rows = session.exec(
            select(SparkJob.id, SparkJob.owner).where(
                col(SparkJob.state).not_in(sorted(FINAL_STATES))
            )
        ).all()
    lost = [job_id for job_id, owner in rows if is_gone(owner)]
    marked = []
    with db.write() as session:
        for job_id in lost:
            result = session.exec(  # type: ignore[call-overload]
                update(SparkJob)
                .where(col(SparkJob.id) == job_id)
                .where(col(SparkJob.state).not_in(sorted(FINAL_STATES)))
                .values(
                    state="failed",
                    stage="done",
                    message=error.message,
                    error=error.model_dump(mode="json"),
                    finished_at=now,
                )
            )
            if result.rowcount == 1:
                marked.append(job_id)
    return marked


def to_row(job: Job, owner: str) -> SparkJob:
    """The table row of a job."""
    return SparkJob(id=job.job_id, owner=owner, **_values(job))


def to_job(row: SparkJob) -> Job:
    """The API shape of a stored job."""
    data = row.model_dump(exclude={"id", "owner", "message_id"})
    return Job.model_validate({**data, "job_id": row.id})


def _values(job: Job) -> dict[str, object]:
    """Column values of a job but its id: JSON columns as plain JSON, times as datetimes."""
    values = job.model_dump(mode="json", exclude={"job_id", *_TIMES})
    values.update({name: getattr(job, name) for name in _TIMES})
    return values


class JobStore:
    """The jobs of a `Database`, for async code (the work runs in a worker thread)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, job: Job, owner: str) -> None:
        """Store a new job."""
        await self.db.run(add_job, self.db, job, owner)

    async def update(self, job: Job) -> bool:
        """Write a job's new state unless it is final already (see `update_job`)."""
        return await self.db.run(update_job, self.db, job)

    async def get(self, job_id: str) -> Job:
        """Return the stored job.

        Raises:
            NotFoundError: No job has that id.

        """
        return await self.db.run(get_job, self.db, job_id)

    async def for_conversation(self, conversation_id: str) -> list[Job]:
        """The jobs of a conversation, oldest first."""
        return await self.db.run(list_jobs, self.db, conversation_id=conversation_id)
