"""Rows fetched from PostgreSQL as JSON-safe rows and as the Arrow table artifacts send.

DuckDB results arrive as Arrow from the query worker; a PostgreSQL source's rows arrive as
Python values from psycopg. `json_rows` gives the values the JSON spelling DuckDB results have
(`plotwise.sql.arrow_json`), and `arrow_table` builds the table column by column with the Arrow
type matching each column's DuckDB type name (`plotwise.sources.pg_types`), so the browser
reads a PostgreSQL result exactly as it reads the same result from DuckDB. Columns typed as
text (``VARCHAR``, ``UUID``, ``JSON``, and the PostgreSQL types read as text: enums, arrays...)
hold text in both.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Final

import pyarrow as pa
from pydantic import JsonValue

from plotwise.sql.arrow_json import json_value
from plotwise.sql.result import ColumnSchema

ARROW_TYPES: Final = {
    "BOOLEAN": pa.bool_(),
    "SMALLINT": pa.int16(),
    "INTEGER": pa.int32(),
    "BIGINT": pa.int64(),
    "FLOAT": pa.float32(),
    "DOUBLE": pa.float64(),
    "DATE": pa.date32(),
    "TIMESTAMP": pa.timestamp("us"),
    "TIMESTAMP WITH TIME ZONE": pa.timestamp("us", tz="UTC"),
    "TIME": pa.time64("us"),
    "BLOB": pa.binary(),
}
"""The Arrow type of each DuckDB type name a PostgreSQL column may carry; DECIMAL and INTERVAL
are inferred from the values, and text stands in when that fails."""

TEXT_TYPES: Final = frozenset({"VARCHAR", "UUID", "JSON", "TIME WITH TIME ZONE"})
"""DuckDB type names whose values are sent as text."""


def text_value(value: object) -> str | None:
    """A value of a text column as text: JSON for arrays and documents, else ``str``."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict | list | tuple):
        return json.dumps(json_value(value), ensure_ascii=False)
    return str(value)


def json_rows(
    columns: Sequence[ColumnSchema], rows: Sequence[Sequence[object]]
) -> list[list[JsonValue]]:
    """The rows with JSON-safe values (ISO dates, numbers, text for text columns)."""
    text = [column.type in TEXT_TYPES for column in columns]
    return [
        [text_value(v) if is_text else json_value(v) for v, is_text in zip(row, text, strict=True)]
        for row in rows
    ]


def arrow_table(columns: Sequence[ColumnSchema], rows: Sequence[Sequence[object]]) -> pa.Table:
    """Build an Arrow table from psycopg's rows.

    Args:
        columns: The result's columns with DuckDB type names.
        rows: The rows, values as psycopg returns them (``Decimal``, ``datetime``...).

    Returns:
        One column per entry of ``columns``, named as they are (duplicates allowed).

    """
    arrays = [_array(c.type, [row[i] for row in rows]) for i, c in enumerate(columns)]
    schema = pa.schema([pa.field(c.name, a.type) for c, a in zip(columns, arrays, strict=True)])
    return pa.Table.from_arrays(arrays, schema=schema)


def _array(kind: str, values: list[object]) -> pa.Array:
    if kind in TEXT_TYPES:
        return pa.array([text_value(v) for v in values], pa.string())
    arrow_type = ARROW_TYPES.get(kind)
    try:
        return pa.array(values, arrow_type) if arrow_type is not None else pa.array(values)
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        # A numeric wider than DECIMAL(38), NaN, an infinite date: as text, as JSON shows it.
        shown = [json_value(v) for v in values]
        return pa.array([None if v is None else str(v) for v in shown], pa.string())
