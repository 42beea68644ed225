"""The query service of a PostgreSQL source: guard, bind, cache, run on the server.

`PostgresQueryService` has the interface of `plotwise.sql.service.SQLService` (the
``QueryService`` protocol: ``engine``, `execute`, `execute_table`), so the agent's ``run_sql``
tool and the artifact data endpoint run a source's SQL exactly as they run DuckDB's. The query
runs on PostgreSQL, read-only, from a thread (psycopg blocks), with ``PLOTWISE_QUERY_TIMEOUT_S``
as its ``statement_timeout``; a caller that goes away cancels it on the server.

Results share the DuckDB service's `ResultCache`. The key covers the SQL, the bound parameter
values, the row cap and a data version naming the source (its name and ``host:port/db``) and the
server's current snapshot (`PostgresSource.data_version`), read before each query: one short
round trip that makes a change in the data a new key, never a stale hit. A refresh bypasses the
cache and goes to PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Final, Literal, TypeVar

from pydantic import JsonValue

from plotwise.settings import Settings
from plotwise.sources.pg_query import FetchedRows, QueryCancel
from plotwise.sources.pg_rows import arrow_table, json_rows
from plotwise.sources.postgres import PostgresSource
from plotwise.sql.arrow_result import ArrowResult
from plotwise.sql.cache import CachedResult, CacheInfo, ResultCache, cache_key
from plotwise.sql.params import QueryParamSpec, Scalar, bind_values, engine_values
from plotwise.sql.result import QueryResult
from plotwise.sql.runner import new_query_id

T = TypeVar("T")

MAX_THREADS: Final = 8
"""Source queries that run at once in this process (each holds a thread while it waits on the
server); more wait for a free thread, within their turn's time limit."""

_executor: ThreadPoolExecutor | None = None


def _threads() -> ThreadPoolExecutor:
    """The threads source queries run in, apart from the event loop's default executor."""
    global _executor  # noqa: PLW0603 - one pool per process, made on first use
    if _executor is None:
        _executor = ThreadPoolExecutor(MAX_THREADS, thread_name_prefix="plotwise-pg")
    return _executor


@dataclass
class PostgresQueryService:
    """Runs one PostgreSQL source's SQL, with the shared result cache and Plotwise's limits."""

    source: PostgresSource
    cache: ResultCache
    settings: Settings
    engine: Literal["postgres"] = field(default="postgres", init=False)
    """The engine the SQL is written for and runs on."""

    async def execute(
        self,
        sql: str,
        *,
        param_specs: Sequence[QueryParamSpec] = (),
        param_values: dict[str, JsonValue] | None = None,
        refresh: bool = False,
        query_id: str | None = None,
    ) -> CachedResult:
        """Run ``sql`` on PostgreSQL (or answer it from the cache), rows as JSON values.

        Args:
            sql: One SELECT in PostgreSQL's dialect, possibly with ``$name`` parameters.
            param_specs: The parameters declared with it.
            param_values: Values for some parameters; the rest take their defaults.
            refresh: Bypass the cache (and refill it with the fresh result).
            query_id: Identifier of this result; a new one if None.

        Raises:
            BadRequestError: A parameter value is unknown or does not fit its spec.
            SQLRefusedError: The guard refused the SQL.
            SQLExecutionError: PostgreSQL rejected the query.
            QueryTimeoutError: The query ran past ``PLOTWISE_QUERY_TIMEOUT_S``.
            SourceError: The server could not be reached.

        """
        specs, bound = self._check(sql, param_specs, param_values)
        query_id = query_id or new_query_id()
        version = await self._version()
        key = cache_key(sql, dict(bound), version, self.settings.max_rows)
        if not refresh and (hit := self.cache.answer(key, query_id)) is not None:
            return hit
        fetched = await self._fetch(sql, specs, bound)
        rows = json_rows(fetched.columns, fetched.rows)
        result = self._result(sql, fetched, rows, version, query_id, specs, bound)
        return self.cache.keep(key, result)

    async def execute_table(
        self,
        sql: str,
        *,
        param_specs: Sequence[QueryParamSpec] = (),
        param_values: dict[str, JsonValue] | None = None,
        refresh: bool = False,
        query_id: str | None = None,
    ) -> tuple[ArrowResult, CacheInfo]:
        """As `execute`, with the rows as an Arrow table (DuckDB's types, see `pg_rows`).

        Returns:
            The result (its ``rows`` empty, the rows in its table; no stream: the table is
            written when sent) and its cache info.

        Raises:
            The same errors as `execute`.

        """
        specs, bound = self._check(sql, param_specs, param_values)
        query_id = query_id or new_query_id()
        version = await self._version()
        key = cache_key(sql, dict(bound), version, self.settings.max_rows)
        if not refresh and (hit := self.cache.answer_table(key, query_id)) is not None:
            return hit
        fetched = await self._fetch(sql, specs, bound)
        table = await asyncio.get_running_loop().run_in_executor(
            _threads(), arrow_table, fetched.columns, fetched.rows
        )
        result = self._result(sql, fetched, [], version, query_id, specs, bound)
        answer = ArrowResult(result=result, table=table)
        return answer, self.cache.put_table(key, answer)

    def _check(
        self,
        sql: str,
        param_specs: Sequence[QueryParamSpec],
        param_values: dict[str, JsonValue] | None,
    ) -> tuple[list[QueryParamSpec], dict[str, Scalar]]:
        """Guard the SQL and resolve the parameter values, before anything reaches the server."""
        specs = list(param_specs)
        self.source.check(sql, [s.name for s in specs])
        return specs, bind_values(specs, param_values)

    async def _version(self) -> str:
        snapshot = await self._in_thread(self.source.data_version)
        return f"postgres:{self.source.name}:{self.source.origin}:{snapshot}"

    async def _fetch(
        self, sql: str, specs: list[QueryParamSpec], bound: dict[str, Scalar]
    ) -> FetchedRows:
        cancel = QueryCancel()
        values = engine_values(specs, bound)
        return await self._in_thread(
            lambda: self.source.run(
                sql,
                max_rows=self.settings.max_rows,
                timeout_s=self.settings.query_timeout_s,
                params=values,
                cancel=cancel,
            ),
            cancel,
        )

    async def _in_thread(self, work: Callable[[], T], cancel: QueryCancel | None = None) -> T:
        """Run ``work`` in a source thread; if the caller is cancelled, cancel the query too."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(_threads(), work)
        except asyncio.CancelledError:
            if cancel is not None:
                # Not awaited: the caller is gone; the server stops the query within ~1 ms.
                loop.run_in_executor(None, cancel.cancel)
            raise

    def _result(
        self,
        sql: str,
        fetched: FetchedRows,
        rows: list[list[JsonValue]],
        version: str,
        query_id: str,
        specs: list[QueryParamSpec],
        bound: dict[str, Scalar],
    ) -> QueryResult:
        return QueryResult(
            query_id=query_id,
            sql=sql,
            columns=fetched.columns,
            rows=rows,
            row_count=len(fetched.rows),
            truncated=fetched.truncated,
            elapsed_ms=fetched.elapsed_ms,
            fetched_at=fetched.fetched_at,
            data_version=version,
            params=dict(bound),
            param_specs=specs,
        )
