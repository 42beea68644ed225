import asyncio
import json
import re
import time
from datetime import timedelta

import pyarrow as pa
import pytest

from plotwise.errors import QueryTimeoutError, SQLExecutionError, SQLRefusedError
from plotwise.sql import handoff
from plotwise.sql.runner import engine_statement, run_query, run_query_table

pytestmark = pytest.mark.anyio

ENDLESS = "SELECT count(*) FROM range(10000000000) a"


async def test_count_by_carrier(catalog):
    result = await run_query(
        catalog,
        "SELECT carrier, count(*) AS n FROM flights GROUP BY carrier ORDER BY n DESC",
        max_rows=100,
        timeout_s=10,
    )
    assert [(c.name, c.type) for c in result.columns] == [("carrier", "VARCHAR"), ("n", "BIGINT")]
    assert result.row_count == 16 == len(result.rows)
    assert sum(n for _, n in result.rows) == 336_776
    assert result.rows[0] == ["UA", 58_665]
    assert result.truncated is False
    assert re.fullmatch(r"q_[0-9a-f]{8}", result.query_id)
    assert result.fetched_at.utcoffset() == timedelta(0)
    assert result.data_version == catalog.data_version
    assert result.elapsed_ms > 0


async def test_row_cap_truncates(catalog):
    result = await run_query(catalog, "SELECT * FROM flights", max_rows=10, timeout_s=10)
    assert result.row_count == 10 == len(result.rows)
    assert result.truncated is True
    assert len(result.columns) == len(result.rows[0]) == 19


async def test_result_exactly_at_the_cap_is_not_truncated(catalog):
    exact = await run_query(catalog, "SELECT * FROM airlines", max_rows=16, timeout_s=10)
    assert (exact.row_count, exact.truncated) == (16, False)
    over = await run_query(catalog, "SELECT * FROM airlines", max_rows=15, timeout_s=10)
    assert (over.row_count, over.truncated) == (15, True)


async def test_capped_rows_keep_the_query_order(catalog):
    result = await run_query(
        catalog,
        "SELECT flight, dep_delay FROM flights ORDER BY dep_delay DESC NULLS LAST LIMIT 50",
        max_rows=3,
        timeout_s=10,
    )
    assert [row[1] for row in result.rows] == [1301, 1137, 1126]


async def test_given_query_id_is_kept(catalog):
    result = await run_query(catalog, "SELECT 1 AS x", max_rows=1, timeout_s=10, query_id="q_mine")
    assert result.query_id == "q_mine"


async def test_timeout_interrupts_the_query(catalog):
    started = time.perf_counter()
    with pytest.raises(QueryTimeoutError, match=r"0\.3 s"):
        await run_query(catalog, ENDLESS, max_rows=10, timeout_s=0.3)
    assert time.perf_counter() - started < 2.0
    # The engine is free again at once.
    after = await run_query(catalog, "SELECT count(*) FROM airlines", max_rows=1, timeout_s=5)
    assert after.rows == [[16]]


async def wait_idle(catalog, within_s: float) -> bool:
    """Whether every query worker is idle (or replaced) within ``within_s`` seconds."""
    deadline = time.perf_counter() + within_s
    while catalog.workers.busy():
        if time.perf_counter() > deadline:
            return False
        await asyncio.sleep(0.005)
    return True


async def test_cancellation_interrupts_the_query(catalog):
    task = asyncio.create_task(run_query(catalog, ENDLESS, max_rows=10, timeout_s=60))
    await asyncio.sleep(0.3)
    assert catalog.workers.busy() == 1
    cancelled_at = time.perf_counter()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    # The worker itself stops soon: the query is interrupted, not left burning CPU.
    assert await wait_idle(catalog, 2.0)
    assert time.perf_counter() - cancelled_at < 2.0


async def test_cancellation_before_the_worker_starts_still_stops_it(catalog):
    task = asyncio.create_task(run_query(catalog, ENDLESS, max_rows=10, timeout_s=60))
    await asyncio.sleep(0)  # the cancel lands before the query reaches a worker
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await wait_idle(catalog, 2.0)
    after = await run_query(catalog, "SELECT count(*) FROM airlines", max_rows=1, timeout_s=5)
    assert after.rows == [[16]]


async def test_engine_errors_carry_duckdbs_message(catalog):
    with pytest.raises(SQLExecutionError) as failed:
        await run_query(catalog, "SELECT no_such_column FROM flights", max_rows=10, timeout_s=10)
    assert "Binder Error" in failed.value.message
    assert "no_such_column" in failed.value.message
    with pytest.raises(SQLExecutionError, match="Conversion Error"):
        await run_query(catalog, "SELECT 'abc'::INTEGER", max_rows=10, timeout_s=10)


