"""Every component the local analyst writes for the evaluation questions passes the policy."""

from __future__ import annotations

import asyncio

import pytest

from plotwise.artifact.validator import validate
from plotwise.evaluation import read_questions
from plotwise.outcome import collect
from plotwise.services import Services
from plotwise.settings import PROJECT_ROOT
from plotwise.turn import run_turn

QUESTION_SETS = [
    PROJECT_ROOT.parent / "shared" / "eval" / "nycflights13-dev.jsonl",
    PROJECT_ROOT / "fixtures" / "eval" / "penguins.jsonl",
    PROJECT_ROOT / "fixtures" / "eval" / "tpch.jsonl",
]


@pytest.fixture(scope="module")
def services(settings):
    opened = Services.open(settings)
    yield opened
    opened.close()


@pytest.mark.parametrize("path", QUESTION_SETS, ids=[p.stem for p in QUESTION_SETS])
def test_local_analyst_components_pass_the_python_validator(services, path):
    assert path.is_file(), f"question set {path} is missing"
    questions = list(read_questions(path))

    async def components() -> dict[str, str]:
        codes: dict[str, str] = {}
        for question in questions:
            outcome = await collect(run_turn(services, question.question, dataset=question.dataset))
            if outcome.code is not None:
                codes[question.question] = outcome.code
        return codes

    codes = asyncio.run(components())
    assert len(codes) >= len(questions) * 3 // 4, "most questions get a chart"
    refused = {q: [str(p) for p in validate(c).problems] for q, c in codes.items()}
    assert {q: p for q, p in refused.items() if p} == {}
