"""The SQL guard: admit exactly one read-only query over known tables, refuse everything else.

This is the first of three layers (this guard, DuckDB's own statement check
`engine_statement`, the locked-down catalog); every path that executes or stores SQL (the
agent's tool, refresh, templates and their import, ``plotwise sql``) calls `validate_select`.
It parses with sqlglot and checks, in order: size, parse, statement count, writable CTEs,
statement kinds anywhere in the tree, denied functions, then every table reference. Each
refusal is a `SQLRefusedError` whose ``rule`` is one of `RULES` and whose message names the
offending part, so a model can repair its SQL.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Final

import sqlglot
from sqlglot import exp
from sqlglot.dialects import Dialect
from sqlglot.errors import SqlglotError
from sqlglot.tokens import TokenType

from plotwise.errors import SQLRefusedError

RULES: Final = (
    "too_long",
    "parse_error",
    "single_statement",
    "writable_cte",
    "select_only",
    "denied_function",
    "file_reference",
    "table_function",
    "unknown_table",
    "parameters",
)
"""Every rule name a refusal can carry."""

MAX_SQL_CHARS: Final = 100_000
"""Longest SQL text the guard parses; longer text is refused before parsing."""

ALLOWED_TABLE_FUNCTIONS: Final = frozenset({"range", "generate_series", "unnest"})
"""Table functions allowed in FROM: they generate rows and touch nothing outside the query."""

DENIED_FUNCTIONS: Final = frozenset(
    {
        # files and the environment
        "getenv",
        "glob",
        "sniff_csv",
        "load_aws_credentials",
        # engine state: settings, secrets, the log
        "current_setting",
        "which_secret",
        "write_log",
        "checkpoint",
        "force_checkpoint",
        # SQL that runs other SQL, out of the guard's sight
        "query",
        "query_table",
        "json_execute_serialized_sql",
        # other databases (their extensions cannot load, but refuse them by name too)
        "postgres_query",
        "postgres_execute",
        "mysql_query",
        "mysql_execute",
    }
)
"""Functions refused wherever they appear (file, environment or engine-state access)."""

DENIED_PREFIXES: Final = (
    "read_",
    "parquet_",
    "duckdb_",
    "pragma_",
    "iceberg_",
    "ducklake_",
    "http_",
)
"""Function name prefixes refused wherever they appear: file readers, engine introspection,
lakehouse metadata and HTTP clients."""

DENIED_SUFFIXES: Final = ("_scan", "_attach")
"""Function name suffixes refused wherever they appear: scanners and attachers of files and
other databases."""

STATEMENT_KEYWORDS: Final = frozenset(
    {
        "ALTER",
        "ANALYZE",
        "ATTACH",
        "BEGIN",
        "CALL",
        "CHECKPOINT",
        "COMMENT",
        "COMMIT",
        "COPY",
        "CREATE",
        "DEALLOCATE",
        "DELETE",
        "DESCRIBE",
        "DETACH",
        "DROP",
        "EXECUTE",
        "EXPORT",
        "FORCE",
        "IMPORT",
        "INSERT",
        "INSTALL",
        "LOAD",
        "MERGE",
        "PRAGMA",
        "PREPARE",
        "RESET",
        "ROLLBACK",
        "SET",
        "SHOW",
        "SUMMARIZE",
        "TRUNCATE",
        "UPDATE",
        "USE",
        "VACUUM",
    }
)
"""First keywords of statements that are not queries: SQL starting with one is refused as
``select_only`` even when sqlglot cannot parse it (``EXPORT DATABASE``, ``IMPORT DATABASE``)."""

_FORBIDDEN_NODES: Final = (
    exp.DML,  # INSERT, UPDATE, DELETE, MERGE, COPY
    exp.DDL,  # CREATE and friends
    exp.Drop,
    exp.Alter,
    exp.TruncateTable,
    exp.Attach,
    exp.Detach,
    exp.Set,
    exp.Pragma,
    exp.Install,
    exp.Use,
    exp.Transaction,
    exp.Commit,
    exp.Rollback,
    exp.Export,
    exp.Execute,
    exp.LoadData,
    exp.Grant,
    exp.Revoke,
    exp.Analyze,
    exp.Command,  # statements sqlglot only knows by keyword (LOAD, CALL, VACUUM...)
    exp.Describe,
    exp.Summarize,
    exp.Show,
    exp.Into,  # SELECT ... INTO creates a table
)
"""Node types that must not appear anywhere in an admitted query."""

_DEFAULT_SCHEMAS: Final = frozenset({"", "main", "memory"})
_DEFAULT_CATALOGS: Final = frozenset({"", "memory"})
_PATH_CHARACTERS: Final = frozenset("/\\.:~*?")
_ANSI_ESCAPE: Final = re.compile(r"\x1b\[[0-9;]*m")


def validate_select(
    sql: str, *, tables: Collection[str], params: Collection[str] = (), dialect: str = "duckdb"
) -> exp.Expression:
    """Parse ``sql`` and return its tree if it is exactly one read-only query.

    A query is a SELECT, a set operation (UNION...), ``WITH ... SELECT`` or VALUES. It may read
    the given tables (case-insensitive, optionally as ``main.<table>``), its own CTEs and the
    table functions in `ALLOWED_TABLE_FUNCTIONS`, and may not call a denied function.

    Args:
        sql: The SQL text, as written by the model.
        tables: Names of the tables the query may read.
        params: Names of the declared query parameters: the ``$name`` parameters the SQL uses
            must be exactly these.
        dialect: sqlglot dialect to parse with.

    Returns:
        The parsed statement (a ``sqlglot.exp.Query`` or ``sqlglot.exp.Values``).

    Raises:
        SQLRefusedError: ``rule`` is the first rule of `RULES` the SQL breaks.

    """
    if len(sql) > MAX_SQL_CHARS:
        raise SQLRefusedError("too_long", f"the SQL is {len(sql)} characters, over {MAX_SQL_CHARS}")
    checked = _as_select(sql, dialect)
    try:
        parsed = [tree for tree in sqlglot.parse(checked, read=dialect) if tree is not None]
    except (SqlglotError, RecursionError) as error:
        keyword = _first_keyword(sql, dialect)
        if keyword in STATEMENT_KEYWORDS:
            # A statement sqlglot does not know is still not a query: name the real reason.
            raise SQLRefusedError(
                "select_only", f"only read-only SELECT queries are allowed, not {keyword}"
            ) from error
        # sqlglot underlines the bad token with terminal escape codes: drop them.
        detail = _ANSI_ESCAPE.sub("", str(error))
        raise SQLRefusedError("parse_error", f"could not parse the SQL: {detail}") from error
    if not parsed:
        raise SQLRefusedError("parse_error", "the SQL contains no statement")
    if len(parsed) > 1:
        raise SQLRefusedError(
            "single_statement", f"send exactly one statement, not {len(parsed)} (split at ';')"
        )
    tree = parsed[0]
    _check_statement_kinds(tree, checked, dialect)
    _check_functions(tree, sql, dialect)
    check_tables(tree, tables)
    _check_parameters(tree, params)
    return tree


def _check_parameters(tree: exp.Expression, declared: Collection[str]) -> None:
    """Refuse positional parameters, and named ones that are not exactly the declared set."""
    used: set[str] = set()
    for node in tree.find_all(exp.Placeholder, exp.Parameter):
        name = node.name
        if not name or name.isdigit():
            raise SQLRefusedError("parameters", "use named parameters ($name), not ? or $1")
        used.add(name)
    if missing := sorted(used - set(declared)):
        raise SQLRefusedError("parameters", f"${missing[0]} is used but not declared in params")
    if unused := sorted(set(declared) - used):
        raise SQLRefusedError("parameters", f"parameter {unused[0]!r} is declared but never used")


def _check_statement_kinds(tree: exp.Expression, sql: str, dialect: str) -> None:
    """Refuse writable CTEs, forbidden statements anywhere, and a non-query top level."""
    for cte in tree.find_all(exp.CTE):
        if not isinstance(cte.this, exp.Query | exp.Values):
            raise SQLRefusedError(
                "writable_cte",
                f'CTE "{cte.alias}" runs {_kind(cte.this)}; CTEs may only contain SELECT queries',
            )
    for node in tree.walk():
        if isinstance(node, _FORBIDDEN_NODES):
            kind = _first_keyword(sql, dialect) if node is tree else _kind(node)
            raise SQLRefusedError(
                "select_only", f"only read-only SELECT queries are allowed, not {kind}"
            )
    if not isinstance(tree, exp.Query | exp.Values):
        kind = _first_keyword(sql, dialect)
        raise SQLRefusedError(
            "select_only", f"only read-only SELECT queries are allowed, not {kind}"
        )


def _check_functions(tree: exp.Expression, sql: str, dialect: str) -> None:
    """Refuse denied functions (see `called_functions`)."""
    for name in called_functions(tree, sql, dialect):
        if is_denied(name):
            raise SQLRefusedError(
                "denied_function",
                f'function "{name}" is not allowed: it reads files or engine state; '
                "query the known tables instead",
            )


def check_tables(
    tree: exp.Expression,
    tables: Collection[str],
    *,
    table_functions: Collection[str] = ALLOWED_TABLE_FUNCTIONS,
    schemas: Collection[str] = _DEFAULT_SCHEMAS,
    catalogs: Collection[str] = _DEFAULT_CATALOGS,
    engine: str | None = None,
) -> None:
    """Refuse every table reference that is not a known table, a CTE or an allowed function.

    A CTE name only counts where it is in scope (its own query and that query's subqueries):
    a name defined inside a subquery does not cover a file path read elsewhere.

    Args:
        tree: The parsed statement.
        tables: Names of the tables the query may read.
        table_functions: Table functions it may call.
        schemas: Lower-case schema qualifiers a known table may carry ("" for none).
        catalogs: Lower-case catalog qualifiers a known table may carry ("" for none).
        engine: Named in the messages when the engine is not DuckDB (e.g. ``Spark``).

    Raises:
        SQLRefusedError: ``table_function``, ``file_reference`` or ``unknown_table``.

    """
    known = {name.lower() for name in tables}
    listing = ", ".join(sorted(known)) or "(none)"
    in_job, for_engine = (f" in a {engine} job", f" for {engine}") if engine else ("", "")
    for table in tree.find_all(exp.Table):
        if isinstance(table.this, exp.Func):
            name = function_names(table.this)[0]
            if name not in table_functions:
                raise SQLRefusedError(
                    "table_function",
                    f'table function "{name}" is not allowed{in_job}; allowed: '
                    f"{', '.join(sorted(table_functions))}",
                )
            continue
        name = table.name
        qualified = table.db.lower() in schemas and table.catalog.lower() in catalogs
        if qualified and (
            name.lower() in known or (not table.db and name.lower() in _ctes_in_scope(table))
        ):
            continue
        if _PATH_CHARACTERS & set(name):
            raise SQLRefusedError(
                "file_reference",
                f'file reference "{name}" is not allowed; query the known tables: {listing}',
            )
        shown = ".".join(part for part in (table.catalog, table.db, name) if part)
        raise SQLRefusedError(
            "unknown_table", f'unknown table "{shown}"{for_engine}; known tables: {listing}'
        )


def _ctes_in_scope(node: exp.Expression) -> set[str]:
    """Return the lower-case CTE names visible at ``node``: those of every enclosing WITH."""
    names: set[str] = set()
    parent = node.parent
    while parent is not None:
        with_ = parent.args.get("with_")
        if isinstance(with_, exp.With):
            names.update(cte.alias_or_name.lower() for cte in with_.expressions)
        parent = parent.parent
    return names


def called_functions(tree: exp.Expression, sql: str, dialect: str) -> list[str]:
    """Names of the functions a statement calls, lower-case: from the tree and the raw tokens.

    Every ``name(`` token counts too: the scan catches names sqlglot maps to other functions
    or parses in odd places.

    Args:
        tree: The parsed statement.
        sql: Its text, as sent.
        dialect: The sqlglot dialect it was parsed in.

    """
    names = [name for node in tree.find_all(exp.Func) for name in function_names(node)]
    tokens = Dialect.get_or_raise(dialect).tokenize(sql)
    for token, following in zip(tokens, tokens[1:], strict=False):
        if following.token_type == TokenType.L_PAREN and token.token_type != TokenType.STRING:
            names.append(token.text.lower())
    return names


def function_names(node: exp.Func) -> list[str]:
    """Return the lower-case names a function node may run under (as written, canonical)."""
    if isinstance(node, exp.Anonymous):
        return [node.name.lower()]
    return [node.sql_name().lower(), node.key.lower()]


def is_denied(name: str) -> bool:
    """Whether a function name is on the denylist (exact names, prefixes, suffixes)."""
    return (
        name in DENIED_FUNCTIONS
        or name.startswith(DENIED_PREFIXES)
        or name.endswith(DENIED_SUFFIXES)
    )


def _kind(node: exp.Expression) -> str:
    """Name a statement node for a message, e.g. ``DELETE``."""
    return node.key.upper()


def _as_select(sql: str, dialect: str) -> str:
    """Return DuckDB's PIVOT/UNPIVOT statement form as the equivalent query, for checking.

    ``PIVOT t ON c USING f(x) GROUP BY g ORDER BY g`` is a read-only query in DuckDB, but
    sqlglot parses neither its trailing ORDER BY/LIMIT nor the statement as a query. Checked as
    ``SELECT * FROM (PIVOT t ON c USING f(x) GROUP BY g) ORDER BY g``: the same tokens, so the
    same tables and functions; DuckDB's own statement check still sees the original. Any other
    SQL is returned unchanged.
    """
    try:
        tokens = Dialect.get_or_raise(dialect).tokenize(sql)
    except SqlglotError:
        return sql
    if not tokens or tokens[0].text.upper() not in ("PIVOT", "UNPIVOT"):
        return sql
    depth = 0
    split = len(sql)
    for token in tokens:
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
        elif depth == 0 and token.token_type in (TokenType.ORDER_BY, TokenType.LIMIT):
            split = token.start
            break
    # Newlines keep a trailing line comment from swallowing the closing parenthesis.
    return f"SELECT * FROM (\n{sql[:split]}\n) {sql[split:]}"


def _first_keyword(sql: str, dialect: str) -> str:
    """Return the statement's first token in capitals (``LOAD``, ``CHECKPOINT``...)."""
    try:
        tokens = Dialect.get_or_raise(dialect).tokenize(sql)
    except SqlglotError:
        return "this statement"
    return tokens[0].text.upper() if tokens else "this statement"