async def test_errors_while_the_result_streams_carry_duckdbs_message(catalog):
    # A cap of at most 10,000 rows keeps DuckDB's limit streaming: the error surfaces while the
    # worker reads batches (as pyarrow's OSError), not when the query starts.
    sql = (
        "SELECT CAST(CASE WHEN i < 3000 THEN i::VARCHAR ELSE 'x' END AS INTEGER) "
        "FROM range(5000) t(i)"
    )
    with pytest.raises(SQLExecutionError, match="Conversion Error"):
        await run_query(catalog, sql, max_rows=5000, timeout_s=10)
    after = await run_query(catalog, "SELECT 1 AS ok", max_rows=10, timeout_s=10)
    assert after.rows == [[1]]


async def test_a_large_result_comes_through_a_spool_file_that_is_then_removed(catalog):
    spool = handoff.spool_dir(catalog.workers.data_dir)
    answer = await run_query_table(catalog, "SELECT * FROM flights", max_rows=200_000, timeout_s=30)
    assert answer.spool is not None and answer.spool.parent == spool
    assert answer.table.num_rows == answer.result.row_count == 200_000 and answer.result.truncated
    assert pa.ipc.open_stream(answer.stream).read_all().equals(answer.table)
    handoff.remove_file(answer.spool)
    rows = await run_query(catalog, "SELECT * FROM flights", max_rows=150_000, timeout_s=30)
    assert rows.row_count == 150_000 and rows.rows[0][:3] == [2013, 1, 1]
    assert not list(spool.glob("*.arrow"))


async def test_guard_runs_first(catalog):
    with pytest.raises(SQLRefusedError) as refused:
        await run_query(catalog, "SELECT 1; DROP VIEW flights", max_rows=10, timeout_s=10)
    assert refused.value.rule == "single_statement"
    assert "flights" in catalog.tables
    still = await run_query(catalog, "SELECT count(*) FROM flights", max_rows=1, timeout_s=10)
    assert still.rows == [[336_776]]


@pytest.mark.parametrize(
    ("sql", "rule"),
    [
        ("SELECT 1; SELECT 2", "single_statement"),
        ("PRAGMA version", "select_only"),
        ("EXPLAIN SELECT 1", "select_only"),
        ("SELEC 1", "parse_error"),
    ],
)
def test_engine_statement_check_is_independent(catalog, sql, rule):
    cursor = catalog.cursor()
    try:
        with pytest.raises(SQLRefusedError) as refused:
            engine_statement(sql, cursor)
    finally:
        cursor.close()
    assert refused.value.rule == rule


async def test_values_are_json_safe(catalog):
    sql = """
        SELECT time_hour, make_date(year, month, day) AS day, 1.25::DECIMAL(5, 2) AS dec,
               (SELECT sum(distance) FROM flights) AS total,
               'nan'::DOUBLE AS nan, 'inf'::DOUBLE AS inf,
               TIMESTAMPTZ '2013-01-01 10:00:00+00' AS tz, '\\xAB'::BLOB AS blob,
               INTERVAL 90 MINUTE AS gap, [1.5, 'nan'::DOUBLE] AS list, {'a': 1} AS struct,
               dep_delay
        FROM flights WHERE dep_delay IS NULL LIMIT 1
    """
    result = await run_query(catalog, sql, max_rows=5, timeout_s=10)
    row = dict(zip([c.name for c in result.columns], result.rows[0], strict=True))
    assert re.fullmatch(r"2013-\d\d-\d\dT\d\d:00:00", row["time_hour"])
    assert re.fullmatch(r"2013-\d\d-\d\d", row["day"])
    assert row["dec"] == 1.25 and isinstance(row["dec"], float)
    assert row["total"] == 350_217_607 and isinstance(row["total"], int)
    assert row["nan"] is None and row["inf"] is None
    assert row["tz"] == "2013-01-01T10:00:00+00:00"
    assert row["blob"] == "ab"
    assert row["gap"] == "PT5400S"
    assert row["list"] == [1.5, None]
    assert row["struct"] == {"a": 1}
    assert row["dep_delay"] is None
    json.dumps(result.model_dump(mode="json"), allow_nan=False)


async def test_concurrent_queries_each_get_their_own_cursor(catalog):
    results = await asyncio.gather(
        *(
            run_query(
                catalog, f"SELECT count(*) FROM flights WHERE month = {m}", max_rows=1, timeout_s=10
            )
            for m in range(1, 13)
        )
    )
    assert sum(result.rows[0][0] for result in results) == 336_776


async def test_bad_limits_are_rejected(catalog):
    with pytest.raises(ValueError):
        await run_query(catalog, "SELECT 1", max_rows=0, timeout_s=1)
    with pytest.raises(ValueError):
        await run_query(catalog, "SELECT 1", max_rows=1, timeout_s=0)
