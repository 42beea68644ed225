"""The one path that executes SQL for Plotwise: guard, bind, cache, run.

The agent's ``run_sql`` tool and the artifact data endpoint (refresh, query parameters) both call
`execute`, so every execution passes the same guard and uses the same cache.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from pydantic import JsonValue

from plotwise.data.catalog import Catalog
from plotwise.settings import Settings
from plotwise.sql.arrow_result import ArrowResult
from plotwise.sql.cache import CachedResult, CacheInfo, ResultCache, cache_key
from plotwise.sql.params import QueryParamSpec, bind_values
from plotwise.sql.runner import new_query_id, run_query, run_query_table


@dataclass
class SQLService:
    """The catalog, the cache and the limits that every query runs under."""

    catalog: Catalog
    cache: ResultCache
    settings: Settings

    @classmethod
    def create(cls, catalog: Catalog, settings: Settings) -> SQLService:
        """Build the service with a cache under ``<data dir>/cache``."""
        cache = ResultCache(
            settings.resolved_data_dir() / "cache",
            ttl_s=settings.cache_ttl_s,
            large_rows=settings.cache_large_rows,
        )
        return cls(catalog, cache, settings)

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
        if not refresh and (hit := self.cache.get(key)) is not None:
            result, info = hit
            return CachedResult(
                **result.model_copy(update={"query_id": query_id}).model_dump(), cache=info
            )
        result = await run_query(
            self.catalog,
            sql,
            max_rows=self.settings.max_rows,
            timeout_s=self.settings.query_timeout_s,
            query_id=query_id,
            param_specs=specs,
            param_values=param_values,
        )
        info = self.cache.put(key, result)
        return CachedResult(**result.model_dump(), cache=info)

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
        if not refresh and (hit := self.cache.get_table(key)) is not None:
            answer, info = hit
            result = answer.result.model_copy(update={"query_id": query_id})
            return replace(answer, result=result), info
        answer = await run_query_table(
            self.catalog,
            sql,
            max_rows=self.settings.max_rows,
            timeout_s=self.settings.query_timeout_s,
            query_id=query_id,
            param_specs=specs,
            param_values=param_values,
        )
        return answer, self.cache.put_table(key, answer)

    def _key(
        self,
        sql: str,
        specs: Sequence[QueryParamSpec],
        param_values: dict[str, JsonValue] | None,
    ) -> str:
        """The cache key of one run (raises BadRequestError for a bad parameter value)."""
        bound = dict(bind_values(specs, param_values))
        return cache_key(sql, bound, self.catalog.data_version, self.settings.max_rows)
