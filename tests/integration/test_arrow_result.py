"""The artifact data endpoint's Arrow answer over real HTTP: typed values arrive unchanged.

Each test reads the Arrow IPC stream with pyarrow and compares it with what DuckDB itself
returns for the same SQL, in an engine configured as the query workers' (`open_engine`).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable, Iterator

import httpx
import pyarrow as pa
import pytest

from plotwise.app import create_app
from plotwise.artifact.store import ArtifactRecord, new_artifact_id
from plotwise.data.catalog import open_engine
from plotwise.data.nycflights13 import parquet_paths
from plotwise.settings import Settings
from plotwise.sql import handoff
from plotwise.sql.arrow_json import table_rows
from plotwise.sql.arrow_result import ARROW_STREAM, read_metadata
from support.live_server import live_server

TYPED_SQL = """
SELECT 12.34::DECIMAL(10, 2) AS price, -0.005::DECIMAL(18, 3) AS tiny,
       sum(distance)::HUGEINT * 100000000000000000000 AS huge,
       9007199254740993::BIGINT AS big, -170141183460469231731687303715884105727::HUGEINT AS low,
       DATE '2013-01-02' AS day, TIMESTAMP '2013-01-02 03:04:05.123456' AS at,
       TIMESTAMPTZ '2013-01-02 03:04:05+00' AS at_utc, TIME '01:02:03.5' AS clock,
       'x' AS text, true AS flag, 1.5::DOUBLE AS ratio, 'NaN'::DOUBLE AS nan, NULL AS nothing
