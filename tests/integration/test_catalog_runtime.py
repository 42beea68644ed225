"""Datasets added, removed and renamed while the catalog runs: real DuckDB, real worker processes.

A change opens a new locked engine and worker pool; queries already running on the old pool
finish there, then the old pool closes.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import anyio.to_thread
import duckdb
import pytest

from plotwise.data.catalog import Catalog
from plotwise.errors import ConflictError, DatasetError, NotFoundError, SQLRefusedError
from plotwise.settings import Settings
from plotwise.spark.jobs import JobManager
from plotwise.sql.runner import run_query
from plotwise.store import Database
from support.spark import follow

pytestmark = pytest.mark.anyio

SLOW_RANGE = 1_500_000
SLOW = f"SELECT sum((r.range * 31 + length(species)) % 7) FROM penguins, range({SLOW_RANGE}) r"
"""Seconds of work over a penguins view (about 500 million rows): it outlives a dataset change."""

SPECIES = {"Adelie": 152, "Chinstrap": 68, "Gentoo": 124}
"""Penguins per species: the slow query's expected sum follows from them."""


def parquet(folder: Path, name: str, sql: str) -> Path:
    """Write a Parquet file from a query, with an engine of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.parquet"
    with duckdb.connect() as connection:
        connection.execute(f"COPY ({sql}) TO '{path}' (FORMAT parquet)")
    return path


@pytest.fixture
def runtime_settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", datasets=["penguins"], sql_workers=1)


@pytest.fixture
def runtime_catalog(runtime_settings: Settings) -> Iterator[Catalog]:
    with Catalog.open(runtime_settings) as opened:
        yield opened


async def query(catalog: Catalog, sql: str) -> list[list[object]]:
    return (await run_query(catalog, sql, max_rows=100, timeout_s=60)).rows


async def test_added_renamed_and_removed_datasets_are_queryable_only_while_registered(
    runtime_catalog, tmp_path
):
    catalog = runtime_catalog
    fruit = parquet(tmp_path / "up" / "fruit", "fruit", "SELECT * FROM range(5) t(n)")
    version = catalog.data_version
    await query(catalog, "SELECT count(*) FROM penguins")  # the pool is up before the change
    await anyio.to_thread.run_sync(catalog.add_dataset, "fruit", {"fruit": fruit})
    assert catalog.datasets == ["penguins", "fruit"]
    assert catalog.dataset_of("fruit") == "fruit"
    assert [c.name for c in catalog.table_columns("fruit")] == ["n"]
    assert await query(catalog, "SELECT sum(n) FROM fruit") == [[10]]
    assert catalog.data_version != version
    assert catalog.row_count("fruit") == 5

    moved = parquet(tmp_path / "up" / "veg", "veg", "SELECT * FROM range(3) t(n)")
    await anyio.to_thread.run_sync(lambda: catalog.rename_dataset("fruit", "veg", {"veg": moved}))
    assert catalog.datasets == ["penguins", "veg"]
    assert await query(catalog, "SELECT sum(n) FROM veg") == [[3]]
    with pytest.raises(SQLRefusedError, match='unknown table "fruit"'):
        await query(catalog, "SELECT * FROM fruit")

    drained = asyncio.Event()
    loop = asyncio.get_running_loop()

    def on_drained() -> None:
        loop.call_soon_threadsafe(drained.set)

    await anyio.to_thread.run_sync(lambda: catalog.remove_dataset("veg", on_drained=on_drained))
    await asyncio.wait_for(drained.wait(), 30)
    assert catalog.datasets == ["penguins"]
    with pytest.raises(SQLRefusedError, match="unknown_table"):
        await query(catalog, "SELECT * FROM veg")
    assert await query(catalog, "SELECT count(*) FROM penguins") == [[344]]


async def test_a_query_running_during_a_change_completes_on_the_old_pool(runtime_catalog, tmp_path):
    catalog = runtime_catalog
    await query(catalog, "SELECT 1")
    old_pool = catalog.workers
    slow = asyncio.create_task(query(catalog, SLOW))
    deadline = time.monotonic() + 30
    while old_pool.busy() == 0:  # running in the worker, not merely queued
        assert time.monotonic() < deadline, "the slow query never started"
        await asyncio.sleep(0.01)

    extra = parquet(tmp_path / "up" / "extra", "extra", "SELECT 42 AS answer")
    await anyio.to_thread.run_sync(catalog.add_dataset, "extra", {"extra": extra})
    assert catalog.workers is not old_pool
    assert old_pool.busy() == 1 and not old_pool.closed, "the change did not wait for the query"
    # New queries run on the new pool (with the new view) while the old one still works.
    assert await query(catalog, "SELECT answer FROM extra") == [[42]]
    await anyio.to_thread.run_sync(catalog.remove_dataset, "extra")

    expected = sum(
        count * sum((r * 31 + len(species)) % 7 for r in range(SLOW_RANGE))
        for species, count in SPECIES.items()
    )
    assert await slow == [[expected]]
    deadline = time.monotonic() + 30
    while not old_pool.closed:
        assert time.monotonic() < deadline, "the old pool was not closed after it drained"
        await asyncio.sleep(0.05)


async def test_a_refused_change_leaves_the_catalog_as_it_was(runtime_catalog, tmp_path):
    catalog = runtime_catalog
    before = (catalog.datasets, catalog.tables, catalog.data_version)
    clash = parquet(tmp_path / "up" / "x", "penguins", "SELECT 1 AS a")
    with pytest.raises(ConflictError, match="already in dataset 'penguins'"):
        catalog.add_dataset("mine", {"penguins": clash})
    with pytest.raises(ConflictError, match="already loaded"):
        catalog.add_dataset("penguins", {"other": clash})
    with pytest.raises(DatasetError, match="could not set up"):
        catalog.add_dataset("broken", {"broken": tmp_path / "missing.parquet"})
    with pytest.raises(NotFoundError):
        catalog.remove_dataset("nope")
    assert (catalog.datasets, catalog.tables, catalog.data_version) == before
    assert await query(catalog, "SELECT count(*) FROM penguins") == [[344]]


async def test_cursors_taken_before_a_change_keep_reading_the_old_views(runtime_catalog, tmp_path):
    catalog = runtime_catalog
    cursor = catalog.cursor()
    try:
        extra = parquet(tmp_path / "up" / "extra", "extra", "SELECT 1 AS a")
        await anyio.to_thread.run_sync(catalog.add_dataset, "extra", {"extra": extra})
        assert cursor.execute("SELECT count(*) FROM penguins").fetchall() == [(344,)]
    finally:
        cursor.close()
    with catalog.cursor() as fresh:
        assert fresh.execute("SELECT a FROM extra").fetchall() == [(1,)]


def test_uploaded_datasets_load_at_open_beside_the_bundled_ones(runtime_settings, tmp_path):
    extra = parquet(tmp_path / "up" / "extra", "extra", "SELECT 7 AS a")
    with Catalog.open(runtime_settings, {"extra": {"extra": extra}}) as opened:
        assert opened.datasets == ["penguins", "extra"]
        assert opened.dataset_tables("extra") == ["extra"]
    with pytest.raises(DatasetError, match="already in dataset 'penguins'"):
        Catalog.open(runtime_settings, {"mine": {"penguins": extra}})


@pytest.mark.spark
async def test_spark_jobs_read_datasets_added_at_run_time(
    runtime_catalog, runtime_settings, tmp_path, spark_engine
):
    settings = runtime_settings.model_copy(
        update={
            "spark_remote": spark_engine.url,
            "artifacts_dir": tmp_path / "artifacts",
            "database_url": f"sqlite:///{tmp_path / 'store.db'}",
        }
    )
    store = Database.open(settings.resolved_database_url())
    jobs = JobManager.create(runtime_catalog, store, settings)
    try:
        first = await jobs.submit("SELECT count(*) AS n FROM penguins", dataset="penguins")
        assert (await follow(jobs, first.job_id))[-1].state == "succeeded"
        fruit = parquet(tmp_path / "up" / "fruit", "fruit", "SELECT * FROM range(5) t(n)")
        await anyio.to_thread.run_sync(runtime_catalog.add_dataset, "fruit", {"fruit": fruit})
        job = await jobs.submit("SELECT sum(n) AS s FROM fruit", dataset="fruit")
        final = (await follow(jobs, job.job_id))[-1]
        assert final.state == "succeeded", final.error
        assert (await jobs.preview(job.job_id, limit=10)).rows == [[10]]
        both = await jobs.submit(
            "SELECT (SELECT count(*) FROM penguins) + (SELECT count(*) FROM fruit) AS n",
            dataset="penguins+fruit",
        )
        assert (await follow(jobs, both.job_id))[-1].state == "succeeded"
        assert (await jobs.preview(both.job_id, limit=10)).rows == [[349]]
    finally:
        jobs.close()
        store.close()
