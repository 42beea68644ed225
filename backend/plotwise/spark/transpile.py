"""DuckDB SQL to Spark SQL, guarded on both sides.

A Spark job's query is written in DuckDB's dialect, like every other query of Plotwise, and
checked by the same guard (`plotwise.sql.guard.validate_select`) against the dataset's tables.
sqlglot then writes it in Spark's dialect, and an independent check parses that Spark SQL again
and refuses anything but one query over the allowed tables: Spark can do things DuckDB cannot
(call Java methods with ``reflect``, read files with ``csv.`/path```, run a shell command with
``SELECT TRANSFORM ... USING``), and a transpiler is one more place where text can change
meaning. Every refusal is a `SQLRefusedError` naming its rule (one of `SPARK_RULES`).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Final

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, SqlglotError

from plotwise.errors import SQLRefusedError
from plotwise.sql.guard import (
    RULES,
    called_functions,
    check_tables,
    is_denied,
    validate_select,
)

SPARK_RULES: Final = (*RULES, "transpile", "script_transform")
"""Every rule a refusal of a Spark job's SQL can carry: the guard's, plus ``transpile`` (no
Spark SQL says the same) and ``script_transform`` (``TRANSFORM ... USING`` runs a program)."""

SPARK_DENIED_FUNCTIONS: Final = frozenset(
    {
        # Java calls
        "reflect",
        "java_method",
        "try_reflect",
        # a table or function named by a string, out of the check's sight
        "identifier",
        # readers of files and secrets (Spark, Databricks)
        "read_files",
        "from_protobuf",
        "to_protobuf",
        "secret",
        "try_secret",
        "input_file_name",
        "input_file_block_start",
        "input_file_block_length",
    }
)
"""Spark functions refused wherever they appear, besides the DuckDB guard's denylist."""

SPARK_DENIED_PREFIXES: Final = ("xpath", "ai_", "http_", "read_")
"""Spark function name prefixes refused: XML parsers (external entities), model and HTTP calls,
file readers."""

SPARK_TABLE_FUNCTIONS: Final = frozenset(
    {
        "range",
        "explode",
        "explode_outer",
        "posexplode",
        "posexplode_outer",
        "inline",
        "inline_outer",
        "stack",
    }
)
"""Spark table functions allowed in FROM: generators over values (sqlglot writes DuckDB's
``range``, ``generate_series`` and ``unnest`` as ``EXPLODE(SEQUENCE(...))``)."""

_DUCKDB_DEFAULT_QUALIFIERS: Final = frozenset({"", "main", "memory"})

_STATEMENTS: Final = (
    exp.DML,
    exp.DDL,
    exp.Drop,
    exp.Alter,
    exp.TruncateTable,
    exp.Set,
    exp.Use,
    exp.Transaction,
    exp.Commit,
    exp.Rollback,
    exp.Execute,
    exp.LoadData,
    exp.Grant,
    exp.Revoke,
    exp.Analyze,
    exp.Command,
    exp.Describe,
    exp.Show,
    exp.Into,
    exp.Cache,
    exp.Uncache,
    exp.Refresh,
)
"""Nodes of statements that are not queries: none may appear in a job's Spark SQL."""

_ANSI_ESCAPE: Final = re.compile(r"\x1b\[[0-9;]*m")


def to_spark_sql(sql: str, tables: Collection[str]) -> str:
    """Check a DuckDB-dialect query as ``run_sql`` does and return it as Spark SQL.

    Args:
        sql: One read-only query in DuckDB's dialect, without ``$name`` parameters.
        tables: The tables the query may read (its dataset's).

    Returns:
        The query in Spark's dialect, checked again as Spark SQL.

    Raises:
        SQLRefusedError: The guard refused the DuckDB SQL (its rules), the query has
            parameters (``parameters``), sqlglot cannot write it for Spark (``transpile``),
            or the Spark SQL breaks a Spark-side rule (`SPARK_RULES`).

    """
    try:
        tree = validate_select(sql, tables=tables)
    except SQLRefusedError as error:
        if error.rule == "parameters":
            raise SQLRefusedError(
                "parameters",
                "Spark jobs take no query parameters ($name or ?): write the values into the SQL",
            ) from error
        raise
    spark_sql = _transpile(tree)
    check_spark_sql(spark_sql, tables)
    return spark_sql


