"""A PostgreSQL dataset's SQL dialect: in the instructions and in the local analyst's SQL."""

from __future__ import annotations

import pytest
import sqlglot
from pydantic_ai.messages import ModelMessage, ModelRequest, UserPromptPart

from plotwise.agent.prompts import render_instructions
from plotwise.local.dialect import in_dialect
from plotwise.local.lexicon import Lexicon
from plotwise.local.model import LocalAnalyst
from plotwise.local.planner import plan_question
from plotwise.semantic.definition import load_definition
from plotwise.settings import PROJECT_ROOT
from support.export_lexicon import VALUES

DEFINITION = load_definition(PROJECT_ROOT / "fixtures" / "datasets" / "nycflights13.yaml")
PROMPTS = PROJECT_ROOT / "prompts"


def test_instructions_name_postgresql_and_add_its_notes() -> None:
    duck = render_instructions(PROMPTS, DEFINITION, max_rows=1234)
    pg = render_instructions(PROMPTS, DEFINITION, max_rows=1234, dialect="postgres")
    assert "read-only DuckDB `SELECT`" in duck and "PostgreSQL" not in duck
    assert "read-only PostgreSQL `SELECT`" in pg and "DuckDB `SELECT`" not in pg
    assert "## SQL dialect: PostgreSQL" in pg and "at most 1,234 rows" in pg
    assert "{" + "max_rows}" not in pg and "{dialect_notes}" not in pg
    # The notes come before the data: everything else is the DuckDB text, in the same order.
    notes = pg[pg.index("## SQL dialect") : pg.index("## The data")]
    assert pg.replace(notes, "").replace("PostgreSQL `SELECT`", "DuckDB `SELECT`") == duck


@pytest.mark.parametrize(
    ("duckdb_sql", "postgres_sql"),
    [
        (
            "SELECT year(time_hour) AS y, count(*) FROM flights WHERE origin = $origin GROUP BY 1",
            "SELECT CAST(EXTRACT(YEAR FROM time_hour) AS INT) AS y, COUNT(*) FROM flights "
            "WHERE origin = $origin GROUP BY 1",
        ),
        (
            "SELECT dayname(make_date(year, month, day)) AS d FROM flights",
            "SELECT TRIM(TO_CHAR(MAKE_DATE(year, month, day), 'Day')) AS d FROM flights",
        ),
        (
            "SELECT date_trunc('week', make_date(year, month, day)) AS w FROM flights",
            "SELECT DATE_TRUNC('WEEK', CAST(MAKE_DATE(year, month, day) AS TIMESTAMP)) AS w "
            "FROM flights",
        ),
        (
            "SELECT carrier, median(dep_delay) AS m FROM flights GROUP BY carrier ORDER BY m DESC",
            "SELECT carrier, PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY dep_delay) AS m "
            "FROM flights GROUP BY carrier ORDER BY m DESC NULLS LAST",
        ),
    ],
)
def test_duckdb_shapes_are_written_for_postgres(duckdb_sql: str, postgres_sql: str) -> None:
    written = in_dialect(duckdb_sql, "postgres", pretty=False)
    assert written == postgres_sql
    sqlglot.parse_one(written, read="postgres")
    assert in_dialect(duckdb_sql, "duckdb", pretty=False).startswith("SELECT")


def test_the_local_analyst_writes_the_lexicon_s_dialect() -> None:
    question = "Monthly average departure delay from JFK in 2013"
    duck = Lexicon.build(DEFINITION, VALUES)
    pg = Lexicon.build(DEFINITION, VALUES, dialect="postgres")
    assert plan_question(question, duck).to_sql() == plan_question(question, pg).to_sql()
    _, call = LocalAnalyst(pg).next_step(_asking(question), {"run_sql", "submit_spark"})
    assert call is not None and call.name == "run_sql"
    assert call.args["sql"] == plan_question(question, pg).to_sql("postgres")
    assert "$origin" in call.args["sql"] and "%(" not in call.args["sql"]
    export = _asking("Export all flights from JFK as CSV")
    text, call = LocalAnalyst(pg).next_step(export, {"run_sql"})  # no Spark for a source
    assert "with PostgreSQL" in text and call is not None and call.name == "run_sql"


def _asking(question: str) -> list[ModelMessage]:
    return [ModelRequest(parts=[UserPromptPart(question)])]
