"""The one path that executes SQL for Plotwise: guard, bind, cache, run.

The agent's ``run_sql`` tool and the artifact data endpoint (refresh, query parameters) both call
`execute`, so every execution passes the same guard and uses the same cache. `QueryService` is
what callers depend on: `SQLService` (DuckDB) satisfies it, and so does a PostgreSQL source's.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol, TypeVar

from pydantic import JsonValue
from sqlglot import exp

from plotwise.data.catalog import Catalog
from plotwise.errors import SQLRefusedError
from plotwise.settings import Settings
from plotwise.sql.arrow_result import ArrowResult
from plotwise.sql.cache import CachedResult, CacheInfo, ResultCache, cache_key
from plotwise.sql.guard import validate_select
from plotwise.sql.params import QueryParamSpec, bind_values
from plotwise.sql.runner import new_query_id, run_query, run_query_table

ResultT = TypeVar("ResultT")

Engine = Literal["duckdb", "postgres"]
"""The SQL engines a dataset's queries can run on."""


class QueryService(Protocol):
    """Runs one dataset's SQL: guard (in the engine's dialect), cache, execution."""

    engine: Engine
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
        """Run ``sql`` (or answer it from the cache): the result with its cache info."""
        ...

    async def execute_table(
        self,
        sql: str,
        *,
        param_specs: Sequence[QueryParamSpec] = (),
        param_values: dict[str, JsonValue] | None = None,
        refresh: bool = False,
        query_id: str | None = None,
    ) -> tuple[ArrowResult, CacheInfo]:
        """As `execute`, with the rows as an Arrow table."""
        ...


@dataclass
class SQLService:
    """The catalog, the cache and the limits that every DuckDB query runs under.

    ``tables`` limits what the SQL may read (one conversation's active datasets): a query on
    any other table is refused before the cache is asked, naming the dataset it belongs to.
    """

    catalog: Catalog
    cache: ResultCache
    settings: Settings
    tables: frozenset[str] | None = None
    """Lower-case names of the tables the SQL may read; None means every catalog table."""
    engine: Literal["duckdb"] = field(default="duckdb", init=False)

    @classmethod
    def create(cls, catalog: Catalog, settings: Settings) -> SQLService:
        """Build the service with a cache under ``<data dir>/cache``."""
        cache = ResultCache(
            settings.resolved_data_dir() / "cache",
            ttl_s=settings.cache_ttl_s,
            large_rows=settings.cache_large_rows,
        )
        return cls(catalog, cache, settings)

    def scoped(self, tables: Collection[str]) -> SQLService:
        """The same service (same catalog and cache) limited to ``tables``."""
        return SQLService(
            self.catalog, self.cache, self.settings, frozenset(t.lower() for t in tables)
        )

    async def execute(
        self,
        sql: str,
        *,
        param_specs: Sequence[QueryParamSpec] = (),
        param_values: dict[str, JsonValue] | None = None,
        refresh: bool = False,
        query_id: str | None = None,
    ) -> CachedResult:
        """Run ``sql`` (or answer it from the cache) and return the result with its cache info.

        Args:
            sql: One SELECT, possibly with ``$name`` parameters.
            param_specs: The parameters declared with it.
            param_values: Values for some parameters; the rest take their defaults.
            refresh: Bypass the cache (and refill it with the fresh result).
            query_id: Identifier of this result; a new one if None.

        Raises:
            BadRequestError, SQLRefusedError, SQLExecutionError, QueryTimeoutError: as
                `plotwise.sql.runner.run_query`.

        """
        specs = list(param_specs)
        query_id = query_id or new_query_id()
        key = self._key(sql, specs, param_values)
        if not refresh and (hit := self.cache.answer(key, query_id)) is not None:
            self._check_scope(sql, specs)
            return hit
        result = await self._run(run_query, sql, specs, param_values, query_id)
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
        """As `execute`, with the rows kept as the worker's Arrow table (no per-row work).

        Returns:
            The result (its ``rows`` empty, the rows in its table, with the Arrow stream they
            were read from when there is one) and its cache info; the cache has adopted or
            removed any spool file.

        Raises:
            The same errors as `execute`.

        """
        specs = list(param_specs)
        query_id = query_id or new_query_id()
        key = self._key(sql, specs, param_values)
        if not refresh and (hit := self.cache.answer_table(key, query_id)) is not None:
            self._check_scope(sql, specs)
            return hit
        answer = await self._run(run_query_table, sql, specs, param_values, query_id)
        return answer, self.cache.put_table(key, answer)

    async def _run(
        self,
        runner: Callable[..., Awaitable[ResultT]],
        sql: str,
        specs: list[QueryParamSpec],
        param_values: dict[str, JsonValue] | None,
        query_id: str,
    ) -> ResultT:
        """Run ``sql`` with ``runner`` (`run_query` or `run_query_table`) under our limits.

        Raises:
            SQLRefusedError: As `_in_scope_terms`; the runner's other errors as they are.

        """
        try:
            return await runner(
                self.catalog,
                sql,
                max_rows=self.settings.max_rows,
                timeout_s=self.settings.query_timeout_s,
                query_id=query_id,
                param_specs=specs,
                param_values=param_values,
                tables=self.tables,
            )
        except SQLRefusedError as refusal:
            raise self._in_scope_terms(sql, specs, refusal) from None

    def _check_scope(self, sql: str, specs: Sequence[QueryParamSpec]) -> None:
        """Refuse SQL outside ``tables`` that the cache is about to answer.

        A query that runs is checked by the runner's guard instead: one parse either way.

        Raises:
            SQLRefusedError: As `_in_scope_terms`.

        """
        if self.tables is None:
            return
        try:
            validate_select(sql, tables=self.tables, params=[spec.name for spec in specs])
        except SQLRefusedError as refusal:
            raise self._in_scope_terms(sql, specs, refusal) from None

    def _in_scope_terms(
        self, sql: str, specs: Sequence[QueryParamSpec], refusal: SQLRefusedError
    ) -> SQLRefusedError:
        """The guard's refusal, or, for a table of an inactive dataset, one naming its dataset.

        Returns:
            A refusal with rule ``unknown_table`` naming the table's dataset and the active
            tables, when the unknown table is a catalog table outside ``tables``; else
            ``refusal`` itself.

        """
        if self.tables is None or refusal.rule != "unknown_table":
            return refusal
        try:
            tree = validate_select(
                sql, tables=self.catalog.tables, params=[spec.name for spec in specs]
            )
        except SQLRefusedError:
            return refusal
        outside = sorted(
            {t.name.lower() for t in tree.find_all(exp.Table)}
            & {t.lower() for t in self.catalog.tables} - self.tables
        )
        if not outside:
            return refusal
        table = outside[0]
        return SQLRefusedError(
            "unknown_table",
            f'table "{table}" belongs to dataset "{self.catalog.dataset_of(table)}", which is '
            f"not active in this conversation; query the active tables: "
            f"{', '.join(sorted(self.tables))}",
        )

    def _key(
        self,
        sql: str,
        specs: Sequence[QueryParamSpec],
        param_values: dict[str, JsonValue] | None,
    ) -> str:
        """The cache key of one run (raises BadRequestError for a bad parameter value)."""
        bound = dict(bind_values(specs, param_values))
        return cache_key(sql, bound, self.catalog.data_version, self.settings.max_rows)
