"""A query plan of the local analyst, and its rendering as SQL (DuckDB's, or a source's)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

import sqlglot
from sqlglot import exp

from plotwise.local.dialect import Dialect, in_dialect
from plotwise.local.lexicon import FieldRef
from plotwise.sql.params import QueryParamSpec

Aggregate = Literal["count", "count_distinct", "avg", "sum", "min", "max", "median", "share"]

AGG_SQL = {"avg": "avg", "sum": "sum", "min": "min", "max": "max", "median": "median"}
AGG_LABEL = {
    "count": "number of",
    "count_distinct": "distinct",
    "avg": "average",
    "sum": "total",
    "min": "minimum",
    "max": "maximum",
    "median": "median",
    "share": "share of",
}
AGG_VERB = {
    "count": "counted",
    "count_distinct": "counted the distinct",
    "avg": "averaged",
    "sum": "added up",
    "min": "took the minimum of",
    "max": "took the maximum of",
    "median": "took the median of",
    "share": "computed each group's share (%) of",
}
AGG_ALIAS = {"avg": "avg", "sum": "total", "min": "min", "max": "max", "median": "median"}


@dataclass(frozen=True)
class Measure:
    """What is computed: ``agg`` over ``ref`` (None for counting rows), named ``alias``."""

    agg: Aggregate
    ref: FieldRef | None
    alias: str
    label: str
    """Words for the measure, e.g. "average departure delay"."""


@dataclass(frozen=True)
class Filter:
    """``ref <op> value``, or ``ref <op> $name`` when ``param`` makes it a query parameter."""

    ref: FieldRef
    op: Literal["=", ">", "<", ">=", "<="]
    value: str | int | float
    label: str
    param: QueryParamSpec | None = None
    """The query parameter the value is bound to (its default is ``value``)."""


@dataclass
class Plan:
    """A single-table (or one-join-per-dimension) query over a dataset.

    An aggregate when it has a ``measure``; else a listing of ``columns`` (all of them when
    empty) sorted by ``order``.
    """

    table: str
    measure: Measure | None
    dimensions: list[FieldRef] = field(default_factory=list)
    filters: list[Filter] = field(default_factory=list)
    joins: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    """Joined table → (table it joins from, that table's column, the joined table's column),
    in join order."""
    descending: bool = True
    limit: int | None = None
    explicit_order: bool = False
    """True when the question asked for an order (top N, lowest first)."""
    columns: list[FieldRef] = field(default_factory=list)
    """The columns a listing selects."""
    order: list[FieldRef] = field(default_factory=list)
    """The columns a listing is sorted by (descending when ``explicit_order`` and
    ``descending``)."""

    def param_specs(self) -> list[QueryParamSpec]:
        """The query parameters of the plan's filters, in filter order."""
        return [f.param for f in self.filters if f.param is not None]

    def dimension_alias(self, ref: FieldRef) -> str:
        """Output column name of a dimension: its name, prefixed when it would be ambiguous."""
        if ref.table != self.table and ref.name in ("name", "year", "type", "model"):
            return f"{_singular(ref.table)}_{ref.name}"
        return ref.name

    def to_sql(self, dialect: Dialect = "duckdb") -> str:
        """Render the plan as one SELECT statement in ``dialect``, pretty-printed.

        The plan is composed in DuckDB SQL and written in ``dialect`` by
        `plotwise.local.dialect.in_dialect`.
        """
        select: list[str] = []
        group: list[str] = []
        for ref in self.dimensions:
            expr, alias = self._expr(ref), self.dimension_alias(ref)
            select.append(expr if expr == alias else f"{expr} AS {alias}")
            group.append(expr)
        if self.measure is not None:
            select.append(f"{self._measure_sql(self.measure)} AS {self.measure.alias}")
        else:
            select.extend(self._expr(c) for c in self.columns)
        if not select:
            select.append("*")
        sql = f"SELECT {', '.join(select)} FROM {self.table}"
        for table, (source, left, right) in self.joins.items():
            sql += f" JOIN {table} ON {source}.{left} = {table}.{right}"
        if self.filters:
            where = " AND ".join(
                f"{self._expr(f.ref)} {f.op} {'$' + f.param.name if f.param else _literal(f.value)}"
                for f in self.filters
            )
            sql += f" WHERE {where}"
        if group and self.measure is not None:
            sql += f" GROUP BY {', '.join(group)}"
        order = self._order_by()
        if order:
            sql += f" ORDER BY {order}"
        if self.limit is not None:
            sql += f" LIMIT {self.limit}"
        return in_dialect(sql, dialect)

    def _order_by(self) -> str | None:
        if self.measure is None:
            suffix = " DESC" if self.explicit_order and self.descending else ""
            return ", ".join(self._expr(r) + suffix for r in self.order) or None
        direction = "DESC" if self.descending else "ASC"
        if self.dimensions and not self.explicit_order and self.dimensions[0].role == "time":
            return ", ".join(self.dimension_alias(d) for d in self.dimensions)
        if self.dimensions or self.limit is not None:
            return f"{self.measure.alias} {direction} NULLS LAST"
        return None

    def explain(self) -> str:
        """One sentence saying what the query computes.

        For example "I counted flights per carrier, where month = July, keeping the top 5."
        """
        if self.measure is None:
            text = f"I listed the rows of {self.table}"
            if self.filters:
                text += ", where " + " and ".join(f.label for f in self.filters)
            if self.order:
                text += ", ordered by " + ", ".join(r.name for r in self.order)
            return text + "."
        subject = self.measure.label
        for prefix in ("number of ", "distinct ", "share of "):
            subject = subject.removeprefix(prefix)
        subject = re.sub(r" \([^)]*\)$", "", subject)
        if self.measure.agg in ("avg", "sum", "min", "max", "median"):
            subject = subject.split(" ", 1)[-1]
        text = f"I {AGG_VERB[self.measure.agg]} {subject}"
        if self.dimensions:
            text += " per " + " and ".join(d.name.replace("_", " ") for d in self.dimensions)
        if self.filters:
            text += ", where " + " and ".join(f.label for f in self.filters)
        if self.limit is not None:
            text += f", keeping the {'top' if self.descending else 'bottom'} {self.limit}"
        return text + "."

    def _measure_sql(self, measure: Measure) -> str:
        if measure.agg == "share":
            inner = (
                self._expr(measure.ref)
                if measure.ref and measure.ref.kind == "measure"
                else "count(*)"
            )
            return f"100.0 * {inner} / sum({inner}) OVER ()"
        if measure.agg == "count" or measure.ref is None:
            if measure.ref is not None and measure.ref.kind == "measure":
                return self._expr(measure.ref)
            return "count(*)"
        inner = self._expr(measure.ref)
        if measure.agg == "count_distinct":
            return f"count(DISTINCT {inner})"
        return f"{AGG_SQL[measure.agg]}({inner})"

    def _expr(self, ref: FieldRef) -> str:
        if not self.joins:
            return ref.expr
        tree = sqlglot.parse_one(ref.expr, read="duckdb")
        for column in tree.find_all(exp.Column):
            column.set("table", exp.to_identifier(ref.table))
        return tree.sql(dialect="duckdb")


def _literal(value: str | int | float) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return repr(value)


def _singular(noun: str) -> str:
    return noun[:-1] if noun.endswith("s") else noun
