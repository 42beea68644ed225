"""The server checks components with the shared validation policy (in process, no Node)."""

from __future__ import annotations

import time

import pytest

from plotwise.artifact import policy
from plotwise.artifact.policy import read_view_params, validate_component
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
        (
            'import fs from "fs";\nexport default function A() { return <div />; }',
            'line 1:1: import from "fs"',
        ),
        (
            'export default function A() {\n  fetch("/x");\n  return <div />;\n}',
            'line 2:3: "fetch"',
        ),
        ("export default function A() { return eval('1'); }", '"eval"'),
        ("export const x = 1;", "default export"),
        ("export default function A( { return <div> }", "Syntax error at line 1:"),
        ('import { Skull } from "lucide-react";\nexport default () => null;', '"Skull"'),
    ],
)
def test_refused_code_names_the_problem_and_its_line(code, problem):
    problems = validate_component(code)
    assert problems and any(problem in p for p in problems), problems


def test_view_parameter_schema_is_read_without_running_the_code():
    code = (
        'export const params = { topN: { type: "number", min: 1, max: 9, default: 3 } };\n' + GOOD
    )
    [spec] = read_view_params(code)
    assert (spec["name"], spec["type"], spec["default"], spec["max"]) == ("topN", "number", 3, 9)


def test_an_invalid_schema_reads_as_none_and_is_refused():
    code = 'export const params = { n: { type: "number", max: 2, default: 3 } };\n' + GOOD
    assert read_view_params(code) is None
    assert any("default 3 is above max 2" in p for p in validate_component(code))


def test_a_failing_validator_refuses_the_code(monkeypatch):
    def broken(code):
        raise RuntimeError("boom")

    policy._checked.cache_clear()  # a cached verdict would hide the failure
    monkeypatch.setattr(policy, "validate", broken)
    try:
        assert validate_component(GOOD + "\n") == [
            "the component could not be checked (RuntimeError); it is refused"
        ]
    finally:
        policy._checked.cache_clear()


def test_a_typical_component_is_checked_in_milliseconds():
    columns = [ColumnSchema(name="carrier", type="VARCHAR"), ColumnSchema(name="n", type="BIGINT")]
    code = render_component(choose_chart(columns, 16, time_columns=set(), label="x"), columns)
    started = time.perf_counter()
    for i in range(20):
        assert policy.validate(code + f"\n// {i}").ok
    assert (time.perf_counter() - started) / 20 < 0.05


@pytest.mark.parametrize(
    ("columns", "rows", "time_columns"),
    [
        ([("flights", "BIGINT")], 1, set()),
        ([("carrier", "VARCHAR"), ("flights", "BIGINT")], 16, set()),
        ([("month", "INTEGER"), ("flights", "BIGINT")], 12, {"month"}),
        ([("origin", "VARCHAR"), ("month", "INTEGER"), ("n", "BIGINT")], 36, {"month"}),
        ([("a", "VARCHAR"), ("b", "VARCHAR")], 3, set()),
    ],
    ids=["kpi", "bar", "line", "series", "table"],
)
def test_every_local_chart_passes_the_policy(columns, rows, time_columns):
    schema = [ColumnSchema(name=n, type=t) for n, t in columns]
    chart = choose_chart(schema, rows, time_columns=time_columns, label="x")
    code = render_component(chart, schema)
    assert validate_component(code) == []
    assert read_view_params(code), "each chart declares view parameters"
