"""The agent's tools: ``run_sql`` (governed DuckDB query) and ``describe_table`` (schema look-up).

Problems the model can repair (refused or failing SQL, an unknown table) are raised as
``ModelRetry`` so the model sees the message and tries again.
"""

from __future__ import annotations

from typing import Any

from pydantic_ai import ModelRetry, RunContext, ToolReturn

from plotwise.agent.deps import TurnDeps
from plotwise.errors import (
    BadRequestError,
    QueryTimeoutError,
    SQLExecutionError,
    SQLRefusedError,
)
from plotwise.sql.params import QueryParamSpec
from plotwise.sql.result import QueryResult

MODEL_PREVIEW_ROWS = 50
"""Rows of a result shown to the model; the client receives all of them (up to the row cap)."""


async def run_sql(
    ctx: RunContext[TurnDeps], sql: str, params: list[QueryParamSpec] | None = None
) -> ToolReturn:
    """Run one read-only DuckDB SELECT over the dataset's tables and return its result.

    Args:
        sql: Exactly one SELECT statement in DuckDB SQL, over the tables named in the schema.
            Filters the analyst may want to change are named parameters such as ``$origin``.
        params: One spec per ``$name`` parameter in the SQL: name, type (text, number, date,
            select, boolean), default, and label, options (select), min/max/step (number).

    Returns:
        The columns with their types, the first rows, the total row count and whether the row cap
        cut the result.

    """
    try:
        result = await ctx.deps.sql.execute(
            sql, param_specs=params or [], query_id=ctx.tool_call_id
        )
    except (BadRequestError, SQLRefusedError, SQLExecutionError, QueryTimeoutError) as exc:
        raise ModelRetry(f"{exc.code}: {exc.message}") from exc
    return ToolReturn(return_value=model_view(result), metadata=result)


def model_view(result: QueryResult) -> dict[str, Any]:
    """What the model sees of a result: the schema, the first rows and the counts."""
    return {
        "columns": [c.model_dump() for c in result.columns],
        "rows": result.rows[:MODEL_PREVIEW_ROWS],
        "row_count": result.row_count,
        "rows_shown": min(result.row_count, MODEL_PREVIEW_ROWS),
        "truncated": result.truncated,
        "params": result.params,
    }


async def describe_table(ctx: RunContext[TurnDeps], table: str) -> dict[str, Any]:
    """Describe one table: its columns with types, roles, units and descriptions.

    Args:
        table: A table name from the schema, e.g. ``flights``.

    """
    definition = ctx.deps.definition
    table_def = definition.tables.get(table.strip().lower())
    if table_def is None:
        known = ", ".join(definition.tables)
        raise ModelRetry(f"unknown table {table!r}; known tables: {known}")
    return {
        "table": table,
        "description": table_def.description,
        "columns": {
            name: {
                "type": col.type,
                "role": col.role,
                "unit": col.unit,
                "description": col.description,
            }
            for name, col in table_def.columns.items()
        },
    }
