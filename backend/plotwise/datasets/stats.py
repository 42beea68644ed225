"""A dataset's summary and detail: row counts, column statistics and the first rows.

Statistics and previews are ordinary guarded queries through the dataset's own `QueryService`
(DuckDB workers, or the PostgreSQL server), so they run under the same limits and cache as any
question: one query per `STATS_CHUNK` columns (null count, distinct count, min, max) and one
``LIMIT`` query for the preview.
"""

from __future__ import annotations

from typing import Final

from pydantic import JsonValue

from plotwise.data.catalog import Catalog
from plotwise.data.files import sql_identifier
from plotwise.datasets.context import DatasetContext
from plotwise.datasets.models import (
    ColumnDetail,
    DatasetDetail,
    DatasetSummary,
    Preview,
    TableDetail,
    TableSummary,
    TemplateRef,
)
from plotwise.semantic.definition import TableDef

PREVIEW_ROWS: Final = 20
"""Rows of a table's preview."""

STATS_CHUNK: Final = 100
"""Columns per statistics query (keeps each query far below the guard's size limit)."""

_UNORDERED: Final = ("BOOLEAN", "STRUCT", "MAP", "LIST", "JSON", "BLOB", "UNION", "BIT")
"""Type names (prefixes) whose values have no min and max worth showing, or none at all."""


def summarize(context: DatasetContext, catalog: Catalog, *, is_default: bool) -> DatasetSummary:
    """The dataset in the list; DuckDB tables are counted from their Parquet metadata.

    Raises:
        DatasetError: A table's file cannot be read.

    """
    definition = context.definition
    duckdb = context.engine == "duckdb"
    return DatasetSummary(
        name=definition.name,
        kind=context.kind,
        engine="duckdb" if duckdb else "postgres",
        description=definition.description,
        tables=[
            TableSummary(
                name=name,
                row_count=catalog.row_count(name) if duckdb else None,
                column_count=len(table.columns),
            )
            for name, table in definition.tables.items()
        ],
        is_default=is_default,
        created_at=context.created_at,
        origin=context.origin,
    )


async def describe(
    summary: DatasetSummary, context: DatasetContext, templates: list[TemplateRef]
) -> DatasetDetail:
    """The dataset with every table's column statistics and first rows.

    Raises:
        SQLExecutionError, QueryTimeoutError: A statistics or preview query failed.

    """
    tables = []
    for table in summary.tables:
        table_def = context.definition.tables[table.name]
        columns = await _column_stats(context, table.name, table_def)
        preview = await context.sql.execute(
            f"SELECT * FROM {sql_identifier(table.name)} LIMIT {PREVIEW_ROWS}"
        )
        tables.append(
            TableDetail(
                **table.model_dump(exclude={"row_count"}),
                row_count=table.row_count if table.row_count is not None else columns[1],
                columns=columns[0],
                preview=Preview(columns=[c.name for c in preview.columns], rows=preview.rows),
            )
        )
    return DatasetDetail(
        **summary.model_dump(exclude={"tables"}), tables=tables, templates=templates
    )


async def _column_stats(
    context: DatasetContext, table: str, table_def: TableDef
) -> tuple[list[ColumnDetail], int]:
    """Each column's statistics, and the table's row count."""
    names = list(table_def.columns)
    details: list[ColumnDetail] = []
    rows = 0
    for start in range(0, max(len(names), 1), STATS_CHUNK):
        chunk = names[start : start + STATS_CHUNK]
        values = await _stats_row(context, table, table_def, chunk)
        rows = int(values[0] or 0)
        for i, name in enumerate(chunk):
            column = table_def.columns[name]
            nulls, distinct, low, high = values[1 + 4 * i : 5 + 4 * i]
            details.append(
                ColumnDetail(
                    name=name,
                    type=column.type,
                    role=column.role,
                    description=column.description,
                    null_count=None if nulls is None else int(nulls),
                    # An estimate may exceed the values there are: never show more.
                    distinct_count=None
                    if distinct is None
                    else min(int(distinct), rows - int(nulls or 0)),
                    min=low,
                    max=high,
                )
            )
    return details, rows


async def _stats_row(
    context: DatasetContext, table: str, table_def: TableDef, names: list[str]
) -> list[JsonValue]:
    """One row: the row count, then null count, distinct count, min and max per column."""
    distinct = "approx_count_distinct({})" if context.engine == "duckdb" else "count(DISTINCT {})"
    parts = ["count(*)"]
    for name in names:
        column = sql_identifier(name)
        kind = table_def.columns[name].type.upper()
        ordered = not (kind.startswith(_UNORDERED) or kind.endswith("]"))
        parts.append(f"count(*) - count({column})")
        parts.append(distinct.format(column))
        parts.extend((f"min({column})", f"max({column})") if ordered else ("NULL", "NULL"))
    result = await context.sql.execute(f"SELECT {', '.join(parts)} FROM {sql_identifier(table)}")
    return list(result.rows[0])
