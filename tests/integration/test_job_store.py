"""Spark jobs in the store, on SQLite and PostgreSQL: round trips, final states, lost jobs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from plotwise.errors import ErrorBody, NotFoundError
from plotwise.spark.models import Job, JobFile, JobProgress
from plotwise.spark.owner import owner_gone, process_owner
from plotwise.sql.result import ColumnSchema
from plotwise.store import Database
from plotwise.store.jobs import add_job, fail_lost_jobs, get_job, list_jobs, update_job
from plotwise.store.types import new_id

LOST = ErrorBody(code="job_lost", message="the server stopped", stage="done", recoverable=True)


def queued(conversation_id: str | None = None) -> Job:
    return Job(
        job_id=new_id("job"),
        state="queued",
        stage="queued",
        message="Waiting for a Spark slot…",
        sql="SELECT * FROM flights",
        spark_sql="SELECT * FROM flights",
        output_format="csv",
        dataset="nycflights13",
        conversation_id=conversation_id,
        created_at=datetime.now(UTC),
    )


def succeeded(job: Job) -> Job:
    now = datetime.now(UTC)
    return job.model_copy(
        update={
            "state": "succeeded",
            "stage": "done",
            "message": "2 rows ready",
            "progress": JobProgress(stages_done=2, stages_total=2, tasks_done=5, tasks_total=5),
            "row_count": 12_345_678_901,
            "columns": [ColumnSchema(name="carrier", type="VARCHAR")],
            "files": [
                JobFile(format="csv", name=f"{job.job_id}.csv", url="/x.csv", bytes=10),
                JobFile(format="parquet", name=f"{job.job_id}.parquet", url="/x", bytes=20),
            ],
            "started_at": now - timedelta(seconds=3),
            "finished_at": now,
            "elapsed_ms": 3000.5,
        }
    )


def test_a_job_round_trips(store: Database):
    job = queued("c1")
    add_job(store, job, process_owner())
    assert get_job(store, job.job_id) == job
    done = succeeded(job)
    assert update_job(store, done)
    stored = get_job(store, job.job_id)
    assert stored == done
    assert stored.finished_at is not None and stored.finished_at.tzinfo is not None


def test_a_final_job_is_never_overwritten(store: Database):
    job = queued()
    add_job(store, job, process_owner())
    cancelled = job.model_copy(update={"state": "cancelled", "stage": "done"})
    assert update_job(store, cancelled)
    assert not update_job(store, succeeded(job))
    assert not update_job(store, job.model_copy(update={"stage": "running"}))
    assert get_job(store, job.job_id) == cancelled


def test_unknown_jobs_are_not_found(store: Database):
    with pytest.raises(NotFoundError):
        get_job(store, "job_0000000000000000")
    assert not update_job(store, queued())


def test_jobs_of_a_conversation_oldest_first(store: Database):
    first, second, other = queued("c1"), queued("c1"), queued("c2")
    for job in (first, second, other):
        add_job(store, job, process_owner())
    assert [j.job_id for j in list_jobs(store, conversation_id="c1")] == [
        first.job_id,
        second.job_id,
    ]


def test_only_jobs_of_ended_processes_on_this_host_are_lost(store: Database):
    me = process_owner()
    host = me.split(":")[0]
    dead = f"{host}:999999999:1"
    reused_pid = ":".join([*me.split(":")[:2], "1"])  # our pid, another start time
    elsewhere = "another-host:1:1"
    jobs = {owner: queued() for owner in (me, dead, reused_pid, elsewhere)}
    for owner, job in jobs.items():
        add_job(store, job, owner)
    finished = queued()
    add_job(store, finished, dead)
    update_job(store, succeeded(finished))
    now = datetime.now(UTC)
    marked = fail_lost_jobs(store, owner_gone, LOST, now)
    assert sorted(marked) == sorted([jobs[dead].job_id, jobs[reused_pid].job_id])
    lost = get_job(store, jobs[dead].job_id)
    assert (lost.state, lost.stage, lost.error, lost.finished_at) == ("failed", "done", LOST, now)
    assert get_job(store, jobs[me].job_id).state == "queued"
    assert get_job(store, jobs[elsewhere].job_id).state == "queued"
    assert get_job(store, finished.job_id).state == "succeeded"
