"""A PostgreSQL database as a read-only data source: queries run on the server itself.

`PostgresSource.connect` checks that the URL answers and that its role cannot write (no
superuser, no ``pg_write_all_data``, no CREATE on the database or the schema, no INSERT,
UPDATE, DELETE or TRUNCATE on any table), then reads the tables and columns the role may
SELECT from ``pg_catalog``. `PostgresSource.execute` passes the SQL through the guard in the
PostgreSQL dialect and runs it in a ``READ ONLY`` transaction with a ``statement_timeout``,
so even a function that writes (``SECURITY DEFINER``) is refused by the server.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Final

import psycopg
from psycopg import errors as pg_errors
from psycopg import sql as pg_sql
from psycopg.conninfo import conninfo_to_dict

from plotwise.errors import QueryTimeoutError, SourceError, SQLExecutionError, SQLRefusedError
from plotwise.semantic.definition import DatasetDefinition
from plotwise.semantic.draft import draft_from_columns
from plotwise.settings import Settings
from plotwise.sources.pg_types import duckdb_type
from plotwise.sql.arrow_json import json_value
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
    }
)
"""PostgreSQL functions refused on top of the guard's list: they change session settings or
touch other sessions and the server, which a read-only transaction does not prevent."""

DENIED_PG_PREFIXES: Final = ("pg_read_", "pg_ls_", "pg_advisory", "lo_", "dblink")
"""Prefixes of PostgreSQL functions refused: server files, advisory locks, large objects and
connections to other servers."""

_WRITE_CHECK: Final = """
SELECT r.rolsuper,
       EXISTS (SELECT 1 FROM pg_roles w WHERE w.rolname = 'pg_write_all_data'
               AND pg_has_role(current_user, w.oid, 'MEMBER')),
       has_database_privilege(current_database(), 'CREATE'),
       COALESCE(has_schema_privilege(to_regnamespace(%(schema)s), 'CREATE'), false),
       ARRAY(SELECT c.relname::text FROM pg_class c
             WHERE c.relnamespace = to_regnamespace(%(schema)s)
               AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
               AND (has_table_privilege(c.oid, 'INSERT,UPDATE,DELETE,TRUNCATE')
                    OR has_any_column_privilege(c.oid, 'INSERT,UPDATE'))
             ORDER BY c.relname)
