"""The server runs the browser's validation policy (the bundled validator) through Node."""

from __future__ import annotations

import pytest

from plotwise.artifact import policy
from plotwise.artifact.policy import PolicyUnavailableError, read_view_params, validate_component
from plotwise.local.components import choose_chart, render_component
from plotwise.sql.result import ColumnSchema

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
    policy._checked.cache_clear()  # a cached verdict would hide the missing Node
    monkeypatch.setattr(policy.shutil, "which", lambda name: None)
    with pytest.raises(PolicyUnavailableError, match="Node.js"):
        validate_component(GOOD)


@pytest.mark.parametrize(
    ("columns", "rows", "time"),
    [
        ([("flights", "BIGINT")], 1, set()),
        ([("carrier", "VARCHAR"), ("flights", "BIGINT")], 16, set()),
        ([("month", "INTEGER"), ("flights", "BIGINT")], 12, {"month"}),
        ([("origin", "VARCHAR"), ("month", "INTEGER"), ("n", "BIGINT")], 36, {"month"}),
        ([("a", "VARCHAR"), ("b", "VARCHAR")], 3, set()),
    ],
    ids=["kpi", "bar", "line", "series", "table"],
)
def test_every_local_chart_passes_the_policy(columns, rows, time):
    schema = [ColumnSchema(name=n, type=t) for n, t in columns]
    code = render_component(choose_chart(schema, rows, time_columns=time, label="x"), schema)
    assert validate_component(code) == []
    assert read_view_params(code), "each chart declares view parameters"
