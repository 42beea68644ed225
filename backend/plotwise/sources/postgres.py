"""A PostgreSQL database as a read-only data source: queries run on the server itself.

`PostgresSource.connect` checks that the URL answers and that its role cannot write (no
superuser, no ``pg_write_all_data``, no CREATE on the database or the schema, no INSERT,
UPDATE, DELETE or TRUNCATE on any table), then reads the tables and columns the role may
SELECT from ``pg_catalog``, with their comments (``COMMENT ON``) as descriptions.
`PostgresSource.run` passes the SQL through the guard in the PostgreSQL dialect, binds its
``$name`` parameters as server-side parameters (`plotwise.sources.pg_params`) and runs it in a
``READ ONLY`` transaction with a ``statement_timeout``, so even a function that writes
(``SECURITY DEFINER``) is refused by the server.

`PostgresSource.data_version` names the state of the data for the result cache: the server's
current snapshot (``pg_current_snapshot()``: the next transaction id and the writers still
running). Any committed write changes it (it needed a transaction id), reads never do, so a
cached result is never served after the data changed. It is cluster-wide: a write in another
database of the same server also starts a new version (a cache miss, never a stale hit).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from typing import Final

import psycopg
from psycopg import errors as pg_errors
from psycopg import sql as pg_sql
from sqlglot import exp

from plotwise.errors import QueryTimeoutError, SourceError, SQLExecutionError, SQLRefusedError
from plotwise.semantic.definition import DatasetDefinition
from plotwise.settings import Settings
from plotwise.sources.pg_catalog import (
    catalog_definition,
    describe_url,
    read_tables,
    refuse_write_rights,
    scrub,
)
from plotwise.sources.pg_params import server_query
from plotwise.sources.pg_query import FetchedRows, QueryCancel
from plotwise.sources.pg_rows import json_rows
from plotwise.sources.pg_types import duckdb_type
from plotwise.sql.guard import called_functions, validate_select
from plotwise.sql.result import ColumnSchema, QueryResult

DENIED_PG_FUNCTIONS: Final = frozenset(
    {
        "set_config",
        "pg_cancel_backend",
        "pg_terminate_backend",
        "pg_notify",
        "pg_reload_conf",
        "pg_rotate_logfile",
        "pg_stat_file",
        "pg_import_system_collations",
        "ts_stat",
        "ts_rewrite",
    }
)
"""PostgreSQL functions refused on top of the guard's list: they change session settings or
touch other sessions and the server, which a read-only transaction does not prevent, or run a
query given as text (``ts_stat``, ``ts_rewrite``), out of the guard's sight."""

DENIED_PG_PREFIXES: Final = (
    "pg_read_",
    "pg_ls_",
    "pg_advisory",
    "lo_",
    "dblink",
    "query_to_xml",
    "table_to_xml",
    "cursor_to_xml",
    "schema_to_xml",
    "database_to_xml",
)
"""Prefixes of PostgreSQL functions refused: server files, advisory locks, large objects,
connections to other servers, and the ``*_to_xml`` family, which reads any table or query the
role may read (tables outside the source's, named in a string the guard cannot check)."""

_SNAPSHOT: Final = "SELECT pg_current_snapshot()::text"
"""The data version (see the module docstring); PostgreSQL 13 or later."""