FROM flights
UNION ALL
SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
ORDER BY price NULLS LAST
"""


@pytest.fixture(scope="module")
def served(app_settings: Settings) -> Iterator[tuple[str, Callable[[str], str]]]:
    """A server and a function that stores an artifact for any SQL, returning its id."""
    app = create_app(app_settings)
    with live_server(app) as url:

        def artifact_for(sql: str) -> str:
            record = ArtifactRecord(
                artifact_id=new_artifact_id(),
                conversation_id=None,
                code="export default function App() { return null; }",
                language="tsx",
                query_id=None,
                sql=sql,
            )
            asyncio.run(app.state.services.artifacts.add(record))
            return record.artifact_id

        yield url, artifact_for


def duckdb_table(settings: Settings, sql: str) -> pa.Table:
    connection = open_engine(settings, parquet_paths(settings.resolved_data_dir()))
    try:
        return connection.cursor().sql(sql).to_arrow_table()
    finally:
        connection.close()


def post(url: str, artifact_id: str, accept: str, **body: object) -> httpx.Response:
    response = httpx.post(
        f"{url}/api/artifacts/{artifact_id}/data", json=body, headers={"Accept": accept}, timeout=30
    )
    assert response.status_code == 200, response.text
    return response


def read_stream(response: httpx.Response) -> pa.Table:
    assert response.headers["content-type"] == ARROW_STREAM
    return pa.ipc.open_stream(response.content).read_all()


def test_typed_values_survive_the_trip_unchanged(served, app_settings):
    url, artifact_for = served
    artifact_id = artifact_for(TYPED_SQL)
    table = read_stream(post(url, artifact_id, ARROW_STREAM))
    expected = duckdb_table(app_settings, TYPED_SQL)
    assert table.schema.remove_metadata() == expected.schema
    # NaN equals nothing, itself included: that column is checked on its own.
    nan = table.column("nan").to_pylist()
    assert math.isnan(nan[0]) and nan[1] is None
    table, expected = table.drop_columns(["nan"]), expected.drop_columns(["nan"])
    assert table.replace_schema_metadata(None).equals(expected)
    assert table.column("huge")[0].as_py() == expected.column("huge")[0].as_py() > 2**64
    assert table.column("big")[0].as_py() == 9007199254740993
    assert table.column("at")[0].as_py().microsecond == 123456
    assert table.column("nothing").null_count == 2 and table.column("price")[1].as_py() is None
    meta = read_metadata(table.schema)
    assert meta["artifact_id"] == artifact_id and meta["row_count"] == 2
    assert not meta["truncated"] and "rows" not in meta and meta["cache"]["hit"] is False
    assert [c["type"] for c in meta["columns"]][:3] == ["DECIMAL(10,2)", "DECIMAL(18,3)", "HUGEINT"]


def test_arrow_and_json_answers_hold_the_same_values(served):
    url, artifact_for = served
    artifact_id = artifact_for(TYPED_SQL)
    as_json = post(url, artifact_id, "application/json").json()
    table = read_stream(post(url, artifact_id, ARROW_STREAM))
    assert table_rows(table) == as_json["rows"]
    meta = read_metadata(table.schema)
    assert meta["columns"] == as_json["columns"] and meta["sql"] == as_json["sql"]


def test_the_row_cap_and_the_cache_apply_to_arrow_answers(served, app_settings):
    url, artifact_for = served
    artifact_id = artifact_for("SELECT flight, time_hour FROM flights ORDER BY time_hour, flight")
    first = read_stream(post(url, artifact_id, ARROW_STREAM))
    again = read_stream(post(url, artifact_id, ARROW_STREAM))
    fresh = read_stream(post(url, artifact_id, ARROW_STREAM, refresh=True))
    assert first.num_rows == app_settings.max_rows and read_metadata(first.schema)["truncated"]
    assert read_metadata(again.schema)["cache"]["hit"]
    assert not read_metadata(fresh.schema)["cache"]["hit"]
    assert again.equals(first) and fresh.equals(first)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT INTERVAL 1 DAY AS span, [1, 2] AS list FROM flights LIMIT 1",
        "SELECT 'infinity'::TIMESTAMP AS t FROM flights LIMIT 1",
        "SELECT DATE '10000-01-01' AS d FROM flights LIMIT 1",
    ],
)
def test_values_the_browser_cannot_decode_are_answered_as_json(served, sql):
    url, artifact_for = served
    artifact_id = artifact_for(sql)
    response = post(url, artifact_id, f"{ARROW_STREAM}, application/json;q=0.9")
    assert response.headers["content-type"] == "application/json"
    assert response.json()["rows"] == post(url, artifact_id, "application/json").json()["rows"]


def test_a_large_result_is_sent_from_its_spool_file_which_the_cache_adopts(app_settings):
    settings = app_settings.model_copy(update={"max_rows": 150_000, "cache_large_rows": 1_000})
    sql = "SELECT * FROM flights LIMIT 120000"
    app = create_app(settings)
    data_dir = settings.resolved_data_dir()
    with live_server(app) as url:
        record = ArtifactRecord(
            artifact_id=new_artifact_id(),
            conversation_id=None,
            code="x",
            language="tsx",
            query_id=None,
            sql=sql,
        )
        asyncio.run(app.state.services.artifacts.add(record))
        fresh = read_stream(post(url, record.artifact_id, ARROW_STREAM, refresh=True))
        assert fresh.replace_schema_metadata(None).equals(duckdb_table(settings, sql))
        meta = read_metadata(fresh.schema)
        assert (meta["row_count"], meta["truncated"], meta["cache"]["hit"]) == (
            120_000,
            False,
            False,
        )
        cached = data_dir / "cache" / f"{meta['cache']['key']}-t.arrow"
        deadline = time.monotonic() + 10
        while not cached.with_suffix(".json").exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        # The spool file was renamed, not copied: no spool file is left behind.
        assert cached.exists() and not list(handoff.spool_dir(data_dir).glob("*.arrow"))
        again = read_stream(post(url, record.artifact_id, ARROW_STREAM))
        assert read_metadata(again.schema)["cache"]["hit"]
        assert again.replace_schema_metadata(None).equals(fresh.replace_schema_metadata(None))
