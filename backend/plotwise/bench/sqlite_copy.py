"""A SQLite copy of Parquet tables, for peers that read SQLite (Datasette).

DuckDB reads the Parquet files; rows go to SQLite in batches through the standard ``sqlite3``
module. Integers stay INTEGER, floating point and decimals become REAL, everything else
(text, dates, timestamps) TEXT, with dates and timestamps in ISO 8601 as DuckDB prints them
(``2013-01-01 05:00:00``). No indexes are made: the queries compared scan whole tables.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import duckdb

from plotwise.data.files import sql_literal

BATCH_ROWS = 50_000
"""Rows moved per batch."""

_INTEGER = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER")
_REAL = ("FLOAT", "DOUBLE", "DECIMAL", "REAL")


def sqlite_type(duckdb_type: str) -> str:
    """The SQLite column type a DuckDB column is stored as (``INTEGER``, ``REAL`` or ``TEXT``)."""
    name = duckdb_type.upper()
    if name.startswith(_INTEGER):
        return "INTEGER"
    if name.startswith(_REAL):
        return "REAL"
    return "TEXT"


def build_sqlite(tables: dict[str, Path], target: Path) -> Path:
    """Write every Parquet table into a new SQLite database file.

    Args:
        tables: Table name -> Parquet file.
        target: The database file to create; must not exist yet.

    Returns:
        ``target``.

    Raises:
        FileExistsError: ``target`` exists.

    """
    if target.exists():
        raise FileExistsError(target)
    with (
        contextlib.closing(duckdb.connect(":memory:")) as source,
        contextlib.closing(sqlite3.connect(target)) as sink,
    ):
        source.execute("SET enable_progress_bar_print=false")
        for table, path in tables.items():
            relation = f"read_parquet({sql_literal(str(path))})"
            described = source.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()
            kinds = {name: sqlite_type(kind) for name, kind, *_ in described}
            columns = ", ".join(f'"{name}" {kind}' for name, kind in kinds.items())
            sink.execute(f'CREATE TABLE "{table}" ({columns})')
            # Cast in DuckDB: dates and timestamps arrive as its ISO text, decimals as floats
            # (sqlite3 binds neither datetime nor Decimal values).
            casts = {"INTEGER": "BIGINT", "REAL": "DOUBLE", "TEXT": "VARCHAR"}
            select = ", ".join(f'CAST("{name}" AS {casts[kind]})' for name, kind in kinds.items())
            cursor = source.execute(f"SELECT {select} FROM {relation}")
            marks = ", ".join("?" for _ in kinds)
            while batch := cursor.fetchmany(BATCH_ROWS):
                sink.executemany(f'INSERT INTO "{table}" VALUES ({marks})', batch)
        sink.commit()
    return target