class PostgresSource:
    """One PostgreSQL database exposed read-only: its readable tables in one schema.

    Create it with `PostgresSource.connect`. Each query opens its own connection, so one
    source may serve several threads.
    """

    def __init__(
        self,
        name: str,
        url: str,
        tables: dict[str, list[ColumnSchema]],
        *,
        schema: str = "public",
        connect_timeout_s: float = 10.0,
        comments: dict[tuple[str, str], str] | None = None,
    ) -> None:
        """Wrap a checked source; use `PostgresSource.connect` instead of calling this."""
        self.name = name
        self.schema = schema
        self._url = url
        self._tables = tables
        self._connect_timeout_s = connect_timeout_s
        self._comments = comments or {}

    @classmethod
    def connect(
        cls, name: str, url: str, settings: Settings, *, schema: str = "public"
    ) -> PostgresSource:
        """Check the URL answers and cannot write, and read its tables from the catalog.

        Args:
            name: The source's name in Plotwise (``PLOTWISE_SOURCES`` entry name).
            url: ``postgresql://user:password@host:port/database``.
            settings: Uses ``source_connect_timeout_s``.
            schema: The schema whose tables are exposed.

        Returns:
            The source, with the tables its role may SELECT.

        Raises:
            SourceError: The URL is malformed, the server does not answer or refuses the login,
                the role may write (the message names the right), or no table is readable.

        """
        where = describe_url(url)
        source = cls(
            name, url, {}, schema=schema, connect_timeout_s=settings.source_connect_timeout_s
        )
        try:
            with source._open() as conn:
                refuse_write_rights(conn, schema, where)
                source._tables, source._comments = read_tables(conn, schema)
        except psycopg.Error as error:
            raise SourceError(
                f"PostgreSQL source {name!r} ({where}) failed: {scrub(str(error), url)}"
            ) from None
        if not source._tables:
            raise SourceError(
                f"PostgreSQL source {name!r} ({where}) has no table its role may read "
                f"in schema {schema!r}"
            )
        return source

    @property
    def origin(self) -> str:
        """Where the data lives, ``host:port/database`` (no user, no password)."""
        return describe_url(self._url)

    @property
    def url(self) -> str:
        """The connection URL, password included: never show or log it."""
        return self._url

    @property
    def tables(self) -> list[str]:
        """Names of the exposed tables, sorted."""
        return list(self._tables)

    def table_columns(self, table: str) -> list[ColumnSchema]:
        """Columns of one exposed table with DuckDB type names; KeyError if unknown."""
        return list(self._tables[table])

    def definition(self) -> DatasetDefinition:
        """A draft dataset definition of the exposed tables, named after the source.

        Table and column comments (``COMMENT ON``) replace the draft's placeholder descriptions
        (see `plotwise.sources.pg_catalog.catalog_definition`).
        """
        return catalog_definition(self.name, self._tables, self._comments)

    def execute(
        self,
        sql: str,
        *,
        max_rows: int,
        timeout_s: float,
        data_version: str = "",
        params: Mapping[str, object] | None = None,
    ) -> QueryResult:
        """Validate ``sql`` in the PostgreSQL dialect and run it read-only on the server.

        Args:
            sql: One read-only query over the exposed tables.
            max_rows: Row cap (>= 1); more rows set ``truncated``.
            timeout_s: The server's ``statement_timeout`` for the query, in seconds (> 0).
            data_version: Recorded in the result as `QueryResult.data_version`.
            params: Values of the ``$name`` parameters the SQL uses (see `run`).

        Returns:
            At most ``max_rows`` rows, JSON-safe, with DuckDB type names.

        Raises:
            The errors of `run`.

        """
        fetched = self.run(sql, max_rows=max_rows, timeout_s=timeout_s, params=params)
        return QueryResult(
            query_id=f"q_{uuid.uuid4().hex[:8]}",
            sql=sql,
            columns=fetched.columns,
            rows=json_rows(fetched.columns, fetched.rows),
            row_count=len(fetched.rows),
            truncated=fetched.truncated,
            elapsed_ms=fetched.elapsed_ms,
            fetched_at=fetched.fetched_at,
            data_version=data_version,
        )

    def run(
        self,
        sql: str,
        *,
        max_rows: int,
        timeout_s: float,
        params: Mapping[str, object] | None = None,
        cancel: QueryCancel | None = None,
    ) -> FetchedRows:
        """Validate ``sql`` in the PostgreSQL dialect and fetch its rows, read-only.

        Args:
            sql: One read-only query over the exposed tables.
            max_rows: Row cap (>= 1); more rows set ``truncated``.
            timeout_s: The server's ``statement_timeout`` for the query, in seconds (> 0).
            params: ``{name: value}`` for the ``$name`` parameters the SQL uses, exactly those
                (`plotwise.sql.params.engine_values`); bound by the server, never spliced in.
            cancel: Lets another thread cancel the query while it runs.

        Returns:
            At most ``max_rows`` rows, values as psycopg returns them.

        Raises:
            SQLRefusedError: The guard refused the SQL (or a PostgreSQL-only denied function).
            QueryTimeoutError: The query ran past ``timeout_s``.
            SQLExecutionError: PostgreSQL rejected the query (including any write).
            SourceError: The server could not be reached.

        """
        if max_rows < 1:
            raise ValueError(f"max_rows must be at least 1, got {max_rows}")
        if not timeout_s > 0:
            raise ValueError(f"timeout_s must be positive, got {timeout_s}")
        values = dict(params or {})
        tree = self.check(sql, list(values))
        query = sql.strip().rstrip(";")
        if values:
            query = server_query(query, tree, values)
        started = time.perf_counter()
        columns, rows = self._run(query, values or None, max_rows + 1, timeout_s, cancel)
        return FetchedRows(
            columns=columns,
            rows=rows[:max_rows],
            truncated=len(rows) > max_rows,
            elapsed_ms=(time.perf_counter() - started) * 1000,
            fetched_at=datetime.now(UTC),
        )

    def check(self, sql: str, params: Collection[str] = ()) -> exp.Expression:
        """The guard in PostgreSQL's dialect, over the exposed tables, plus its denied functions.

        Args:
            sql: The query as written.
            params: The declared ``$name`` parameters (the SQL must use exactly these).

        Returns:
            The parsed query.

        Raises:
            SQLRefusedError: The rule the SQL breaks is named.

        """
        tree = validate_select(sql, tables=self._tables, params=params, dialect="postgres")
        for function in called_functions(tree, sql, "postgres"):
            if function in DENIED_PG_FUNCTIONS or function.startswith(DENIED_PG_PREFIXES):
                raise SQLRefusedError("denied_function", f"the function {function} is not allowed")
        return tree

    def data_version(self) -> str:
        """The server's current snapshot: it changes with every committed write, never on reads.

        Raises:
            SourceError: The server could not be reached or cannot tell (PostgreSQL before 13).

        """
        where = describe_url(self._url)
        try:
            with self._open() as conn:
                row = conn.execute(_SNAPSHOT).fetchone()
        except psycopg.Error as error:
            raise SourceError(
                f"PostgreSQL source {self.name!r} ({where}) failed: {scrub(str(error), self._url)}"
            ) from None
        return str(row[0]) if row else ""

    def _open(self) -> psycopg.Connection:
        return psycopg.connect(
            self._url,
            connect_timeout=max(1, round(self._connect_timeout_s)),
            application_name="plotwise",
        )

    def _run(
        self,
        sql: str,
        params: dict[str, object] | None,
        limit: int,
        timeout_s: float,
        cancel: QueryCancel | None,
    ) -> tuple[list[ColumnSchema], list[tuple[object, ...]]]:
        where = describe_url(self._url)
        try:
            conn = self._open()
        except psycopg.Error as error:
            raise SourceError(
                f"PostgreSQL source {self.name!r} ({where}) failed: {scrub(str(error), self._url)}"
            ) from None
        if cancel is not None:
            try:
                cancel.attach(conn)
            except SQLExecutionError:
                conn.close()
                raise
        with conn:
            conn.read_only = True  # psycopg opens the transaction with BEGIN READ ONLY
            try:
                # UTC like the DuckDB catalog: zoned timestamps read the same on both.
                conn.execute(
                    "SELECT set_config('statement_timeout', %s, true),"
                    " set_config('search_path', %s, true), set_config('TimeZone', 'UTC', true)",
                    [
                        str(max(1, round(timeout_s * 1000))),
                        pg_sql.Identifier(self.schema).as_string(conn),
                    ],
                )
                # A server-side cursor: only `limit` rows ever leave the server.
                with conn.cursor(name=f"plotwise_{uuid.uuid4().hex[:8]}") as cursor:
                    cursor.execute(sql, params)
                    fetched = cursor.fetchmany(limit)
                    columns = [
                        ColumnSchema(name=col.name, type=_type_name(conn, col.type_code))
                        for col in cursor.description or []
                    ]
            except pg_errors.QueryCanceled:
                raise QueryTimeoutError(
                    f"the query ran past its time limit of {timeout_s:g} s and was cancelled"
                ) from None
            except pg_errors.OperationalError as error:
                raise SourceError(
                    f"PostgreSQL source {self.name!r} ({where}) failed: "
                    f"{scrub(str(error), self._url)}"
                ) from None
            except psycopg.Error as error:
                raise SQLExecutionError(f"PostgreSQL refused the query: {error}") from None
            finally:
                if cancel is not None:
                    cancel.attach(None)
                conn.rollback()
        return columns, fetched


def _type_name(conn: psycopg.Connection, oid: int) -> str:
    info = conn.adapters.types.get(oid)
    return duckdb_type(info.name) if info is not None else "VARCHAR"
