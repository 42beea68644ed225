"""Turn an Arrow result table into JSON-safe rows (lists of int, float, str, bool, None...).

Rules: dates, times and timestamps become ISO 8601 strings; a DECIMAL becomes an int when its
scale is 0 (HUGEINT sums arrive as DECIMAL(38,0)) and a float otherwise; NaN and infinities
become None (JSON has no spelling for them); BLOBs become lower-case hex strings; intervals
become ISO 8601 durations; lists, structs and maps become lists, objects and lists of
``[key, value]`` pairs.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from decimal import Decimal

import pyarrow as pa
from pydantic import JsonValue

_PASSTHROUGH_TYPES = (
    pa.types.is_integer,
    pa.types.is_boolean,
    pa.types.is_string,
    pa.types.is_large_string,
    pa.types.is_null,
)
"""Arrow types whose Python values are already JSON-safe (no per-value work needed)."""


def table_rows(table: pa.Table) -> list[list[JsonValue]]:
    """Return a table's rows as lists in column order, every value JSON-safe.

    Args:
        table: Any Arrow table (all rows are converted; cap it before calling).

    Returns:
        ``table.num_rows`` lists, each with ``table.num_columns`` values.

    """
    columns = [column_values(column) for column in table.columns]
    if not columns:
        return [[] for _ in range(table.num_rows)]
    return [list(row) for row in zip(*columns, strict=True)]


def column_values(column: pa.ChunkedArray | pa.Array) -> list[JsonValue]:
    """Return one column's values as JSON-safe Python values, in order."""
    kind = column.type
    if any(check(kind) for check in _PASSTHROUGH_TYPES):
        return column.to_pylist()
    if pa.types.is_floating(kind):
        return [_finite(value) for value in column.to_pylist()]
    try:
        values = column.to_pylist()
    except (OverflowError, ValueError, pa.ArrowException):
        # Dates beyond Python's range (DuckDB's 'infinity' timestamps): keep Arrow's text.
        return [
            None if value is None else str(value) for value in column.cast(pa.string()).to_pylist()
        ]
    return [json_value(value) for value in values]


def json_value(value: object) -> JsonValue:
    """Convert one Python value from Arrow's ``to_pylist`` into a JSON-safe value."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return _finite(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        exponent = value.as_tuple().exponent
        return int(value) if isinstance(exponent, int) and exponent >= 0 else float(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return _duration(0, value.days, value.seconds * 10**9 + value.microseconds * 1000)
    if isinstance(value, pa.MonthDayNano):
        return _duration(value.months, value.days, value.nanoseconds)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(key): json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    return str(value)


def _finite(value: float | None) -> float | None:
    """Return the float, or None for NaN and infinities."""
    return value if value is not None and math.isfinite(value) else None


def _duration(months: int, days: int, nanoseconds: int) -> str:
    """Format an interval as an ISO 8601 duration, e.g. ``P1M2DT3.5S`` (parts may be negative)."""
    seconds = Decimal(nanoseconds) / Decimal(10**9)
    text = "P"
    if months:
        text += f"{months}M"
    if days:
        text += f"{days}D"
    if seconds or text == "P":
        text += f"T{seconds.normalize():f}S"
    return text
