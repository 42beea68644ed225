import pytest

from plotwise.local.components import choose_chart, render_component
from plotwise.sql.result import ColumnSchema


def cols(*spec):
    return [ColumnSchema(name=n, type=t) for n, t in spec]


@pytest.mark.parametrize(
    ("columns", "rows", "time", "kind"),
    [
        (cols(("flights", "BIGINT")), 1, set(), "kpi"),
        (cols(("carrier", "VARCHAR"), ("flights", "BIGINT")), 16, set(), "bar"),
        (cols(("month", "INTEGER"), ("flights", "BIGINT")), 12, {"month"}, "line"),
        (cols(("date", "DATE"), ("flights", "BIGINT")), 365, set(), "line"),
        (cols(("month", "INTEGER"), ("flights", "BIGINT")), 1, {"month"}, "bar"),
        (cols(("carrier", "VARCHAR"), ("name", "VARCHAR")), 16, set(), "table"),
        (cols(("a", "VARCHAR"), ("b", "VARCHAR"), ("n", "BIGINT")), 5, set(), "series"),
        (cols(("a", "VARCHAR"), ("b", "VARCHAR"), ("c", "VARCHAR")), 5, set(), "table"),
        (cols(("carrier", "VARCHAR")), 1, set(), "table"),
    ],
)
def test_chart_fits_the_result_shape(columns, rows, time, kind):
    assert choose_chart(columns, rows, time_columns=time, label="x").kind == kind


def test_rendered_bar_chart_binds_the_result_columns():
    columns = cols(("carrier", "VARCHAR"), ("flights", "BIGINT"))
    code = render_component(choose_chart(columns, 16, time_columns=set(), label="flights"), columns)
    assert 'dataKey={"carrier"}' in code and 'dataKey={"flights"}' in code
    assert "export default function" in code
    assert 'from "recharts"' in code


def test_rendered_table_lists_every_column():
    columns = cols(("a", "VARCHAR"), ("b", "VARCHAR"))
    code = render_component(choose_chart(columns, 3, time_columns=set(), label=""), columns)
    assert '["a", "b"]' in code


@pytest.mark.parametrize(
    ("columns", "rows", "time", "names"),
    [
        (cols(("flights", "BIGINT")), 1, set(), ["color"]),
        (cols(("carrier", "VARCHAR"), ("flights", "BIGINT")), 16, set(), ["color", "topN"]),
        (cols(("month", "INTEGER"), ("flights", "BIGINT")), 12, {"month"}, ["color", "showDots"]),
        (cols(("a", "VARCHAR"), ("b", "VARCHAR")), 3, set(), ["maxRows"]),
    ],
)
def test_every_chart_declares_its_view_parameters(columns, rows, time, names):
    code = render_component(choose_chart(columns, rows, time_columns=time, label="x"), columns)
    block = code.split("export const params = {", 1)[1].split("};", 1)[0]
    assert [line.split(":")[0].strip() for line in block.strip().splitlines()] == names
    for name in names:
        assert f"params.{name}" in code


@pytest.mark.parametrize(("rows", "dots"), [(12, "true"), (365, "false")])
def test_line_points_default_to_visible_only_for_short_series(rows, dots):
    columns = cols(("day", "INTEGER"), ("flights", "BIGINT"))
    code = render_component(choose_chart(columns, rows, time_columns={"day"}, label="x"), columns)
    assert f'showDots: {{ type: "boolean", label: "Show points", default: {dots} }}' in code


@pytest.mark.parametrize(
    ("columns", "time", "x", "series", "is_time"),
    [
        (
            cols(("origin", "VARCHAR"), ("month", "INTEGER"), ("n", "BIGINT")),
            {"month"},
            "month",
            "origin",
            True,
        ),
        (
            cols(("species", "VARCHAR"), ("sex", "VARCHAR"), ("n", "BIGINT")),
            set(),
            "species",
            "sex",
            False,
        ),
    ],
)
def test_two_dimensions_become_series(columns, time, x, series, is_time):
    spec = choose_chart(columns, 12, time_columns=time, label="x")
    assert (spec.kind, spec.x, spec.series, spec.time) == ("series", x, series, is_time)
    code = render_component(spec, columns)
    assert f'const SERIES = "{series}";' in code
    assert f"const TIME = {'true' if is_time else 'false'};" in code
