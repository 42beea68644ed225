"""The PostgreSQL query service against a real server: parameters, cache, Arrow, cancel."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import psycopg
import pyarrow as pa
import pytest

from plotwise.errors import BadRequestError, SQLRefusedError
from plotwise.settings import Settings
from plotwise.sources.postgres import PostgresSource
from plotwise.sources.service import PostgresQueryService
from plotwise.sql.arrow_result import browser_decodable
from plotwise.sql.cache import ResultCache
from plotwise.sql.params import QueryParamSpec
from support.pg_flights import SeededDatabase, seed_flights
from support.postgres import PostgresServer

pytestmark = pytest.mark.anyio

BY_CARRIER = (
    "SELECT carrier, count(*) AS flights, avg(dep_delay) AS avg_delay FROM flights"
    " WHERE origin = $origin AND month = $month GROUP BY carrier"
)
SPECS = [
    QueryParamSpec(name="origin", type="select", default="JFK", options=["EWR", "JFK", "LGA"]),
    QueryParamSpec(name="month", type="number", default=1, min=1, max=12),
]


def _service(url: str, tmp: Path, name: str = "flightsdb") -> PostgresQueryService:
    settings = Settings(data_dir=tmp, query_timeout_s=10)
    cache = ResultCache(tmp / "cache", ttl_s=300, large_rows=10_000)
    return PostgresQueryService(PostgresSource.connect(name, url, settings), cache, settings)


@pytest.fixture
def service(pg_flights: SeededDatabase, tmp_path: Path) -> PostgresQueryService:
    return _service(pg_flights.reader, tmp_path)


@pytest.fixture
def duck(flights_parquet: dict[str, Path]) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect()
    for table, path in flights_parquet.items():
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM '{path}'")
    yield con
    con.close()


def _same(rows: list, expected: list) -> None:
    """Order-insensitive equality, floats to 1e-9 relative."""
    assert len(rows) == len(expected)
    key = lambda row: tuple(str(v) for v in row[:1])  # noqa: E731 - first column is a key
    for got, want in zip(sorted(rows, key=key), sorted(expected, key=key), strict=True):
        assert [pytest.approx(v, rel=1e-9) if isinstance(v, float) else v for v in want] == got


async def test_parameters_are_bound_by_the_server(service, duck) -> None:
    result = await service.execute(BY_CARRIER, param_specs=SPECS, param_values={"month": 7})
    assert result.params == {"origin": "JFK", "month": 7}
    assert [c.type for c in result.columns] == ["VARCHAR", "BIGINT", "DECIMAL"]
    expected = duck.execute(BY_CARRIER, {"origin": "JFK", "month": 7}).fetchall()
    _same(result.rows, [list(r) for r in expected])
    other = await service.execute(BY_CARRIER, param_specs=SPECS, param_values={"origin": "EWR"})
    assert other.rows != result.rows and not other.cache.hit
    # A value is never SQL: a quote in a text parameter is just a character.
    text = QueryParamSpec(name="carrier", type="text", default="UA' OR '1'='1")
    sql = "SELECT count(*) AS n FROM flights WHERE carrier = $carrier"
    assert (await service.execute(sql, param_specs=[text])).rows == [[0]]
    # '%' in the SQL text survives psycopg's placeholder syntax.
    like = "SELECT count(*) AS n FROM airlines WHERE name LIKE '%Air%' AND carrier <> $carrier"
    count = duck.execute("SELECT count(*) FROM airlines WHERE name LIKE '%Air%'").fetchone()[0]
    assert (await service.execute(like, param_specs=[text])).rows == [[count]]


async def test_date_parameters_compare_with_timestamps(service, duck) -> None:
    since = QueryParamSpec(name="since", type="date", default="2013-06-01")
    sql = "SELECT carrier, count(*) AS n FROM flights WHERE time_hour >= $since GROUP BY carrier"
    result = await service.execute(sql, param_specs=[since], param_values={"since": "2013-12-01"})
    expected = duck.execute(sql, {"since": "2013-12-01"}).fetchall()
    _same(result.rows, [list(r) for r in expected])


async def test_bad_parameters_and_sql_are_refused_before_the_server(service) -> None:
    with pytest.raises(BadRequestError, match="month"):
        await service.execute(BY_CARRIER, param_specs=SPECS, param_values={"month": 13})
    with pytest.raises(SQLRefusedError, match="declared"):
        await service.execute(BY_CARRIER)
    with pytest.raises(SQLRefusedError, match=r"\$name"):
        await service.execute("SELECT * FROM flights WHERE month = $1")
    spec = [QueryParamSpec(name="m", type="number", default=1)]
    with pytest.raises(SQLRefusedError, match="no space"):
        await service.execute("SELECT * FROM flights WHERE month = $ m", param_specs=spec)
    with pytest.raises(SQLRefusedError, match="unknown table"):
        await service.execute("SELECT * FROM visits")


async def test_cache_hits_until_refresh(service) -> None:
    first = await service.execute(BY_CARRIER, param_specs=SPECS)
    again = await service.execute(BY_CARRIER, param_specs=SPECS)
    assert not first.cache.hit and again.cache.hit and again.rows == first.rows
    assert again.data_version == first.data_version
    assert first.data_version.startswith("postgres:flightsdb:127.0.0.1:")
    fresh = await service.execute(BY_CARRIER, param_specs=SPECS, refresh=True)
    assert not fresh.cache.hit and fresh.fetched_at > first.fetched_at


async def test_a_write_to_the_database_is_a_new_version(
    postgres: PostgresServer, flights_parquet: dict[str, Path], tmp_path: Path
) -> None:
    seeded = seed_flights(postgres, flights_parquet, ["airlines"])
    try:
        service = _service(seeded.reader, tmp_path)
        sql = "SELECT count(*) AS n FROM airlines"
        before = await service.execute(sql)
        assert (await service.execute(sql)).cache.hit
        with psycopg.connect(seeded.admin) as conn:
            conn.execute("INSERT INTO airlines VALUES ('ZZ', 'Zed Air')")
        after = await service.execute(sql)
        assert not after.cache.hit and after.rows == [[before.rows[0][0] + 1]]
        assert after.data_version != before.data_version
    finally:
        postgres.drop_database(seeded.name)


async def test_arrow_table_has_duckdb_types(service, duck) -> None:
    sql = (
        "SELECT carrier, flight, dep_delay, distance::bigint AS distance, air_time::float8 AS"
        " air, time_hour, avg(arr_delay) OVER (PARTITION BY carrier) AS avg_arr,"
        " time_hour::date AS day FROM flights WHERE tailnum = 'N14228' ORDER BY time_hour"
    )
    answer, info = await service.execute_table(sql)
    types = {field.name: field.type for field in answer.table.schema}
    assert types["carrier"] == pa.string() and types["flight"] == pa.int32()
    assert types["distance"] == pa.int64() and types["air"] == pa.float64()
    assert types["time_hour"] == pa.timestamp("us") and types["day"] == pa.date32()
    assert pa.types.is_decimal(types["avg_arr"])
    assert browser_decodable(answer.table) and not info.hit
    expected = duck.sql(sql).to_arrow_table()
    assert answer.table.column("time_hour").to_pylist() == expected.column("time_hour").to_pylist()
    assert answer.table.column("dep_delay").to_pylist() == expected.column("dep_delay").to_pylist()
    assert answer.result.row_count == expected.num_rows > 0
    _, again = await service.execute_table(sql)
    assert again.hit


async def test_row_cap_and_json_rows(service) -> None:
    service.settings = service.settings.model_copy(update={"max_rows": 7})
    result = await service.execute("SELECT * FROM weather")
    assert result.row_count == 7 and result.truncated and len(result.rows) == 7
    assert isinstance(result.rows[0][-1], str) and result.rows[0][-1].startswith("2013-")


async def test_a_cancelled_caller_cancels_the_query_on_the_server(
    service, pg_flights: SeededDatabase
) -> None:
    task = asyncio.create_task(service.execute("SELECT pg_sleep(20) AS slept"))
    await asyncio.sleep(0.8)
    assert _sleeping(pg_flights.admin) == 1
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    deadline = time.monotonic() + 3
    while _sleeping(pg_flights.admin) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert _sleeping(pg_flights.admin) == 0


def _sleeping(admin_url: str) -> int:
    with psycopg.connect(admin_url) as conn:
        row = conn.execute(
            # The sleep runs while the server-side cursor FETCHes: match the session, not text.
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'plotwise'"
            " AND state = 'active'"
        ).fetchone()
    return row[0] if row else 0


async def test_zoned_timestamps_read_in_utc_whatever_the_role_s_zone(
    postgres: PostgresServer, flights_parquet: dict[str, Path], tmp_path: Path
) -> None:
    seeded = seed_flights(postgres, flights_parquet, ["airlines"])
    try:
        with psycopg.connect(seeded.admin, autocommit=True) as conn:
            conn.execute(
                f"ALTER ROLE reader IN DATABASE \"{seeded.name}\" SET timezone = 'Asia/Tokyo'"
            )
        service = _service(seeded.reader, tmp_path)
        sql = "SELECT CAST('2013-01-01 05:00:00+00' AS timestamptz) AS at FROM airlines LIMIT 1"
        result = await service.execute(sql)
        assert result.columns[0].type == "TIMESTAMP WITH TIME ZONE"
        assert result.rows == [["2013-01-01T05:00:00+00:00"]]
    finally:
        postgres.drop_database(seeded.name)
