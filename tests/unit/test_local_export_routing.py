"""The local analyst's export routing: which questions go to Spark, with which SQL and format."""

from __future__ import annotations

import pytest

from plotwise.evaluation import read_questions
from plotwise.local.export import fact_tables, plan_export
from plotwise.local.lexicon import Lexicon
from plotwise.local.planner import PlanningError, plan_question
from plotwise.semantic.definition import load_definition
from plotwise.settings import PROJECT_ROOT
from support.export_lexicon import FLIGHT_COLUMNS, export_lexicon, flat, where


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return export_lexicon()


# --- routing -------------------------------------------------------------------------------
EXPORTS = [
    (
        "Export all flights delayed more than 3 hours",
        "parquet",
        [("dep_delay", ">", 180)],
        "with a departure delay over 3 hours",
    ),
    ("Export flights to LAX as CSV", "csv", [("dest", "=", "LAX")], "to LAX"),
    (
        "all rows of flights from JFK in January",
        "parquet",
        [("month", "=", 1), ("origin", "=", "JFK")],
        "from JFK in January",
    ),
    (
        "download every flight with an arrival delay over 2 hours",
        "parquet",
        [("arr_delay", ">", 120)],
        "with an arrival delay over 2 hours",
    ),
    (
        "list all flights from EWR to LAX",
        "parquet",
        [("dest", "=", "LAX"), ("origin", "=", "EWR")],
        "from EWR to LAX",
    ),
    (
        "Export all flights that arrived more than 2 hours late",
        "parquet",
        [("arr_delay", ">", 120)],
        "with an arrival delay over 2 hours",
    ),
    (
        "Export all flights delayed by more than 90 minutes in March as Parquet",
        "parquet",
        [("dep_delay", ">", 90), ("month", "=", 3)],
        "in March with a departure delay over 90 minutes",
    ),
    (
        "Download all flights with a departure delay of at least 60 minutes and a distance "
        "under 500 miles as csv",
        "csv",
        [("dep_delay", ">=", 60), ("distance", "<", 500)],
        "with a departure delay of at least 1 hour and a distance under 500 miles",
    ),
    ("Export all rows from JFK", "parquet", [("origin", "=", "JFK")], "from JFK"),
    ("Export all flights", "parquet", [], ""),
    ("List all flights in 2013", "parquet", [("year", "=", 2013)], "in 2013"),
]


@pytest.mark.parametrize(
    ("question", "fmt", "filters", "words"), EXPORTS, ids=[e[0] for e in EXPORTS]
)
def test_export_questions_list_the_filtered_rows(lexicon, question, fmt, filters, words):
    export = plan_export(question, lexicon)
    assert export is not None and export.is_listing
    assert (export.output_format, where(export.plan), export.description) == (fmt, filters, words)
    sql = flat(export.sql)
    assert sql.startswith(f"SELECT {FLIGHT_COLUMNS} FROM flights")
    assert sql.endswith("ORDER BY time_hour, flight, tailnum")
    # A job takes a query only: the values are literals, not $parameters.
    assert "$" not in sql and export.plan.param_specs() == []


def test_delayed_more_than_three_hours_is_180_minutes_of_departure_delay(lexicon):
    sql = flat(plan_export("Export all flights delayed more than 3 hours", lexicon).sql)
    assert " WHERE dep_delay > 180 ORDER BY " in sql


def test_string_values_are_quoted_literals(lexicon):
    sql = flat(plan_export("list all flights from EWR to LAX", lexicon).sql)
    assert "WHERE origin = 'EWR' AND dest = 'LAX'" in sql


@pytest.mark.parametrize(
    ("question", "table", "order"),
    [
        ("Export all weather observations at JFK in July", "weather", "time_hour"),
        ("Export all airports", "airports", "faa"),
        ("Export the airlines as CSV", "airlines", "carrier"),
    ],
)
def test_exports_of_other_tables(lexicon, question, table, order):
    export = plan_export(question, lexicon)
    sql = flat(export.sql)
    columns = ", ".join(lexicon.definition.tables[table].columns)
    assert sql.startswith(f"SELECT {columns} FROM {table}")
    assert sql.endswith(f"ORDER BY {order}")


