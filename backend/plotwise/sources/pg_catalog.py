"""What a PostgreSQL source's catalog says: the role's write rights, the readable tables.

Only ``pg_catalog`` is read, with the privilege functions (``has_table_privilege``...), so the
checks need no rights beyond logging in. `describe_url` and `scrub` keep passwords out of every
message.

`catalog_definition` drafts the dataset definition from the tables and their comments: a
comment (``COMMENT ON TABLE`` / ``COMMENT ON COLUMN``) becomes the description, and a column
comment may end with ``Synonyms: a, b`` to give the local analyst the words analysts use::

    COMMENT ON COLUMN flights.dep_delay IS
      'Departure delay in minutes; negative means early. Synonyms: departure delay, delay';
"""

from __future__ import annotations

import re
from typing import Final

import psycopg
from psycopg.conninfo import conninfo_to_dict

from plotwise.errors import SourceError
from plotwise.semantic.definition import DatasetDefinition
from plotwise.semantic.draft import draft_from_columns
from plotwise.sources.pg_types import duckdb_type
from plotwise.sql.result import ColumnSchema

_SYNONYMS = re.compile(r"\s*\bsynonyms?\s*:\s*(?P<words>[^.;]*)[.;]?\s*$", re.IGNORECASE)

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


def catalog_definition(
    name: str, tables: dict[str, list[ColumnSchema]], comments: dict[tuple[str, str], str]
) -> DatasetDefinition:
    """Draft a definition of ``tables`` (`draft_from_columns`), described by their comments.

    Args:
        name: The dataset's name.
        tables: Each table's columns, as `read_tables` returns them.
        comments: (table, column) or (table, "") -> comment, as `read_tables` returns them.

    Returns:
        The draft, with each comment as the description, and a column comment's trailing
        ``Synonyms: a, b`` (lower-cased) added to that column's synonyms.

    """
    draft = draft_from_columns(name, tables)
    described = {}
    for tname, table in draft.tables.items():
        columns = {}
        for cname, column in table.columns.items():
            comment = comments.get((tname, cname))
            if not comment:
                columns[cname] = column
                continue
            text, words = _split_synonyms(comment)
            synonyms = list(dict.fromkeys([*column.synonyms, *words]))
            columns[cname] = column.model_copy(
                update={"description": text or column.description, "synonyms": synonyms}
            )
        update: dict[str, object] = {"columns": columns}
        if comment := comments.get((tname, "")):
            update["description"] = comment
        described[tname] = table.model_copy(update=update)
    return draft.model_copy(update={"tables": described})


def _split_synonyms(comment: str) -> tuple[str, list[str]]:
    """A comment's description, and the words of its trailing ``Synonyms:`` list."""
    match = _SYNONYMS.search(comment)
    if match is None:
        return comment, []
    words = [w.strip().lower() for w in match.group("words").split(",")]
    return comment[: match.start()].strip(), [w for w in words if w]
