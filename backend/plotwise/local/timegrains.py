"""Time in questions: grains ("monthly", "by quarter"), years ("in 1995") and date ranges.

Grains and years are read against a table's time column (the first DATE or TIMESTAMP column
with role ``time``), or against its own ``year``/``month`` columns when the definition has them,
so "orders per year" works on a date column and "flights in July" on a month column alike.
"""

from __future__ import annotations

import re

from plotwise.local.lexicon import FieldRef, Lexicon
from plotwise.local.plan import Filter

GRAIN_WORDS = {
    "hourly": "hour",
    "hour": "hour",
    "hours": "hour",
    "daily": "day",
    "day": "day",
    "days": "day",
    "weekly": "week",
    "week": "week",
    "weeks": "week",
    "monthly": "month",
    "month": "month",
    "months": "month",
    "quarterly": "quarter",
    "quarter": "quarter",
    "quarters": "quarter",
    "yearly": "year",
    "annual": "year",
    "annually": "year",
    "year": "year",
    "years": "year",
}
"""Words naming a time grain, and the grain."""

_YEAR = r"(1[89]\d\d|20\d\d)"
_DATE = r"(\d{4}-\d{2}-\d{2})"
_DATE_OR_YEAR = rf"({_DATE[1:-1]}|{_YEAR[1:-1]})"


def time_column(lexicon: Lexicon, table: str) -> FieldRef | None:
    """The table's calendar date, or None.

    A derived ``date`` dimension if the definition has one (local dates, where a timestamp
    column may be UTC), else the first DATE/TIMESTAMP column with role ``time``.
    """
    if "date" in lexicon.definition.tables[table].dimensions:
        return lexicon.fields[(table, "date")]
    columns = lexicon.definition.tables[table].columns
    for name, column in columns.items():
        if column.role == "time" and column.type.upper().startswith(("DATE", "TIMESTAMP")):
            return lexicon.fields[(table, name)]
    return None


def grain_dimension(lexicon: Lexicon, table: str, grain: str) -> FieldRef | None:
    """A dimension for ``grain`` over ``table``.

    Its own time column of that name when it has one, else an expression over its time column:
    ``year(col)``, ``hour(col)``, or ``date_trunc`` cast to DATE for the other grains.
    """
    own = lexicon.fields.get((table, grain))
    if own is not None and own.role == "time":
        return own
    column = time_column(lexicon, table)
    if column is None:
        return None
    if grain == "year":
        expr = f"year({column.expr})"
    elif grain == "hour":
        expr = f"hour({column.expr})"
    else:
        expr = f"CAST(date_trunc('{grain}', {column.expr}) AS DATE)"
    return FieldRef(table, grain, "dimension", "time", expr, None, "DATE", (grain,))


def date_filters(question: str, lexicon: Lexicon, table: str) -> list[Filter]:
    """Filters for years and date ranges on ``table``.

    Reads "in 1995", "since 1996", "before 1997-03-01", "between 1995 and 1996" and
    "from 1995-01-01 to 1995-06-30".
    """
    text = question.lower()
    filters: list[Filter] = []
    between = re.search(
        rf"\b(?:between|from)\s+{_DATE_OR_YEAR}\s+(?:and|to|until)\s+"
        rf"{_DATE_OR_YEAR}\b",
        text,
    )
    if between:
        low, high = between.group(1), between.group(4)
        filters += _bound(lexicon, table, low, ">=") + _bound(lexicon, table, high, "<=")
        text = text.replace(between.group(0), " ")
    for word, op in (("since", ">="), ("after", ">"), ("before", "<"), ("until", "<=")):
        for match in re.finditer(rf"\b{word}\s+{_DATE_OR_YEAR}\b", text):
            filters += _bound(lexicon, table, match.group(1), op)
    for match in re.finditer(rf"\b(?:in|during|for|of)\s+{_YEAR}\b", text):
        filters += _bound(lexicon, table, match.group(1), "=")
    return filters


def _bound(lexicon: Lexicon, table: str, value: str, op: str) -> list[Filter]:
    if len(value) == 4:
        year = grain_dimension(lexicon, table, "year")
        if year is None:
            return []
        return [Filter(year, op, int(value), f"year {op} {value}")]  # type: ignore[arg-type]
    column = time_column(lexicon, table)
    if column is None:
        return []
    return [Filter(column, op, value, f"{column.name} {op} {value}")]  # type: ignore[arg-type]


def month_dimension(lexicon: Lexicon, table: str) -> FieldRef | None:
    """The month (1-12) of ``table``: its own ``month`` column, else ``month(<time column>)``."""
    own = lexicon.fields.get((table, "month"))
    if own is not None:
        return own
    column = time_column(lexicon, table)
    if column is None:
        return None
    return FieldRef(
        table, "month", "dimension", "time", f"month({column.expr})", None, "INTEGER", ("month",)
    )
