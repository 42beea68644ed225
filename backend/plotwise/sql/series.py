"""The shape of a query result as a chart would draw it: a series, categories, or neither.

`plotwise.sql.downsample` reduces a long result only when its shape says how: a **series** has
an x column (the first DATE/TIMESTAMP/TIME column, else a numeric first column whose values
ascend within each series), one or more numeric measures, and optionally text or boolean
columns naming the series (``carrier`` in ``SELECT day, carrier, avg(delay)``); further
temporal columns ride along with their rows. **Categories** are one VARCHAR column with one row
per value and one or more numeric measures. Anything else (scatter clouds, raw rows,
lists or structs) has no shape here and is never reduced.

The columns are read into NumPy arrays (`SeriesArrays`) the same way from an Arrow table and
from JSON rows, so both answers of the data endpoint reduce alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import JsonValue

from plotwise.sql.result import NUMERIC_TYPES, TEMPORAL_TYPES, ColumnSchema

_OPAQUE = ("[", "STRUCT", "MAP", "LIST", "UNION", "BLOB", "BIT", "INTERVAL", "JSON")
"""Markers of DuckDB type names a series or category column cannot have."""


def _kind(type_name: str) -> Literal["numeric", "temporal", "label", "opaque"]:
    name = type_name.upper()
    if any(marker in name for marker in _OPAQUE):
        return "opaque"
    if name.startswith(NUMERIC_TYPES):
        return "numeric"
    if name.startswith(TEMPORAL_TYPES):
        return "temporal"
    return "label"


@dataclass(frozen=True)
class Shape:
    """Which columns play which part; indexes are positions in the result's columns.

    Attributes:
        kind: ``series`` (reduced by LTTB) or ``categories`` (top N plus "Other").
        x: The x column (series) or the category column.
        keys: Columns whose values name the series (empty for one series, and for categories).
        measures: The numeric columns drawn against ``x``.
        temporal: Whether ``x`` is a date, time or timestamp (else numeric, or text for
            categories).

    """

    kind: Literal["series", "categories"]
    x: int
    keys: tuple[int, ...]
    measures: tuple[int, ...]
    temporal: bool


MAX_SERIES_LABELS = 1
"""Most text (or boolean) columns a series result may have: the one naming its series."""


def detect_shape(columns: Sequence[ColumnSchema]) -> Shape | None:
    """The shape the column types allow, or None when the result is not a series or categories.

    A numeric x still has to ascend within each series (checked on the values, `SeriesArrays`).
    """
    kinds = [_kind(column.type) for column in columns]
    if "opaque" in kinds:
        return None
    numeric = [i for i, kind in enumerate(kinds) if kind == "numeric"]
    labels = tuple(i for i, kind in enumerate(kinds) if kind == "label")
    temporal = [i for i, kind in enumerate(kinds) if kind == "temporal"]
    if len(labels) > MAX_SERIES_LABELS:
        # Several text columns make a table of records (raw rows), not a chart's series; the
        # check is by types alone, so such results (a refresh of 100k flights) cost nothing here.
        return None
    if temporal and numeric:
        return Shape("series", temporal[0], labels, tuple(numeric), temporal=True)
    if not temporal and len(numeric) >= 2 and kinds[0] == "numeric":
        return Shape("series", 0, labels, tuple(numeric[1:]), temporal=False)
    if not temporal and len(labels) == 1 and numeric and columns[labels[0]].type == "VARCHAR":
        return Shape("categories", labels[0], (), tuple(numeric), temporal=False)
    return None


@dataclass(frozen=True)
class SeriesArrays:
    """The columns of a shape as NumPy arrays, one entry per result row.

    Attributes:
        x: The x values as numbers (int64 microseconds or days for temporal columns, float64
            otherwise); meaningless where ``x_valid`` is False.
        x_valid: False where x is NULL (or NaN): such rows cannot be placed on an axis.
        codes: One int64 per row naming its series (0 for a result with one series), or for
            categories its category.
        measures: One float64 array per measure column, NaN for NULL, NaN and infinities.

    """

    x: np.ndarray
    x_valid: np.ndarray
    codes: np.ndarray
    measures: tuple[np.ndarray, ...]


def table_arrays(table: pa.Table, shape: Shape) -> SeriesArrays:
    """Read ``shape``'s columns from an Arrow table (vectorised, no per-row Python work)."""
    return _arrays(
        _x_array(table.column(shape.x).combine_chunks(), shape.temporal),
        [table.column(i).combine_chunks() for i in _key_columns(shape)],
        [table.column(i).combine_chunks() for i in shape.measures],
        table.num_rows,
    )


