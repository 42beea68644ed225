"""The local analyst's SQL in the dialect of the engine that runs it.

The analyst composes DuckDB SQL (`plotwise.local.plan.Plan.to_sql`). For a PostgreSQL source,
sqlglot writes it in PostgreSQL, with the rewrites sqlglot does not make itself for the shapes
the analyst writes:

- ``$name`` query parameters stay ``$name`` (sqlglot would write psycopg's ``%(name)s``; the
  guard and `plotwise.sources.pg_params` expect ``$name``);
- ``year(x)``, ``month(x)``, ``hour(x)``... become ``CAST(EXTRACT(... FROM x) AS INT)``, so the
  column is an integer as in DuckDB (PostgreSQL's ``EXTRACT`` returns ``numeric``);
- ``make_date`` stays ``make_date`` and ``dayname(x)`` becomes ``trim(to_char(x, 'Day'))``;
- ``date_trunc`` of a date truncates it as a TIMESTAMP, as DuckDB does (PostgreSQL would make
  the date a ``timestamptz`` first).

The SQL shown in the answer is the SQL that ran: the guard validates it in PostgreSQL's dialect.
"""

from __future__ import annotations

from typing import Final, Literal

import sqlglot
from sqlglot import exp

Dialect = Literal["duckdb", "postgres"]
"""The SQL dialects the analyst writes."""

_EXTRACT_UNITS: Final = {
    exp.Year: "YEAR",
    exp.Quarter: "QUARTER",
    exp.Month: "MONTH",
    exp.Week: "WEEK",
    exp.Day: "DAY",
    exp.DayOfWeek: "DOW",
    exp.Hour: "HOUR",
    exp.Minute: "MINUTE",
}
"""DuckDB's date part functions and PostgreSQL's ``EXTRACT`` field for each (Sunday is 0 in
both ``dayofweek`` and ``DOW``)."""


def in_dialect(sql: str, dialect: Dialect, *, pretty: bool = True) -> str:
    """Write the analyst's DuckDB SQL in ``dialect``.

    Args:
        sql: One DuckDB SELECT.
        dialect: ``duckdb`` (normalised and pretty-printed only) or ``postgres``.
        pretty: Indent the SQL over several lines.

    Returns:
        The same query for ``dialect``.

    """
    if dialect == "duckdb":
        return sqlglot.transpile(sql, read="duckdb", write="duckdb", pretty=pretty)[0]
    tree = sqlglot.parse_one(sql, read="duckdb").transform(_portable)
    return tree.sql(dialect=dialect, pretty=pretty)


def _portable(node: exp.Expression) -> exp.Expression:
    """Rewrite one node; a replacement's arguments are rewritten here (transform skips them)."""
    if isinstance(node, exp.Placeholder) and node.name:
        return exp.Parameter(this=exp.Var(this=node.name))
    unit = _EXTRACT_UNITS.get(type(node))
    if unit is not None:
        extract = exp.Extract(this=exp.var(unit), expression=node.this.transform(_portable))
        return exp.cast(extract, exp.DataType.Type.INT)
    if isinstance(node, exp.DateFromParts):
        args = [node.args[part].transform(_portable) for part in ("year", "month", "day")]
        return exp.Anonymous(this="make_date", expressions=args)
    if isinstance(node, exp.TimestampTrunc | exp.DateTrunc) and _is_date(node.this):
        truncated = node.copy()
        moment = exp.cast(node.this.transform(_portable), exp.DataType.Type.TIMESTAMP)
        truncated.set("this", moment)
        return truncated
    if isinstance(node, exp.Dayname):
        value = node.this.transform(_portable)
        day = exp.Anonymous(this="to_char", expressions=[value, exp.Literal.string("Day")])
        return exp.Trim(this=day)
    return node


def _is_date(node: exp.Expression) -> bool:
    """Whether an expression is a DATE by its form (``make_date(...)``, ``CAST(... AS DATE)``)."""
    if isinstance(node, exp.DateFromParts):
        return True
    return isinstance(node, exp.Cast) and node.to.is_type(exp.DataType.Type.DATE)
