"""A query service that counts and times its queries in `Metrics` (``plotwise_sql_queries``)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from pydantic import JsonValue

from plotwise.errors import PlotwiseError
from plotwise.metrics import Metrics
from plotwise.sql.arrow_result import ArrowResult
from plotwise.sql.cache import CachedResult, CacheInfo
from plotwise.sql.params import QueryParamSpec
from plotwise.sql.service import Engine, QueryService


@dataclass
class MeteredQueryService:
    """Wraps a `QueryService`: each ``execute``/``execute_table`` is one recorded query.

    The outcome label is ``ok``, ``cached`` (answered from the result cache), ``cancelled``, or
    the code of the `PlotwiseError` it raised (``sql_refused``, ``sql_error``,
    ``query_timeout``...); anything else is ``internal_error``.
    """

    inner: QueryService
    metrics: Metrics

    @property
    def engine(self) -> Engine:
        """The wrapped service's engine."""
        return self.inner.engine

    async def execute(
        self,
        sql: str,
        *,
        param_specs: Sequence[QueryParamSpec] = (),
        param_values: dict[str, JsonValue] | None = None,
        refresh: bool = False,
        query_id: str | None = None,
    ) -> CachedResult:
        """`QueryService.execute`, recorded."""
        with self._recorded() as outcome:
            result = await self.inner.execute(
                sql,
                param_specs=param_specs,
                param_values=param_values,
                refresh=refresh,
                query_id=query_id,
            )
            outcome[0] = "cached" if result.cache.hit else "ok"
            return result

    async def execute_table(
        self,
        sql: str,
        *,
        param_specs: Sequence[QueryParamSpec] = (),
        param_values: dict[str, JsonValue] | None = None,
        refresh: bool = False,
        query_id: str | None = None,
    ) -> tuple[ArrowResult, CacheInfo]:
        """`QueryService.execute_table`, recorded."""
        with self._recorded() as outcome:
            answer, info = await self.inner.execute_table(
                sql,
                param_specs=param_specs,
                param_values=param_values,
                refresh=refresh,
                query_id=query_id,
            )
            outcome[0] = "cached" if info.hit else "ok"
            return answer, info

    @contextmanager
    def _recorded(self) -> Iterator[list[str]]:
        """Time the block; its one-item list holds the outcome the block sets on success."""
        started = time.perf_counter()
        outcome = ["ok"]
        try:
            yield outcome
        except PlotwiseError as error:
            outcome[0] = error.code
            raise
        except asyncio.CancelledError:
            outcome[0] = "cancelled"
            raise
        except Exception:
            outcome[0] = "internal_error"
            raise
        finally:
            self.metrics.sql_query(self.engine, outcome[0], time.perf_counter() - started)
