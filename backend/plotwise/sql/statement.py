"""DuckDB's own check of a statement: exactly one SELECT, as DuckDB's parser sees it.

It runs twice: in the server before a query is dispatched (so a refusal names its rule) and in
the worker process before it executes anything (so a worker never runs a statement it was not
meant to, whatever reaches its pipe).
"""

from __future__ import annotations

import duckdb

from plotwise.errors import SQLRefusedError


def engine_statement(sql: str, cursor: duckdb.DuckDBPyConnection) -> duckdb.Statement:
    """Parse ``sql`` with DuckDB's own parser and return its single SELECT statement.

    This second check does not trust sqlglot: it guards against the two parsers disagreeing
    about where statements end or what kind they are.

    Args:
        sql: The query text.
        cursor: Any cursor of the database the query will run in (parsing needs no data).

    Returns:
        The one statement, ready for ``cursor.sql``.

    Raises:
        SQLRefusedError: DuckDB cannot parse it (``parse_error``), sees more than one statement
            (``single_statement``) or a statement that is not a SELECT (``select_only``).

    """
    try:
        statements = duckdb.extract_statements(sql, connection=cursor)
    except duckdb.Error as error:
        raise SQLRefusedError("parse_error", f"DuckDB could not parse the SQL: {error}") from error
    if len(statements) != 1:
        raise SQLRefusedError(
            "single_statement", f"DuckDB sees {len(statements)} statements; send exactly one"
        )
    if statements[0].type != duckdb.StatementType.SELECT:
        raise SQLRefusedError(
            "select_only",
            f"DuckDB sees a {statements[0].type.name} statement; only SELECT is allowed",
        )
    return statements[0]
