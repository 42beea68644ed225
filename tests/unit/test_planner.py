from pathlib import Path

import pytest

from plotwise.local.lexicon import Lexicon
from plotwise.local.planner import PlanningError, plan_question
from plotwise.semantic.definition import load_definition
from plotwise.settings import PROJECT_ROOT

VALUES = {
    ("flights", "origin"): ["JFK", "LGA", "EWR"],
    ("flights", "dest"): ["LAX", "ATL", "BOS"],
    ("flights", "carrier"): ["UA", "AA", "9E"],
    ("weather", "origin"): ["JFK", "LGA", "EWR"],
}


@pytest.fixture(scope="module")
def lexicon():
    definition = load_definition(PROJECT_ROOT / "fixtures" / "datasets" / "nycflights13.yaml")
    return Lexicon.build(definition, VALUES)


def shape(plan):
    measure = plan.measure
    return {
        "table": plan.table,
        "agg": measure.agg if measure else None,
        "of": measure.ref.name if measure and measure.ref else None,
        "by": [d.name for d in plan.dimensions],
        "where": sorted((f.ref.name, f.op, f.value) for f in plan.filters),
        "limit": plan.limit,
        "desc": plan.descending,
        "joins": sorted(plan.joins),
    }


CASES = [
    (
        "Number of flights by carrier",
        {"table": "flights", "agg": "count", "by": ["carrier"], "where": [], "limit": None},
    ),
    ("Average departure delay by month", {"agg": "avg", "of": "dep_delay", "by": ["month"]}),
    ("Average arrival delay by carrier", {"agg": "avg", "of": "arr_delay", "by": ["carrier"]}),
    ("Average temperature by month", {"table": "weather", "agg": "avg", "of": "temp"}),
    (
        "Number of planes by manufacturer",
        {"table": "planes", "agg": "count", "by": ["manufacturer"]},
    ),
    (
        "How many distinct destinations are served from each origin?",
        {"agg": "count_distinct", "of": "dest", "by": ["origin"], "where": []},
    ),
    ("Number of flights from JFK by month", {"by": ["month"], "where": [("origin", "=", "JFK")]}),
    ("How many flights went to LAX?", {"by": [], "where": [("dest", "=", "LAX")]}),
    (
        "Which carrier flew the most flights in July?",
        {"by": ["carrier"], "where": [("month", "=", 7)], "limit": 1, "desc": True},
    ),
    (
        "Top 3 carriers by total distance",
        {"agg": "sum", "of": "distance", "by": ["carrier"], "limit": 3},
    ),
    (
        "Number of flights longer than 2000 miles by carrier",
        {"by": ["carrier"], "where": [("distance", ">", 2000)]},
    ),
    (
        "Number of flights delayed more than 60 minutes by month",
        {"by": ["month"], "where": [("dep_delay", ">", 60)]},
    ),
    ("Average distance by carrier, lowest first", {"desc": False, "limit": None}),
    ("Number of flights by airline name", {"by": ["name"], "joins": ["airlines"]}),
    ("What is the maximum departure delay?", {"agg": "max", "of": "dep_delay", "by": []}),
    ("Flights per hour of the day", {"agg": "count", "by": ["hour"]}),
    ("Weekly number of flights", {"by": ["week"]}),
    ("Median departure delay by carrier", {"agg": "median", "of": "dep_delay"}),
    ("Average seats by engine type", {"table": "planes", "of": "seats", "by": ["engine"]}),
    ("Show the airlines", {"table": "airlines", "agg": None, "by": []}),
]


@pytest.mark.parametrize(("question", "expected"), CASES, ids=[c[0] for c in CASES])
def test_plan_reads_the_question(lexicon, question, expected):
    got = shape(plan_question(question, lexicon))
    assert {k: got[k] for k in expected} == expected


@pytest.mark.parametrize("question", ["Tell me a joke", "hello", "What is the meaning of life?"])
def test_unreadable_questions_are_refused_plainly(lexicon, question):
    with pytest.raises(PlanningError, match="could not match"):
        plan_question(question, lexicon)


def test_join_plans_qualify_columns(lexicon):
    sql = plan_question("Number of flights by airline name", lexicon).to_sql()
    assert "JOIN airlines" in sql and "flights.carrier = airlines.carrier" in sql


def test_filters_become_query_parameters(lexicon):
    plan = plan_question("How many flights went to LAX?", lexicon)
    assert "dest = $dest" in plan.to_sql() and "'LAX'" not in plan.to_sql()
    [spec] = plan.param_specs()
    assert (spec.name, spec.type, spec.default) == ("dest", "select", "LAX")
    assert spec.options == sorted(VALUES[("flights", "dest")])


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Number of flights from JFK by month", [("origin", "select", "JFK")]),
        ("Which carrier flew the most flights in July?", [("month", "number", 7)]),
        ("Number of flights longer than 2000 miles by carrier", [("min_distance", "number", 2000)]),
        (
            "Number of flights from EWR in March",
            [("origin", "select", "EWR"), ("month", "number", 3)],
        ),
    ],
)
def test_parameter_specs_of_inferred_filters(lexicon, question, expected):
    specs = plan_question(question, lexicon).param_specs()
    assert [(s.name, s.type, s.default) for s in specs] == expected
    for spec in specs:
        assert f"${spec.name}" in plan_question(question, lexicon).to_sql()
        if spec.name == "month":
            assert (spec.min, spec.max, spec.step) == (1, 12, 1)


def test_definition_path_is_the_bundled_one():
    assert Path(PROJECT_ROOT / "fixtures" / "datasets" / "nycflights13.yaml").is_file()


@pytest.mark.parametrize(
    ("question", "filters"),
    [
        ("Number of flights delayed more than 3 hours", [("dep_delay", ">", 180)]),
        ("Number of flights over 2000 miles", [("distance", ">", 2000)]),
        ("Number of flights that arrived more than 60 minutes late", [("arr_delay", ">", 60)]),
        (
            "Number of flights with a departure delay of at least 2 hours",
            [("dep_delay", ">=", 120)],
        ),
        (
            "Average arrival delay for flights delayed over 60 minutes",
            [("dep_delay", ">", 60)],
        ),
    ],
)
def test_comparisons_in_units_and_after_their_number(lexicon, question, filters):
    """A duration is converted to the column's unit; "hours" is then no grouping; a bare
    "delayed" or "late" is the departure delay unless the question speaks of arriving."""
    plan = plan_question(question, lexicon)
    assert shape(plan)["where"] == filters and plan.dimensions == []
    assert [s.default for s in plan.param_specs()] == [f[2] for f in filters]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("show all carriers", {"table": "flights", "agg": "count", "by": ["carrier"]}),
        ("show all airlines", {"table": "airlines", "agg": None, "by": []}),
        ("Show all planes", {"table": "planes", "agg": None, "by": []}),
    ],
)
def test_all_values_of_a_dimension_are_counted_but_all_rows_of_a_table_listed(
    lexicon, question, expected
):
    got = shape(plan_question(question, lexicon))
    assert {k: got[k] for k in expected} == expected
