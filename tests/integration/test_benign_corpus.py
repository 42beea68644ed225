"""Benign corpus: analyst SQL the guard must admit and the governed path must run.

Every nycflights13 query of ``fixtures/sql/benign_nycflights13.yaml`` and the 22 TPC-H queries
of ``fixtures/sql/tpch`` go through `SQLService.execute`, the one path that runs model SQL
(guard, engine statement check, row cap, time limit). A refusal here is a false refusal. TPC-H
results are also compared with answers SQLite computes from the same Parquet files.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from plotwise.data.catalog import Catalog
from plotwise.data.tpch import parquet_paths
from plotwise.settings import Settings
from plotwise.sql.guard import validate_select
from plotwise.sql.service import SQLService
from support.tpch_reference import load_sqlite, rows_differ

pytestmark = pytest.mark.anyio

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sql"
BENIGN = yaml.safe_load((FIXTURES / "benign_nycflights13.yaml").read_text(encoding="utf-8"))
TPCH_QUERIES = [f"q{number:02d}" for number in range(1, 23)]

BENIGN_PARAMS = [pytest.param(query["sql"], id=query["name"]) for query in BENIGN]


@pytest.fixture(scope="module")
def sql_service(settings: Settings, catalog: Catalog) -> SQLService:
    """One governed SQL path for the whole module, under the default limits."""
    return SQLService.create(catalog, settings)


@pytest.fixture(scope="module")
def reference_db(settings: Settings, catalog: Catalog) -> Iterator[sqlite3.Connection]:
    """The session's generated TPC-H Parquet files, loaded into SQLite."""
    assert "tpch" in catalog.datasets, "the default settings must load the TPC-H dataset"
    connection = load_sqlite(parquet_paths(settings.resolved_data_dir()))
    try:
        yield connection
    finally:
        connection.close()


def test_corpus_is_large_and_well_formed() -> None:
    names = [query["name"] for query in BENIGN]
    assert len(names) >= 150
    assert len(set(names)) == len(names), "query names must be unique (they are test ids)"
    assert all(query.get("description") and query.get("sql") for query in BENIGN)


@pytest.mark.parametrize("sql", BENIGN_PARAMS)
async def test_benign_query_runs(sql_service: SQLService, sql: str) -> None:
    # refresh=True: a cache hit would answer without passing the guard again.
    result = await sql_service.execute(sql, refresh=True)
    assert result.columns
    assert result.row_count <= sql_service.settings.max_rows


@pytest.mark.parametrize("name", TPCH_QUERIES)
async def test_tpch_query_matches_reference(
    sql_service: SQLService, reference_db: sqlite3.Connection, name: str
) -> None:
    sql = (FIXTURES / "tpch" / f"{name}.sql").read_text(encoding="utf-8")
    validate_select(sql, tables=sql_service.catalog.tables)
    result = await sql_service.execute(sql, refresh=True)

    reference_sql = (FIXTURES / "tpch_sqlite" / f"{name}.sql").read_text(encoding="utf-8")
    cursor = reference_db.execute(reference_sql)
    expected = [list(row) for row in cursor.fetchall()]
    assert [column.name for column in result.columns] == [item[0] for item in cursor.description]
    cap = sql_service.settings.max_rows
    assert result.truncated == (len(expected) > cap)
    difference = rows_differ(result.rows, expected[:cap])
    assert difference is None, f"{name}: {difference}"
