"""Profile the columns of an upload in one scan: nulls, thousands separators, formula cells.

Works on a DuckDB connection where the view ``upload`` reads the file (see `inspect_upload`).
"""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import JsonValue

from plotwise.data.files import sql_identifier, sql_literal
from plotwise.sql.arrow_json import column_values, table_rows
from plotwise.uploads.draft import UploadColumn
from plotwise.uploads.formulas import FORMULA_PREFIXES

PREVIEW_ROWS = 20
"""Rows of the first-rows preview."""

EXAMPLES = 3
"""Distinct example values per column."""

EXAMPLE_ROWS = 1000
"""Rows the examples are taken from (the first ones)."""

THOUSANDS = r"-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?|-?[0-9]+(\.[0-9]+)?"
"""A number written with ``,`` thousands separators (or without any)."""

_TEXT_STATS = 5
"""Aggregates computed per text column (see `_text_aggregates`)."""


def profile(
    connection: duckdb.DuckDBPyConnection, described: list[tuple[str, str]]
) -> tuple[int, list[UploadColumn], list[list[JsonValue]]]:
    """Profile the ``upload`` view.

    Args:
        connection: A connection with the ``upload`` view.
        described: Its columns as (name, DuckDB type) pairs, in order.

    Returns:
        The row count, the columns (with thousands-separated text typed as numbers) and the
        first `PREVIEW_ROWS` rows, JSON-safe.

    Raises:
        duckdb.Error: The file could not be read.

    """
    aggregates = ["count(*)"]
    for name, kind in described:
        aggregates.append(f"count({sql_identifier(name)})")
        if kind == "VARCHAR":
            aggregates.extend(_text_aggregates(sql_identifier(name)))
    stats = list(connection.sql(f"SELECT {', '.join(aggregates)} FROM upload").fetchall()[0])
    rows = stats.pop(0)
    columns = []
    for name, kind in described:
        non_null = stats.pop(0)
        column = UploadColumn(name=name, type=kind, null_count=rows - non_null, examples=[])
        if kind == "VARCHAR":
            numeric, with_comma, decimals, whole, formulas = stats[:_TEXT_STATS]
            del stats[:_TEXT_STATS]
            if with_comma and numeric == non_null:
                column.thousands = True
                column.type = "BIGINT" if whole == non_null and not decimals else "DOUBLE"
            else:
                column.formula_cells = formulas
        columns.append(column)
    head = connection.sql(
        f"SELECT {select_list(columns)} FROM upload LIMIT {EXAMPLE_ROWS}"
    ).to_arrow_table()
    for column, values in zip(columns, head.columns, strict=True):
        column.examples = _examples(values)
    return rows, columns, table_rows(head.slice(0, PREVIEW_ROWS))


def select_list(columns: list[UploadColumn], overrides: dict[str, str] | None = None) -> str:
    """The SELECT list that turns the ``upload`` view into the reviewed table.

    Thousands-separated text loses its ``,`` and is cast to the column's type; an override
    (a type already checked against the allowed list) casts the column to that type.
    """
    overrides = overrides or {}
    return ", ".join(
        f"{read_expression(column, overrides.get(column.name))} AS {sql_identifier(column.name)}"
        for column in columns
    )


def read_expression(column: UploadColumn, override: str | None = None) -> str:
    """SQL that reads one column of the ``upload`` view as its reviewed type."""
    value = sql_identifier(column.name)
    if column.thousands:
        value = f"replace({value}, ',', '')"
    target = override or (column.type if column.thousands else None)
    return f"CAST({value} AS {target})" if target else value


def _text_aggregates(column: str) -> list[str]:
    """The aggregates of one text column, in the order `profile` reads them.

    Cells that are numbers (with or without ``,``), that hold ``,``, that hold ``.``, that are
    whole numbers once ``,`` is removed, and that start like a formula.
    """
    prefixes = ", ".join(sql_literal(prefix) for prefix in FORMULA_PREFIXES)
    # count(*) FILTER is 0 over no rows or only NULLs, where count_if would give NULL.
    return [
        f"count(*) FILTER (regexp_full_match({column}, {sql_literal(THOUSANDS)}))",
        f"count(*) FILTER (contains({column}, ','))",
        f"count(*) FILTER (contains({column}, '.'))",
        f"count(TRY_CAST(replace({column}, ',', '') AS BIGINT))",
        f"count(*) FILTER (left({column}, 1) IN ({prefixes}))",
    ]


def _examples(values: pa.ChunkedArray) -> list[JsonValue]:
    """Up to `EXAMPLES` distinct non-null values, in order of appearance, JSON-safe."""
    present = values.drop_null()
    try:
        distinct = pc.unique(present)
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
        distinct = present  # nested types have no hash kernel; first values will do
    return column_values(distinct.slice(0, EXAMPLES))
