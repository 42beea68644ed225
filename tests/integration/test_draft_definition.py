"""Draft definitions for new data: guessed roles, valid YAML, and the local analyst can use one."""

from __future__ import annotations

import asyncio

import pytest

from plotwise.errors import DatasetError, NotFoundError
from plotwise.evaluation import results_match
from plotwise.local.lexicon import Lexicon
from plotwise.local.planner import plan_question
from plotwise.semantic.definition import load_definition
from plotwise.semantic.draft import draft_definition, guess_role, to_yaml
from plotwise.sql.runner import run_query


@pytest.mark.parametrize(
    ("name", "sql_type", "role"),
    [
        ("o_orderdate", "DATE", "time"),
        ("time_hour", "TIMESTAMP", "time"),
        ("year", "INTEGER", "time"),
        ("customer_id", "BIGINT", "identifier"),
        ("l_orderkey", "BIGINT", "identifier"),
        ("species", "VARCHAR", "dimension"),
        ("body_mass_g", "INTEGER", "measure"),
        ("price", "DECIMAL(15,2)", "measure"),
    ],
)
def test_roles_are_guessed_from_name_and_type(name, sql_type, role):
    assert guess_role(name, sql_type) == role


def test_a_draft_round_trips_and_answers_questions(catalog, tmp_path):
    draft = draft_definition(catalog, "mypenguins", ["penguins"])
    columns = draft.tables["penguins"].columns
    assert columns["species"].role == "dimension" and columns["body_mass_g"].role == "measure"
    assert columns["year"].role == "time"
    path = tmp_path / "mypenguins.yaml"
    path.write_text(to_yaml(draft))
    assert load_definition(path) == draft

    plan = plan_question("Average body mass g by species", Lexicon.build(draft))
    predicted = asyncio.run(run_query(catalog, plan.to_sql(), max_rows=100, timeout_s=10))
    gold = asyncio.run(
        run_query(
            catalog,
            "SELECT species, avg(body_mass_g) FROM penguins GROUP BY species",
            max_rows=100,
            timeout_s=10,
        )
    )
    assert results_match(gold.rows, predicted.rows)


def test_drafting_needs_known_tables(catalog):
    with pytest.raises(DatasetError, match="at least one table"):
        draft_definition(catalog, "x", [])
    with pytest.raises(NotFoundError):
        draft_definition(catalog, "x", ["no_such_table"])
