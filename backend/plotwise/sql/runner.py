"""Run one guarded SELECT: checks here, execution in a worker process, rows as JSON or Arrow.

The guard and DuckDB's own statement check run in the server; the query itself runs in one of
the catalog's worker processes (`plotwise.sql.workers`), which enforce the memory limit, the
time limit (interrupt, then kill) and cancellation. The worker asks DuckDB for the cap plus one
row (so truncation is known without computing the rest) and returns at most the cap as an Arrow
IPC stream; `run_query` turns the rows into JSON-safe values, off the event loop, and
`run_query_table` keeps the Arrow table (and the stream) as they are.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Collection, Sequence
from datetime import UTC, datetime

import pyarrow as pa
from pydantic import JsonValue

from plotwise.data.catalog import Catalog
from plotwise.errors import SQLExecutionError
from plotwise.sql.arrow_json import table_rows
from plotwise.sql.arrow_result import ArrowResult
from plotwise.sql.guard import validate_select
from plotwise.sql.handoff import remove_file
from plotwise.sql.params import QueryParamSpec, bind_values, engine_values
from plotwise.sql.result import ColumnSchema, QueryResult
from plotwise.sql.statement import engine_statement

__all__ = ["engine_statement", "new_query_id", "run_query", "run_query_table"]


def new_query_id() -> str:
    """Return a fresh query identifier: ``q_`` and 8 hex digits."""
    return f"q_{uuid.uuid4().hex[:8]}"


async def run_query(
    catalog: Catalog,
    sql: str,
    *,
    max_rows: int,
    timeout_s: float,
    query_id: str | None = None,
    param_specs: Sequence[QueryParamSpec] = (),
    param_values: dict[str, JsonValue] | None = None,
    tables: Collection[str] | None = None,
) -> QueryResult:
    """Guard, run and fetch one SELECT without blocking the event loop; rows as JSON values.

    Args:
        catalog: The database to run in.
        sql: One read-only query.
        max_rows: Row cap (>= 1); more rows set ``truncated``.
        timeout_s: Time limit in seconds (> 0) for execution and fetch.
        query_id: Identifier for the result; a new one (`new_query_id`) if None.
        param_specs: The ``$name`` parameters declared with the SQL.
        param_values: Values for some of them (the rest take their defaults); bound by DuckDB.
        tables: The tables the SQL may read (the active datasets'); all of the catalog's if
            None.

    Returns:
        The result, with at most ``max_rows`` rows.

    Raises:
        ValueError: ``max_rows`` or ``timeout_s`` is out of range.
        BadRequestError: A parameter value is unknown or does not fit its spec.
        SQLRefusedError: The guard or the engine's statement check refused the SQL.
        SQLExecutionError: DuckDB failed the query; the message is DuckDB's.
        QueryTimeoutError: The query ran past ``timeout_s`` (waiting for a free worker
            included) and was interrupted, or its worker killed.
        QueryMemoryError: The query outgrew DuckDB's memory limit or its worker's address-space
            limit (``sql_worker_memory_mb``); a worker that died of it is replaced.
        DatasetError: The catalog is closed, or no query worker could be started.
        asyncio.CancelledError: The caller was cancelled; the query is stopped within 100 ms.

    """
    started = time.perf_counter()
    answer = await run_query_table(
        catalog,
        sql,
        max_rows=max_rows,
        timeout_s=timeout_s,
        query_id=query_id,
        param_specs=param_specs,
        param_values=param_values,
        tables=tables,
    )
    remove_file(answer.spool)  # the mapping keeps the rows readable
    # Converting up to a million rows to JSON values takes a while: not on the event loop.
    rows = await asyncio.get_running_loop().run_in_executor(None, _json_rows, answer.table)
    elapsed_ms = (time.perf_counter() - started) * 1000
    return answer.result.model_copy(update={"rows": rows, "elapsed_ms": elapsed_ms})


async def run_query_table(
    catalog: Catalog,
    sql: str,
    *,
    max_rows: int,
    timeout_s: float,
    query_id: str | None = None,
    param_specs: Sequence[QueryParamSpec] = (),
    param_values: dict[str, JsonValue] | None = None,
    tables: Collection[str] | None = None,
) -> ArrowResult:
    """As `run_query`, but the rows stay the worker's Arrow table (no per-row Python work).

    Returns:
        The result's fields (``rows`` empty, ``row_count`` the table's) and at most
        ``max_rows`` rows as an Arrow table; ``elapsed_ms`` covers execution and fetch. Its
        ``spool`` file, if any, is the caller's to adopt or remove.

    Raises:
        The same errors as `run_query`.

    """
    if max_rows < 1:
        raise ValueError(f"max_rows must be at least 1, got {max_rows}")
    if not timeout_s > 0:
        raise ValueError(f"timeout_s must be positive, got {timeout_s}")
    specs = list(param_specs)
    allowed = catalog.tables if tables is None else tables
    validate_select(sql, tables=allowed, params=[s.name for s in specs])
    bound = bind_values(specs, param_values)
    cursor = catalog.cursor()
    try:
        engine_statement(sql, cursor)
    finally:
        cursor.close()
    data_version = catalog.data_version
    started = time.perf_counter()
    answer = await catalog.run(
        sql, engine_values(specs, bound), max_rows=max_rows, timeout_s=timeout_s
    )
    table, truncated = answer.table, answer.truncated
    stream, spool = answer.stream, answer.spool
    if table.num_rows > max_rows:
        # Never trust a worker with the cap: cut here (the stream no longer matches the table).
        table, truncated, stream = table.slice(0, max_rows), True, None
        remove_file(spool)
        spool = None
    result = QueryResult(
        query_id=query_id or new_query_id(),
        sql=sql,
        columns=[ColumnSchema(name=name, type=kind) for name, kind in answer.columns],
        rows=[],
        row_count=table.num_rows,
        truncated=truncated,
        elapsed_ms=(time.perf_counter() - started) * 1000,
        fetched_at=datetime.now(UTC),
        data_version=data_version,
        params=dict(bound),
        param_specs=specs,
    )
    return ArrowResult(result=result, table=table, stream=stream, spool=spool)


def _json_rows(table: pa.Table) -> list[list[JsonValue]]:
    """The rows of ``table`` as JSON-safe values."""
    try:
        return table_rows(table)
    except pa.ArrowException as error:
        raise SQLExecutionError(str(error)) from error
