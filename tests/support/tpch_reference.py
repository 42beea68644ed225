"""Reference answers for the 22 TPC-H queries, computed without DuckDB.

The generated Parquet files are read with pyarrow into an in-memory SQLite database, and the
SQLite versions of the queries (``fixtures/sql/tpch_sqlite``) run there. Two independent engines
agreeing on the same files is the check; nothing is cached, so any scale factor works.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

INDEXES = (
    ("lineitem", "l_orderkey"),
    ("lineitem", "l_partkey, l_suppkey"),
    ("orders", "o_orderkey"),
    ("orders", "o_custkey"),
    ("customer", "c_custkey"),
    ("part", "p_partkey"),
    ("partsupp", "ps_partkey, ps_suppkey"),
    ("supplier", "s_suppkey"),
    ("nation", "n_nationkey"),
)
"""Key indexes: without them the correlated subqueries (Q17, Q20, Q21) scan lineitem per row."""


def load_sqlite(paths: dict[str, Path]) -> sqlite3.Connection:
    """Copy Parquet tables into a new in-memory SQLite database.

    Dates become ISO 8601 text (SQLite's date functions and comparisons work on it), floating
    columns REAL, integers INTEGER, strings TEXT.

    Args:
        paths: Table name -> Parquet file.

    Returns:
        The open connection; the caller closes it.

    """
    connection = sqlite3.connect(":memory:")
    for name, path in paths.items():
        table = pq.read_table(path)
        columns = [_sqlite_values(column) for column in table.columns]
        names = ", ".join(f'"{field}"' for field in table.column_names)
        connection.execute(f'CREATE TABLE "{name}" ({names})')
        marks = ", ".join("?" * table.num_columns)
        connection.executemany(f'INSERT INTO "{name}" VALUES ({marks})', zip(*columns, strict=True))
    for table_name, key in INDEXES:
        if table_name in paths:
            index = f"{table_name}_{key.replace(', ', '_')}"
            connection.execute(f'CREATE INDEX "{index}" ON "{table_name}" ({key})')
    connection.commit()
    return connection


def _sqlite_values(column: pa.ChunkedArray) -> list[object]:
    """Return a column's values as Python objects SQLite stores natively."""
    if pa.types.is_temporal(column.type):
        return pc.cast(column, pa.string()).to_pylist()
    return column.to_pylist()


def rows_differ(
    actual: Sequence[Sequence[object]],
    expected: Sequence[Sequence[object]],
    *,
    rel_tol: float = 1e-6,
) -> str | None:
    """Compare two results row by row, numbers with a relative tolerance.

    Args:
        actual: Rows from the engine under test.
        expected: Reference rows, in the same order.
        rel_tol: Relative tolerance for numbers (DOUBLE sums in another order differ slightly).

    Returns:
        None if they match, else a description of the first difference.

    """
    if len(actual) != len(expected):
        return f"{len(actual)} rows, expected {len(expected)}"
    for number, (got, want) in enumerate(zip(actual, expected, strict=True)):
        if len(got) != len(want):
            return f"row {number}: {len(got)} columns, expected {len(want)}"
        for column, (a, b) in enumerate(zip(got, want, strict=True)):
            if not _same(a, b, rel_tol):
                return f"row {number}, column {column}: {a!r} != {b!r} (rows {got} vs {want})"
    return None


def _same(a: object, b: object, rel_tol: float) -> bool:
    numbers = (int, float)
    if isinstance(a, numbers) and isinstance(b, numbers):
        return math.isclose(a, b, rel_tol=rel_tol, abs_tol=1e-9)
    return a == b