FROM pg_roles r WHERE r.rolname = current_user
"""

_COLUMNS: Final = """
SELECT c.relname::text, a.attname::text, format_type(a.atttypid, NULL)
FROM pg_class c
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relnamespace = to_regnamespace(%(schema)s)
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND has_table_privilege(c.oid, 'SELECT')
ORDER BY c.relname, a.attnum
"""


def describe_url(url: str) -> str:
    """Name a PostgreSQL URL for messages, ``host:port/database``, without user or password.

    Raises:
        SourceError: The URL cannot be parsed (its text is not repeated: it may hold a password).

    """
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        raise SourceError("the PostgreSQL URL is malformed (expected postgresql://...)") from None
    host = parts.get("host") or "localhost"
    port = parts.get("port") or "5432"
    return f"{host}:{port}/{parts.get('dbname') or parts.get('user') or '?'}"


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
    ) -> None:
        """Wrap a checked source; use `PostgresSource.connect` instead of calling this."""
        self.name = name
        self.schema = schema
        self._url = url
        self._tables = tables
        self._connect_timeout_s = connect_timeout_s

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
                _refuse_write_rights(conn, schema, where)
                source._tables = _read_tables(conn, schema)
        except psycopg.Error as error:
            raise SourceError(
                f"PostgreSQL source {name!r} ({where}) failed: {_scrub(str(error), url)}"
            ) from None
        if not source._tables:
            raise SourceError(
                f"PostgreSQL source {name!r} ({where}) has no table its role may read "
                f"in schema {schema!r}"
            )
        return source

    @property
    def tables(self) -> list[str]:
        """Names of the exposed tables, sorted."""
        return list(self._tables)

    def table_columns(self, table: str) -> list[ColumnSchema]:
        """Columns of one exposed table with DuckDB type names; KeyError if unknown."""
        return list(self._tables[table])

    def definition(self) -> DatasetDefinition:
        """A draft dataset definition of the exposed tables, named after the source."""
        return draft_from_columns(self.name, self._tables)

    def execute(
        self, sql: str, *, max_rows: int, timeout_s: float, data_version: str = ""
    ) -> QueryResult:
        """Validate ``sql`` in the PostgreSQL dialect and run it read-only on the server.

        Args:
            sql: One read-only query over the exposed tables.
            max_rows: Row cap (>= 1); more rows set ``truncated``.
            timeout_s: The server's ``statement_timeout`` for the query, in seconds (> 0).
            data_version: Recorded in the result as `QueryResult.data_version`.

        Returns:
            At most ``max_rows`` rows, JSON-safe, with DuckDB type names.

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
        tree = validate_select(sql, tables=self._tables, dialect="postgres")
        for function in called_functions(tree, sql, "postgres"):
            if function in DENIED_PG_FUNCTIONS or function.startswith(DENIED_PG_PREFIXES):
                raise SQLRefusedError("denied_function", f"the function {function} is not allowed")
        started = time.perf_counter()
        columns, rows = self._run(sql.strip().rstrip(";"), max_rows + 1, timeout_s)
        truncated = len(rows) > max_rows
        rows = rows[:max_rows]
        return QueryResult(
            query_id=f"q_{uuid.uuid4().hex[:8]}",
            sql=sql,
            columns=columns,
            rows=rows,
            row_count=len(rows),
            truncated=truncated,
            elapsed_ms=(time.perf_counter() - started) * 1000,
            fetched_at=datetime.now(UTC),
            data_version=data_version,
        )

    def _open(self) -> psycopg.Connection:
        return psycopg.connect(
            self._url,
            connect_timeout=max(1, round(self._connect_timeout_s)),
            application_name="plotwise",
        )

    def _run(
        self, sql: str, limit: int, timeout_s: float
    ) -> tuple[list[ColumnSchema], list[list[object]]]:
        where = describe_url(self._url)
        try:
            conn = self._open()
        except psycopg.Error as error:
            raise SourceError(
                f"PostgreSQL source {self.name!r} ({where}) failed: {_scrub(str(error), self._url)}"
            ) from None
        with conn:
            conn.read_only = True  # psycopg opens the transaction with BEGIN READ ONLY
            try:
                conn.execute(
                    "SELECT set_config('statement_timeout', %s, true),"
                    " set_config('search_path', %s, true)",
                    [
                        str(max(1, round(timeout_s * 1000))),
                        pg_sql.Identifier(self.schema).as_string(conn),
                    ],
                )
                # A server-side cursor: only `limit` rows ever leave the server.
                with conn.cursor(name=f"plotwise_{uuid.uuid4().hex[:8]}") as cursor:
                    cursor.execute(sql)
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
                    f"PostgreSQL source {self.name!r} ({where}) failed: {error}"
                ) from None
            except psycopg.Error as error:
                raise SQLExecutionError(f"PostgreSQL refused the query: {error}") from None
            finally:
                conn.rollback()
        return columns, [[json_value(value) for value in row] for row in fetched]


def _type_name(conn: psycopg.Connection, oid: int) -> str:
    info = conn.adapters.types.get(oid)
    return duckdb_type(info.name) if info is not None else "VARCHAR"


def _refuse_write_rights(conn: psycopg.Connection, schema: str, where: str) -> None:
    """Raise SourceError naming the first write right the connection's role holds."""
    row = conn.execute(_WRITE_CHECK, {"schema": schema}).fetchone()
    if row is None:
        raise SourceError(f"PostgreSQL source ({where}): the login role was not found")
    superuser, write_all, create_db, create_schema, writable = row
    user = conn.info.user
    problem = None
    if superuser:
        problem = f"role {user!r} is a superuser"
    elif write_all:
        problem = f"role {user!r} is a member of pg_write_all_data"
    elif create_db:
        problem = f"role {user!r} has CREATE on the database"
    elif create_schema:
        problem = f"role {user!r} has CREATE on schema {schema!r}"
    elif writable:
        problem = (
            f"role {user!r} may INSERT, UPDATE, DELETE or TRUNCATE table(s) {', '.join(writable)}"
        )
    if problem:
        raise SourceError(
            f"PostgreSQL source ({where}) refused: {problem}; "
            "connect with a role that may only read (SELECT)"
        )


def _read_tables(conn: psycopg.Connection, schema: str) -> dict[str, list[ColumnSchema]]:
    tables: dict[str, list[ColumnSchema]] = {}
    for table, column, pg_type in conn.execute(_COLUMNS, {"schema": schema}):
        tables.setdefault(table, []).append(ColumnSchema(name=column, type=duckdb_type(pg_type)))
    return tables


def _scrub(message: str, url: str) -> str:
    """The message with the URL's password (if any) masked, and on one line."""
    try:
        password = conninfo_to_dict(url).get("password")
    except psycopg.ProgrammingError:
        password = None
    if password:
        message = message.replace(str(password), "***")
    return " ".join(message.split())
