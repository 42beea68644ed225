"""Dataset definitions and question sets stay true to the data in the catalog.

Every definition in fixtures/datasets must describe exactly the tables and columns the catalog
has (with the declared types), its derived dimensions and measures must run, and every gold
query of every question set must run through the SQL guard and return rows.
"""

import asyncio
import json

import pytest
import sqlglot
from sqlglot import exp

from plotwise.data.datasets import DATASETS
from plotwise.semantic.definition import load_definitions
from plotwise.settings import PROJECT_ROOT
from plotwise.sql.runner import run_query

DEFINITIONS = load_definitions(PROJECT_ROOT / "fixtures" / "datasets")
OUR_SETS = sorted((PROJECT_ROOT / "fixtures" / "eval").glob("*.jsonl"))
SHARED_EVAL = PROJECT_ROOT.parent / "shared" / "eval"
"""The team's question sets, beside the repository (``../shared/eval``)."""
QUESTION_SETS = OUR_SETS + sorted(SHARED_EVAL.glob("*.jsonl"))
QUESTIONS = [
    (path, json.loads(line))
    for path in QUESTION_SETS
    for line in path.read_text(encoding="utf-8").splitlines()
    if line.strip()
]


def rows(catalog, sql):
    cursor = catalog.cursor()
    try:
        return cursor.execute(sql).fetchall()
    finally:
        cursor.close()


def test_all_three_definitions_load():
    assert sorted(DEFINITIONS) == ["nycflights13", "penguins", "tpch"]
    assert DEFINITIONS["tpch"].default_table == "orders"
    assert DEFINITIONS["penguins"].default_table == "penguins"


@pytest.mark.parametrize("name", sorted(DEFINITIONS))
def test_definition_names_exactly_the_datasets_tables(catalog, name):
    assert name in DATASETS, f"no loader for dataset {name!r}"
    assert sorted(DEFINITIONS[name].tables) == catalog.dataset_tables(name)


@pytest.mark.parametrize("name", sorted(DEFINITIONS))
def test_every_declared_column_exists_with_its_type(catalog, name):
    for table, spec in DEFINITIONS[name].tables.items():
        declared = {column: spec.columns[column].type for column in spec.columns}
        actual = {column.name: column.type for column in catalog.table_columns(table)}
        assert actual == declared, f"{name}.{table}"


@pytest.mark.parametrize("name", sorted(DEFINITIONS))
def test_derived_dimensions_and_measures_run(catalog, name):
    for table, spec in DEFINITIONS[name].tables.items():
        for dimension, derived in spec.dimensions.items():
            found = rows(catalog, f'SELECT {derived.expr} AS v FROM "{table}" GROUP BY v LIMIT 2')
            assert found and found[0][0] is not None, f"{table}.{dimension}"
        for measure, named in spec.measures.items():
            found = rows(catalog, f'SELECT {named.expr} FROM "{table}"')
            assert found[0][0] is not None, f"{table}.{measure}"


@pytest.mark.parametrize("name", sorted(DEFINITIONS))
def test_relationships_join(catalog, name):
    for rel in DEFINITIONS[name].relationships:
        from_type = {c.name: c.type for c in catalog.table_columns(rel.from_table)}
        to_type = {c.name: c.type for c in catalog.table_columns(rel.to_table)}
        assert from_type[rel.from_column] == to_type[rel.to_column], rel
        # Many-to-one: the "to" side is unique, and the join finds rows.
        dupes = rows(
            catalog,
            f'SELECT count(*) - count(DISTINCT "{rel.to_column}") FROM "{rel.to_table}"',
        )
        assert dupes == [(0,)], f"{rel.to} is not unique"
        joined = rows(
            catalog,
            f'SELECT count(*) FROM "{rel.from_table}" f JOIN "{rel.to_table}" t '
            f'ON f."{rel.from_column}" = t."{rel.to_column}"',
        )
        assert joined[0][0] > 0, rel


def test_question_sets_are_well_formed():
    assert {path.stem for path in OUR_SETS} >= {"penguins", "tpch"}
    for path in OUR_SETS:
        lines = [q for p, q in QUESTIONS if p == path]
        assert len(lines) >= 22, path
        ids = [q["id"] for q in lines]
        assert len(set(ids)) == len(ids), f"duplicate ids in {path}"
        assert all(q["dataset"] == path.stem for q in lines), path
        assert all(set(q) == {"id", "question", "gold_sql", "dataset"} for q in lines), path


@pytest.mark.parametrize(
    ("path", "question"),
    QUESTIONS,
    ids=[f"{path.stem}-{question['id']}" for path, question in QUESTIONS],
)
def test_gold_query_runs_and_returns_rows(catalog, path, question):
    dataset = question.get("dataset", "nycflights13")
    sql = question["gold_sql"]
    tables = {table.name for table in sqlglot.parse_one(sql, read="duckdb").find_all(exp.Table)}
    assert tables <= set(catalog.dataset_tables(dataset)), (
        f"{question['id']} reads tables outside {dataset}"
    )
    result = asyncio.run(run_query(catalog, sql, max_rows=100_000, timeout_s=30))
    assert result.rows, f"{question['id']}: {question['question']!r} returned no rows"
    assert not result.truncated
    assert any(row[-1] is not None for row in result.rows), f"{question['id']}: only NULLs"


def test_shared_question_set_is_found():
    shared = SHARED_EVAL / "nycflights13-dev.jsonl"
    if not shared.is_file():
        pytest.skip(f"{shared} is not beside the repository")
    assert shared in QUESTION_SETS
