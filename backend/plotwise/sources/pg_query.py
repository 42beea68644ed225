"""What one query on a PostgreSQL source returns, and how another thread cancels it."""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from datetime import datetime

import psycopg

from plotwise.errors import SQLExecutionError
from plotwise.sql.result import ColumnSchema


@dataclass(frozen=True)
class FetchedRows:
    """What one query returned, values as psycopg gives them (``Decimal``, ``datetime``...)."""

    columns: list[ColumnSchema]
    """Result columns with DuckDB type names."""
    rows: list[tuple[object, ...]]
    """At most the row cap's rows."""
    truncated: bool
    """Whether more rows existed."""
    elapsed_ms: float
    """Connection, execution and fetch, in milliseconds."""
    fetched_at: datetime
    """When the rows were fetched (UTC)."""


class QueryCancel:
    """Cancels one running `PostgresSource.run` from another thread (a disconnected turn).

    Without it, a query whose caller went away runs on until its ``statement_timeout``.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._conn: psycopg.Connection | None = None
        self.cancelled = False

    def attach(self, conn: psycopg.Connection | None) -> None:
        """Track the query's connection (None once it is done); refuse if already cancelled."""
        with self._lock:
            if conn is not None and self.cancelled:
                raise SQLExecutionError("the query was cancelled")
            self._conn = conn

    def cancel(self) -> None:
        """Ask the server to cancel the query (blocks up to 5 s); a later `attach` refuses.

        Best effort: if the request fails, the query's ``statement_timeout`` still ends it.
        """
        with self._lock:
            self.cancelled = True
            conn = self._conn
        if conn is not None:
            with contextlib.suppress(psycopg.Error):
                conn.cancel_safe(timeout=5.0)
