"""The server runs the browser's validation policy (the bundled validator) through Node."""

from __future__ import annotations

import pytest

from plotwise.artifact import policy
from plotwise.artifact.policy import PolicyUnavailableError, read_view_params, validate_component

GOOD = """import { BarChart } from "recharts";
export default function A({ data }) {
  return <BarChart data={data} />;
}
"""


def test_good_code_passes():
    assert validate_component(GOOD) == []


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ('import fs from "fs";\nexport default function A() { return <div />; }', '"fs"'),
        ('export default function A() { fetch("/x"); return <div />; }', "fetch"),
        ("export default function A() { return eval('1'); }", "eval"),
        ("export const x = 1;", "default"),
        ("export default function A( { return <div> }", "line"),
    ],
)
def test_refused_code_names_the_problem(code, problem):
    problems = validate_component(code)
    assert problems and any(problem in p for p in problems), problems


def test_view_parameter_schema_is_read_without_running_the_code():
    code = (
        'export const params = { topN: { type: "number", min: 1, max: 9, default: 3 } };\n' + GOOD
    )
    [spec] = read_view_params(code)
    assert (spec["name"], spec["type"], spec["default"], spec["max"]) == ("topN", "number", 3, 9)


def test_missing_validator_fails_closed(tmp_path):
    with pytest.raises(PolicyUnavailableError, match="not built"):
        validate_component(GOOD, validator=tmp_path / "validate.mjs")


def test_missing_node_fails_closed(monkeypatch):
    monkeypatch.setattr(policy.shutil, "which", lambda name: None)
    with pytest.raises(PolicyUnavailableError, match="Node.js"):
        validate_component(GOOD)