def check_spark_sql(spark_sql: str, tables: Collection[str]) -> exp.Expression:
    """Admit exactly one Spark SQL query that reads only ``tables`` and its own CTEs.

    Independent of the DuckDB guard: it parses with Spark's dialect, and refuses statements
    other than queries, ``TRANSFORM ... USING`` scripts, qualified or file-path table
    references (``csv.`/etc/passwd```, ``global_temp.x``), table functions other than
    `SPARK_TABLE_FUNCTIONS`, and the functions of both denylists.

    Returns:
        The parsed query.

    Raises:
        SQLRefusedError: With the rule the SQL breaks.

    """
    try:
        parsed = [tree for tree in sqlglot.parse(spark_sql, read="spark") if tree is not None]
    except (SqlglotError, RecursionError) as error:
        detail = _ANSI_ESCAPE.sub("", str(error))
        raise SQLRefusedError("transpile", f"the Spark SQL does not parse: {detail}") from error
    if len(parsed) != 1:
        raise SQLRefusedError(
            "single_statement", f"the Spark SQL has {len(parsed)} statements, not exactly one"
        )
    tree = parsed[0]
    _check_kinds(tree)
    _check_functions(tree, spark_sql)
    check_tables(
        tree,
        tables,
        table_functions=SPARK_TABLE_FUNCTIONS,
        schemas={""},
        catalogs={""},
        engine="Spark",
    )
    return tree


def _transpile(tree: exp.Expression) -> str:
    """Write a guarded DuckDB tree as Spark SQL; ``main.flights`` loses its DuckDB schema."""
    tree = tree.copy()
    for table in tree.find_all(exp.Table):
        if table.db.lower() in _DUCKDB_DEFAULT_QUALIFIERS and (
            table.catalog.lower() in _DUCKDB_DEFAULT_QUALIFIERS
        ):
            table.set("db", None)
            table.set("catalog", None)
    try:
        return tree.sql(dialect="spark", unsupported_level=ErrorLevel.RAISE)
    except SqlglotError as error:
        detail = _ANSI_ESCAPE.sub("", str(error))
        raise SQLRefusedError(
            "transpile", f"this query cannot be written in Spark SQL: {detail}"
        ) from error


def _check_kinds(tree: exp.Expression) -> None:
    if not isinstance(tree, exp.Query | exp.Values):
        raise SQLRefusedError(
            "select_only", f"only read-only queries are allowed, not {tree.key.upper()}"
        )
    for node in tree.walk():
        if isinstance(node, exp.QueryTransform):
            raise SQLRefusedError(
                "script_transform", "TRANSFORM ... USING runs a program; it is not allowed"
            )
        if isinstance(node, _STATEMENTS):
            raise SQLRefusedError(
                "select_only", f"only read-only queries are allowed, not {node.key.upper()}"
            )
        if isinstance(node, exp.CTE) and not isinstance(node.this, exp.Query | exp.Values):
            raise SQLRefusedError(
                "writable_cte", f'CTE "{node.alias}" is not a query; CTEs may only be queries'
            )


def _check_functions(tree: exp.Expression, spark_sql: str) -> None:
    """Refuse denied functions in the tree and as ``name(`` anywhere in the raw tokens."""
    for name in called_functions(tree, spark_sql, "spark"):
        if _is_denied(name):
            raise SQLRefusedError(
                "denied_function",
                f'function "{name}" is not allowed in a Spark job: it reaches files, Java or '
                "other systems; query the known tables instead",
            )


def _is_denied(name: str) -> bool:
    """Denied by the guard's lists or by Spark's own (Java calls, file readers...)."""
    return (
        is_denied(name) or name in SPARK_DENIED_FUNCTIONS or name.startswith(SPARK_DENIED_PREFIXES)
    )
