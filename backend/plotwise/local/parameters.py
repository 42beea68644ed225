"""Turn the filters the local analyst inferred into query parameters the analyst can change.

"Number of flights from JFK by month" becomes ``WHERE origin = $origin`` with a ``select``
parameter whose options are the column's values and whose default is ``JFK``; a month becomes a
``number`` from 1 to 12, and a comparison ("longer than 2000 miles") a ``number`` threshold.
"""

from __future__ import annotations

import re
from dataclasses import replace

from plotwise.local.lexicon import Lexicon
from plotwise.local.plan import Filter, Plan
from plotwise.sql.params import QueryParamSpec

MAX_OPTIONS = 500
"""Columns with more distinct values than this get a text parameter instead of a select."""


def parameterize(plan: Plan, lexicon: Lexicon) -> None:
    """Give every filter of ``plan`` a query parameter (in place), named after its column."""
    taken: set[str] = set()
    plan.filters[:] = [replace(f, param=_spec(f, lexicon, taken)) for f in plan.filters]


def _spec(flt: Filter, lexicon: Lexicon, taken: set[str]) -> QueryParamSpec:
    ref = flt.ref
    words = (ref.synonyms[0] if ref.synonyms else ref.name.replace("_", " ")).capitalize()
    if flt.op == "=":
        name, label = ref.name, words
    else:
        name = f"{'min' if flt.op in ('>', '>=') else 'max'}_{ref.name}"
        unit = f" ({ref.unit})" if ref.unit else ""
        label = f"{words} {'above' if flt.op in ('>', '>=') else 'below'}{unit}"
    name = _unique(name, taken)
    if isinstance(flt.value, int | float):
        bounds = {"min": 1, "max": 12, "step": 1} if ref.name == "month" else {}
        return QueryParamSpec(name=name, type="number", default=flt.value, label=label, **bounds)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", flt.value):
        return QueryParamSpec(name=name, type="date", default=flt.value, label=label)
    options = lexicon.column_values.get((ref.table, ref.name), [])
    if flt.value in options and len(options) <= MAX_OPTIONS:
        return QueryParamSpec(
            name=name, type="select", default=flt.value, label=label, options=options
        )
    return QueryParamSpec(name=name, type="text", default=flt.value, label=label)


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}_{n}", n + 1
    taken.add(candidate)
    return candidate
