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
        (cols(("a", "VARCHAR"), ("b", "VARCHAR"), ("n", "BIGINT")), 5, set(), "table"),
        (cols(("carrier", "VARCHAR")), 1, set(), "table"),
    ],
)
def test_chart_fits_the_result_shape(columns, rows, time, kind):
    assert choose_chart(columns, rows, time_columns=time, label="x").kind == kind


def test_rendered_bar_chart_binds_the_result_columns():
    columns = cols(("carrier", "VARCHAR"), ("flights", "BIGINT"))
    code = render_component(choose_chart(columns, 16, time_columns=set(), label="flights"), columns)
    assert 'dataKey="carrier"' in code and 'dataKey="flights"' in code
    assert "export default function" in code
    assert 'from "recharts"' in code


def test_rendered_table_lists_every_column():
    columns = cols(("a", "VARCHAR"), ("b", "VARCHAR"))
    code = render_component(choose_chart(columns, 3, time_columns=set(), label=""), columns)
    assert '["a", "b"]' in code
