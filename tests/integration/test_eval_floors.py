"""Execution accuracy of the local analyst may not silently regress below its floors."""

from __future__ import annotations

import asyncio

import pytest

from plotwise.evaluation import evaluate, read_questions
from plotwise.services import Services
from plotwise.settings import PROJECT_ROOT

SHARED_EVAL = PROJECT_ROOT.parent / "shared" / "eval"
FLOORS = {
    SHARED_EVAL / "nycflights13-dev.jsonl": 0.90,
    PROJECT_ROOT / "fixtures" / "eval" / "penguins.jsonl": 0.85,
    PROJECT_ROOT / "fixtures" / "eval" / "tpch.jsonl": 0.85,
}


@pytest.fixture(scope="module")
def services(settings):
    opened = Services.open(settings)
    yield opened
    opened.close()


@pytest.mark.parametrize("path", list(FLOORS), ids=[p.stem for p in FLOORS])
def test_execution_accuracy_stays_above_its_floor(services, path):
    assert path.is_file(), f"question set {path} is missing"
    questions = list(read_questions(path))
    assert len(questions) >= 20

    async def run() -> list:
        return [await evaluate(services, q) for q in questions]

    records = asyncio.run(run())
    wrong = [(r.id, r.question, r.sql, r.error) for r in records if not r.correct]
    accuracy = 1 - len(wrong) / len(records)
    assert accuracy >= FLOORS[path], f"accuracy {accuracy:.0%} below {FLOORS[path]:.0%}: {wrong}"


@pytest.mark.parametrize(
    "question",
    [
        "Who won the 2013 World Series?",
        "Delete all flights",
        "Drop the flights table",
        "Number of flights to Boston",
        "What is the meaning of life?",
    ],
)
def test_out_of_scope_questions_run_no_sql_and_make_no_artifact(services, question):
    from plotwise.outcome import collect
    from plotwise.turn import run_turn

    outcome = asyncio.run(collect(run_turn(services, question)))
    assert outcome.error is None
    assert outcome.sql is None and outcome.code is None
    assert outcome.answer.strip(), "the analyst says why it cannot answer"
