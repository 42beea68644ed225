"""What a PostgreSQL source's catalog says: the role's write rights, the readable tables.

Only ``pg_catalog`` is read, with the privilege functions (``has_table_privilege``...), so the
checks need no rights beyond logging in. `describe_url` and `scrub` keep passwords out of every
message.
"""

from __future__ import annotations

from typing import Final

import psycopg
from psycopg.conninfo import conninfo_to_dict

from plotwise.errors import SourceError
from plotwise.sources.pg_types import duckdb_type
from plotwise.sql.result import ColumnSchema

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
SELECT c.relname::text, a.attname::text, format_type(a.atttypid, NULL),
       obj_description(c.oid, 'pg_class'), col_description(c.oid, a.attnum)
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


def refuse_write_rights(conn: psycopg.Connection, schema: str, where: str) -> None:
    """Refuse a role that may write, naming the first write right it holds.

    Args:
        conn: A connection as the source's role.
        schema: The schema the source exposes.
        where: ``host:port/database``, for the message.

    Raises:
        SourceError: The role is a superuser or in ``pg_write_all_data``, may CREATE in the
            database or the schema, or may INSERT, UPDATE, DELETE or TRUNCATE a table there.

    """
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


def read_tables(
    conn: psycopg.Connection, schema: str
) -> tuple[dict[str, list[ColumnSchema]], dict[tuple[str, str], str]]:
    """Read the tables (and views) of ``schema`` the role may SELECT.

    Returns:
        Each table's columns with DuckDB type names, in table order; and the comments
        (``COMMENT ON``), keyed (table, column), or (table, "") for a table's own, on one line.

    """
    tables: dict[str, list[ColumnSchema]] = {}
    comments: dict[tuple[str, str], str] = {}
    for table, column, pg_type, table_note, column_note in conn.execute(
        _COLUMNS, {"schema": schema}
    ):
        tables.setdefault(table, []).append(ColumnSchema(name=column, type=duckdb_type(pg_type)))
        if table_note and table_note.strip():
            comments[(table, "")] = " ".join(table_note.split())
        if column_note and column_note.strip():
            comments[(table, column)] = " ".join(column_note.split())
    return tables, comments


def scrub(message: str, url: str) -> str:
    """The message with the URL's password (if any) masked, and on one line."""
    try:
        password = conninfo_to_dict(url).get("password")
    except psycopg.ProgrammingError:
        password = None
    if password:
        message = message.replace(str(password), "***")
    return " ".join(message.split())
