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


def test_problems_keep_their_line_after_jsx_text_is_repaired():
    code = (
        "export default function A({ data }) {\n"
        "  const n = <p>a > b</p>;\n"
        '  fetch("/x");\n'
        "  return n;\n"
        "}"
    )
    [problem] = validate(code).problems
    assert (problem.rule, str(problem)) == (
        "forbiddenGlobal",
        'line 3:3: "fetch" is not allowed (forbidden global)',
    )


def test_syntax_errors_name_their_position():
    [problem] = validate("export default function A() {\n  return <div>;\n}").problems
    assert problem.rule == "syntax" and str(problem).startswith("Syntax error at line 2:")


def test_view_parameters_are_read_with_their_types():
    code = (
        "export const params = {\n"
        '  order: { type: "select", options: ["a", 2], default: 2 },\n'
        '  span: { type: "daterange", label: "Span", default: ["2013-01-01", "2013-02-01"] },\n'
        '  n: { type: "number", min: -1.5, max: 0x10, default: 1_0 },\n'
        "};\n"
        "export default function A() { return null; }"
    )
    assert validate(code).params == (
        {"name": "order", "label": None, "type": "select", "default": 2, "options": ["a", 2]},
        {
            "name": "span",
            "label": "Span",
            "type": "daterange",
            "default": ["2013-01-01", "2013-02-01"],
        },
        {
            "name": "n",
            "label": None,
            "type": "number",
            "default": 10,
            "min": -1.5,
            "max": 16,
            "step": None,
        },
    )
