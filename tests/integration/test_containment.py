"""Containment of queries in worker processes: memory bombs, runaway queries, crashes, cancel.

Real worker processes, no mocks. The bombs run under a small per-worker limit (1536 MiB address
space, DuckDB's own limit 512 MB) so they stay cheap on a 2-core, 24 GiB machine.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Iterator

import httpx
import pytest

from plotwise.app import create_app
from plotwise.data.catalog import Catalog
from plotwise.errors import QueriesBusyError, QueryMemoryError, QueryTimeoutError
from plotwise.settings import Settings
from plotwise.sql.runner import run_query
from support.live_server import live_server

pytestmark = pytest.mark.anyio

WORKER_MB = 1536

RLIMIT_BOMB = "SELECT length(repeat(repeat('x', 1000000), 1500))"
"""Escapes DuckDB's memory_limit: without RLIMIT_AS it grew to 2.9 GB RSS under a 512 MB limit
(7 s); in a worker it fails its allocation at once."""

BOMBS = [
    "SELECT list(range(1000000000))",
    "SELECT repeat('x', 1000000000)",
    "SELECT string_agg(repeat('x', 1000000), ',') FROM range(10000)",
    RLIMIT_BOMB,
    # Slow to grow (about 110 MB/s): fails by the time limit or by memory, whichever is first.
    "SELECT length(repeat('x', 400000000) || repeat('y', 400000000))",
]

RUNAWAY = "SELECT levenshtein(repeat('a', 200000), repeat('b', 200000))"
"""About 45 s of CPU in one scalar call, which never looks at interrupts: only a kill stops it."""

ENDLESS = "SELECT count(*) FROM range(100000000000) a WHERE a.range % 7 = 3"
"""Runs for minutes but stops within milliseconds of an interrupt."""

NORMAL = "SELECT carrier, count(*) AS n FROM flights GROUP BY carrier ORDER BY n DESC"
AIRLINES = "SELECT count(*) FROM airlines"


@pytest.fixture(scope="module")
def bomb_settings(settings: Settings) -> Settings:
    return Settings(
        data_dir=settings.data_dir,
        duckdb_memory_limit="512MB",
        sql_worker_memory_mb=WORKER_MB,
        sql_workers=2,
        query_timeout_s=30,
    )


@pytest.fixture(scope="module")
def small_catalog(bomb_settings: Settings) -> Iterator[Catalog]:
    with Catalog.open(bomb_settings) as opened:
        yield opened


@pytest.fixture(scope="module")
def server(bomb_settings: Settings) -> Iterator[tuple[str, Catalog]]:
    """A live server with small workers, and the catalog its requests run on."""
    app = create_app(bomb_settings)
    with live_server(app) as url:
        yield url, app.state.services.catalog


async def wait_until(condition, within_s: float, every_s: float = 0.001) -> float:
    """Seconds until ``condition()`` held; fails the test after ``within_s``."""
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > within_s:
            pytest.fail(f"not within {within_s} s")
        await asyncio.sleep(every_s)
    return time.perf_counter() - started


async def all_workers_up(catalog: Catalog) -> None:
    await wait_until(lambda: None not in catalog.workers.worker_pids(), 30, 0.01)


async def test_rlimit_stops_what_duckdbs_memory_limit_misses(small_catalog):
    started = time.perf_counter()
    with pytest.raises(QueryMemoryError) as failed:
        await run_query(small_catalog, RLIMIT_BOMB, max_rows=10, timeout_s=10)
    assert time.perf_counter() - started < 2.0
    assert failed.value.code == "query_memory"
    assert f"worker limit {WORKER_MB} MiB" in failed.value.message
    after = await run_query(small_catalog, AIRLINES, max_rows=1, timeout_s=10)
    assert after.rows == [[16]]


@pytest.mark.parametrize("bomb", BOMBS)
async def test_a_memory_bomb_leaves_the_server_serving(server, bomb):
    url, catalog = server
    await all_workers_up(catalog)
    budget_s = 5.0
    started = time.perf_counter()
    bomb_task = asyncio.create_task(run_query(catalog, bomb, max_rows=10, timeout_s=budget_s))
    health: list[tuple[int, float]] = []
    normal = []
    async with httpx.AsyncClient(base_url=url, timeout=5) as client:
        while not bomb_task.done():
            sent = time.perf_counter()
            response = await client.get("/api/health")
            health.append((response.status_code, time.perf_counter() - sent))
            if len(normal) < 3:
                # Another user's query, on the other worker, while the bomb goes off.
                normal.append(await run_query(catalog, NORMAL, max_rows=100, timeout_s=budget_s))
            await asyncio.sleep(0.02)
    with pytest.raises((QueryMemoryError, QueryTimeoutError)):
        await bomb_task
    assert time.perf_counter() - started <= budget_s + 1.0
    assert health, "the bomb finished before the server was asked anything"
    assert all(status == 200 for status, _ in health)
    assert max(seconds for _, seconds in health) < 0.5, health
    assert normal and all(result.rows[0] == ["UA", 58_665] for result in normal)
    # The server answers after the bomb too, and its workers run queries again.
    async with httpx.AsyncClient(base_url=url, timeout=5) as client:
        assert (await client.get("/api/health")).status_code == 200
    after = await run_query(catalog, NORMAL, max_rows=100, timeout_s=10)
    assert after.rows[0] == ["UA", 58_665]


async def test_a_runaway_query_is_killed_and_its_worker_replaced(small_catalog):
    await all_workers_up(small_catalog)
    workers = small_catalog.workers
    before = workers.started()
    started = time.perf_counter()
    with pytest.raises(QueryTimeoutError, match=r"time limit of 1 s"):
        await run_query(small_catalog, RUNAWAY, max_rows=1, timeout_s=1)
    # The time limit, the grace for the interrupt that it ignores, then the kill.
    assert time.perf_counter() - started < 2.0
    assert workers.busy() == 0
    await all_workers_up(small_catalog)
    assert workers.started() == before + 1
    results = await asyncio.gather(
        *(run_query(small_catalog, NORMAL, max_rows=100, timeout_s=10) for _ in range(4))
    )
    assert all(result.rows[0] == ["UA", 58_665] for result in results)


@pytest.mark.parametrize(("sql", "killed"), [(ENDLESS, False), (RUNAWAY, True)])
async def test_cancelling_stops_the_query_within_100_ms(small_catalog, sql, killed):
    await all_workers_up(small_catalog)
    workers = small_catalog.workers
    before = workers.started()
    task = asyncio.create_task(run_query(small_catalog, sql, max_rows=1, timeout_s=60))
    await wait_until(lambda: workers.busy() == 1, 10)
    await asyncio.sleep(0.3)  # the engine is well into the query
    cancelled_at = time.perf_counter()
    task.cancel()
    stopped_s = await wait_until(lambda: workers.busy() == 0, 2)
    stopped_s = time.perf_counter() - cancelled_at
    print(f"cancel -> worker idle or dead: {stopped_s * 1000:.1f} ms ({sql[:40]})")
    assert stopped_s <= 0.1
    with pytest.raises(asyncio.CancelledError):
        await task
    await all_workers_up(small_catalog)
    # An interruptible query leaves its worker alive; one that ignores interrupts costs it.
    assert workers.started() == before + killed


async def test_a_crashed_worker_fails_its_query_and_is_replaced(small_catalog):
    await all_workers_up(small_catalog)
    workers = small_catalog.workers
    before = workers.started()
    task = asyncio.create_task(run_query(small_catalog, ENDLESS, max_rows=1, timeout_s=30))
    await wait_until(lambda: workers.busy() == 1, 10)
    os.kill(workers.busy_pids()[0], signal.SIGKILL)
    with pytest.raises(QueryMemoryError, match="died \\(signal SIGKILL\\)"):
        await task
    await all_workers_up(small_catalog)
    assert workers.started() == before + 1
    after = await run_query(small_catalog, AIRLINES, max_rows=1, timeout_s=10)
    assert after.rows == [[16]]


async def test_queries_wait_for_a_free_worker(bomb_settings):
    one = bomb_settings.model_copy(update={"sql_workers": 1})
    with Catalog.open(one) as catalog:
        await all_workers_up(catalog)
        slow = asyncio.create_task(run_query(catalog, ENDLESS, max_rows=1, timeout_s=0.5))
        await wait_until(lambda: catalog.workers.busy() == 1, 10)
        # The only worker is busy: this query waits, and runs once the slow one has stopped.
        waiting = await run_query(catalog, NORMAL, max_rows=100, timeout_s=10)
        assert waiting.rows[0] == ["UA", 58_665]
        with pytest.raises(QueryTimeoutError):
            await slow
        # A query whose time limit passes in the queue fails saying so.
        runaway = asyncio.create_task(run_query(catalog, RUNAWAY, max_rows=1, timeout_s=1))
        await wait_until(lambda: catalog.workers.busy() == 1, 10)
        with pytest.raises(QueryTimeoutError, match="waited for a free query worker"):
            await run_query(catalog, NORMAL, max_rows=100, timeout_s=0.2)
        with pytest.raises(QueryTimeoutError):
            await runaway


async def test_a_full_queue_refuses_at_once_and_frees_up(bomb_settings):
    bounded = bomb_settings.model_copy(update={"sql_workers": 1, "sql_queue_max": 1})
    with Catalog.open(bounded) as catalog:
        await all_workers_up(catalog)
        slow = asyncio.create_task(run_query(catalog, ENDLESS, max_rows=1, timeout_s=1))
        await wait_until(lambda: catalog.workers.busy() == 1, 10)
        queued = asyncio.create_task(run_query(catalog, NORMAL, max_rows=100, timeout_s=10))
        await asyncio.sleep(0.05)
        started = time.monotonic()
        with pytest.raises(QueriesBusyError, match="1 queries already wait") as refused:
            await run_query(catalog, NORMAL, max_rows=100, timeout_s=10)
        assert time.monotonic() - started < 0.5
        assert refused.value.headers() == {"Retry-After": "1"}
        with pytest.raises(QueryTimeoutError):
            await slow
        # The queued query ran once the worker was free, and the queue takes queries again.
        assert (await queued).rows[0] == ["UA", 58_665]
        again = await run_query(catalog, NORMAL, max_rows=100, timeout_s=10)
        assert again.rows[0] == ["UA", 58_665]


async def test_closing_the_catalog_ends_its_workers(bomb_settings):
    catalog = Catalog.open(bomb_settings)
    await run_query(catalog, "SELECT 1", max_rows=1, timeout_s=10)
    await all_workers_up(catalog)
    pids = catalog.workers.worker_pids()
    running = asyncio.create_task(run_query(catalog, RUNAWAY, max_rows=1, timeout_s=30))
    await wait_until(lambda: catalog.workers.busy() == 1, 10)
    await asyncio.to_thread(catalog.close)
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    with pytest.raises(Exception, match="closed"):
        await running