def test_a_filter_on_another_table_joins_it_and_selects_the_listed_tables_columns(lexicon):
    sql = flat(plan_export("Export all flights on BOEING planes", lexicon).sql)
    assert sql.startswith("SELECT flights.year, flights.month,")
    assert "FROM flights JOIN planes ON flights.tailnum = planes.tailnum" in sql
    assert "WHERE planes.manufacturer = 'BOEING'" in sql


def test_sorted_by_a_named_column(lexicon):
    sql = flat(plan_export("Export flights from JFK sorted by distance descending", lexicon).sql)
    assert sql.endswith("WHERE origin = 'JFK' ORDER BY distance DESC")


def test_fact_tables_are_those_that_reference_others_and_are_not_referenced(lexicon):
    assert fact_tables(lexicon) == {"flights", "weather"}


AGGREGATE_EXPORTS = [
    ("Export the number of flights by carrier as CSV", "csv", "Number of flights by carrier"),
    ("Export all carriers", "parquet", "Number of flights by carrier"),
    (
        "Download the average departure delay by month to a CSV file",
        "csv",
        "Average departure delay by month",
    ),
    (
        "Export the number of flights from JFK by month",
        "parquet",
        "Number of flights from JFK by month",
    ),
]


@pytest.mark.parametrize(("question", "fmt", "same_as"), AGGREGATE_EXPORTS)
def test_an_aggregate_that_asks_for_a_file_is_exported_as_planned(lexicon, question, fmt, same_as):
    export = plan_export(question, lexicon)
    assert export is not None and not export.is_listing and export.output_format == fmt
    planned = plan_question(same_as, lexicon)
    expected = planned.to_sql()
    for spec in planned.param_specs():
        literal = spec.default if isinstance(spec.default, int) else f"'{spec.default}'"
        expected = expected.replace(f"${spec.name}", str(literal))
    assert export.sql == expected and "$" not in export.sql


STAY_ON_RUN_SQL = [
    "show all carriers",
    "show me all destinations",
    "Show the airlines",
    "show all airlines",
    "list all airports",
    "Show all planes",
    "Show all flights by carrier",
    "How many flights are in the dataset?",
    "Average delay of all flights",
    "Number of flights delayed more than 60 minutes by month",
    "Number of flights from JFK by month",
    "Top 3 carriers by total distance",
    "Which carrier flew the most flights in July?",
]


@pytest.mark.parametrize("question", STAY_ON_RUN_SQL)
def test_aggregates_lists_and_small_tables_stay_on_run_sql(lexicon, question):
    assert plan_export(question, lexicon) is None
    plan_question(question, lexicon)  # and the planner reads them


EVALUATION_SETS = [
    PROJECT_ROOT.parent / "shared" / "eval" / "nycflights13-dev.jsonl",
    PROJECT_ROOT / "fixtures" / "eval" / "penguins.jsonl",
    PROJECT_ROOT / "fixtures" / "eval" / "tpch.jsonl",
]


@pytest.mark.parametrize("path", EVALUATION_SETS, ids=[p.stem for p in EVALUATION_SETS])
def test_no_evaluation_question_is_an_export(path):
    assert path.is_file(), f"question set {path} is missing"
    questions = list(read_questions(path))
    lexicons = {
        name: Lexicon.build(
            load_definition(PROJECT_ROOT / "fixtures" / "datasets" / f"{name}.yaml")
        )
        for name in {q.dataset or "nycflights13" for q in questions}
    }
    routed = [
        q.question
        for q in questions
        if plan_export(q.question, lexicons[q.dataset or "nycflights13"]) is not None
    ]
    assert routed == []


@pytest.mark.parametrize(
    ("question", "problem"),
    [
        ("Export flights more than 2 hours", "“more than 2 hours” compares"),
        ("Export my emails", "which rows to export"),
        ("Export all flights to Boston", "“Boston”"),
        ("Export all airports with a departure delay over 3 hours", "relates to the rows"),
        ("Export all airports from JFK", "how “JFK” relates to the rows of airports"),
    ],
)
def test_exports_it_cannot_read_fully_are_refused(lexicon, question, problem):
    with pytest.raises(PlanningError, match=problem):
        plan_export(question, lexicon)
