"""The server's validator gives every shared vector the verdict the browser's gives it."""

from __future__ import annotations

import pytest

from plotwise.artifact.validator import IMPLEMENTED_RULES, load_policy, validate
from support.vectors import read_vectors

ALLOWED = read_vectors("allowed")
FORBIDDEN = read_vectors("forbidden")


def test_there_are_enough_vectors_of_each_verdict():
    assert len(ALLOWED) >= 45 and len(FORBIDDEN) >= 45


@pytest.mark.parametrize("vector", ALLOWED, ids=[v.name for v in ALLOWED])
def test_allowed_vector_passes(vector):
    verdict = validate(vector.code)
    assert verdict.ok, [str(p) for p in verdict.problems]


@pytest.mark.parametrize("vector", FORBIDDEN, ids=[v.name for v in FORBIDDEN])
def test_forbidden_vector_is_refused_by_its_rules(vector):
    verdict = validate(vector.code)
    assert not verdict.ok
    assert verdict.rules == vector.rules, [f"{p.rule}: {p}" for p in verdict.problems]
    assert all(
        str(p).startswith(("line ", "Syntax error", "the component is too long"))
        for p in verdict.problems
    )


def test_every_rule_of_the_policy_file_is_implemented_and_has_a_vector():
    policy = load_policy()
    assert policy.rules == IMPLEMENTED_RULES
    assert {rule for v in FORBIDDEN for rule in v.rules} == IMPLEMENTED_RULES
