"""A job's live state without Spark: the first final state wins, progress is throttled."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from plotwise.settings import Settings
from plotwise.spark.engine import SparkEngine
from plotwise.spark.models import Job, JobProgress
from plotwise.spark.owner import process_owner
from plotwise.spark.runner import PROGRESS_INTERVAL_S, ProgressPublisher
from plotwise.spark.runs import JobRun
from plotwise.store import Database
from plotwise.store.jobs import add_job, get_job
from plotwise.store.types import new_id


@pytest.fixture
def db(tmp_path: Path):
    database = Database.open(f"sqlite:///{tmp_path / 'store.db'}")
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
def run(db: Database) -> JobRun:
    job = Job(
        job_id=new_id("job"),
        state="running",
        stage="running",
        message="Running on Spark…",
        sql="SELECT 1",
        spark_sql="SELECT 1",
        output_format="parquet",
        dataset="nycflights13",
        created_at=datetime.now(UTC),
    )
    add_job(db, job, process_owner())
    return JobRun(job, db)


def progress(done: int, total: int = 10) -> JobProgress:
    return JobProgress(stages_done=0, stages_total=1, tasks_done=done, tasks_total=total)


def test_changes_are_stored_and_counted(run: JobRun, db: Database):
    assert run.change(stage="writing", message="Writing Parquet and CSV…")
    job, version = run.current()
    assert version == 1 and get_job(db, job.job_id) == job and job.stage == "writing"


def test_the_first_final_state_wins(run: JobRun, db: Database):
    assert run.change(state="cancelled", stage="done", message="Cancelled")
    ran = []

    def succeed() -> dict:
        ran.append(True)
        return {"state": "succeeded"}

    assert not run.complete(succeed) and ran == []
    assert not run.change(state="failed", message="interrupted")
    assert not run.change(progress=progress(5))
    assert run.job.state == get_job(db, run.job.job_id).state == "cancelled"
    assert run.current()[1] == 1


def test_progress_is_published_at_most_four_times_a_second(run: JobRun, db: Database):
    publisher = ProgressPublisher(SparkEngine(Settings(), {}), run)
    publisher(progress(0, total=0), False)  # no tasks known yet: nothing to show
    assert run.current()[1] == 0
    publisher(progress(1), False)
    assert run.job.progress == progress(1)
    for done in range(2, 8):  # a burst of reports within the interval
        publisher(progress(done), False)
    assert run.job.progress == progress(1) and run.current()[1] == 1
    time.sleep(PROGRESS_INTERVAL_S + 0.05)
    publisher(progress(8), False)
    assert run.job.progress == progress(8) and run.current()[1] == 2
    assert get_job(db, run.job.job_id).progress == progress(8)
    # Once the operation ends, every known stage and task counts as done.
    assert publisher.finished() == JobProgress(
        stages_done=1, stages_total=1, tasks_done=10, tasks_total=10
    )