def rows_arrays(
    columns: Sequence[ColumnSchema], rows: Sequence[Sequence[JsonValue]], shape: Shape
) -> SeriesArrays:
    """Read ``shape``'s columns from JSON rows (dates and timestamps as ISO 8601 strings)."""

    def column(index: int) -> list[JsonValue]:
        return [row[index] for row in rows]

    x = column(shape.x)
    if shape.temporal:
        x_array = _parse_temporal(x, columns[shape.x].type)
    else:
        x_array = pa.array(x, pa.float64()) if shape.kind == "series" else pa.array(x)
    keys = [pa.array(column(i)) for i in _key_columns(shape)]
    measures = [pa.array(column(i), pa.float64()) for i in shape.measures]
    return _arrays(_x_array(x_array, shape.temporal), keys, measures, len(rows))


def _key_columns(shape: Shape) -> tuple[int, ...]:
    """Columns whose values make ``codes``: the series' names, or each row's category."""
    return shape.keys if shape.kind == "series" else (shape.x,)


def _parse_temporal(values: list[JsonValue], type_name: str) -> pa.Array:
    """ISO 8601 strings of one DuckDB temporal type as an Arrow timestamp array."""
    name = type_name.upper()
    strings = pa.array(values, pa.string())
    if name.startswith("DATE"):
        return strings.cast(pa.date32())
    if not name.startswith("TIMESTAMP"):
        # A TIME of day: on the epoch's date it parses as a timestamp and keeps its order.
        strings = pc.binary_join_element_wise("1970-01-01T", strings, "")
    # The unit DuckDB's Arrow answer has, so both answers give the same x values.
    unit = {"TIMESTAMP_S": "s", "TIMESTAMP_MS": "ms", "TIMESTAMP_NS": "ns"}.get(name, "us")
    zone = "UTC" if "TIME ZONE" in name or name.endswith("TZ") else None
    return strings.cast(pa.timestamp(unit, tz=zone))


def _x_array(values: pa.Array, temporal: bool) -> pa.Array:
    """The x column as int64 (temporal) or float64 (numeric); text categories unchanged."""
    kind = values.type
    if temporal:
        if pa.types.is_date32(kind) or pa.types.is_time32(kind):
            return values.cast(pa.int32()).cast(pa.int64())
        return values.cast(pa.int64())
    if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        return values.cast(pa.float64())
    return values


def _arrays(
    x: pa.Array, keys: list[pa.Array], measures: list[pa.Array], num_rows: int
) -> SeriesArrays:
    if pa.types.is_integer(x.type) or pa.types.is_floating(x.type):
        x_numbers = (x.fill_null(0) if x.null_count else x).to_numpy(zero_copy_only=False)
        x_valid = _valid(x)
        if pa.types.is_floating(x.type):
            x_valid &= np.isfinite(x_numbers)
    else:
        x_numbers = np.zeros(num_rows)
        x_valid = _valid(x)
    codes = np.zeros(num_rows, dtype=np.int64)
    bound = 1
    for key in keys:
        encoded = pc.dictionary_encode(key)
        size = len(encoded.dictionary) + 1
        # NULL is a series of its own: code 0, the values 1 and up.
        own = encoded.indices.cast(pa.int64()).fill_null(-1).to_numpy() + 1
        codes, bound = codes * size + own, bound * size
        if bound > 2**31:
            # Renumber before the next key could overflow int64.
            codes = np.unique(codes, return_inverse=True)[1].astype(np.int64)
            bound = int(codes.max(initial=0)) + 1
    floats = []
    for measure in measures:
        values = np.array(measure.cast(pa.float64()).to_numpy(zero_copy_only=False))
        values[np.isinf(values)] = np.nan
        floats.append(values)
    return SeriesArrays(x_numbers, x_valid, codes, tuple(floats))


def _valid(values: pa.Array) -> np.ndarray:
    """False where ``values`` is NULL."""
    if not values.null_count:
        return np.ones(len(values), dtype=bool)
    return values.is_valid().to_numpy(zero_copy_only=False)
