import datetime as dt
import json
from decimal import Decimal

import pyarrow as pa
import pytest

from plotwise.sql.arrow_json import json_value, table_rows


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (True, True),
        (7, 7),
        ("x", "x"),
        (1.5, 1.5),
        (float("nan"), None),
        (float("-inf"), None),
        (Decimal("1.50"), 1.5),
        (Decimal("12345678901234567890"), 12345678901234567890),
        (dt.date(2013, 1, 2), "2013-01-02"),
        (dt.datetime(2013, 1, 2, 3, 4, 5), "2013-01-02T03:04:05"),
        (dt.datetime(2013, 1, 2, 3, 4, 5, tzinfo=dt.UTC), "2013-01-02T03:04:05+00:00"),
        (dt.time(10, 11, 12), "10:11:12"),
        (dt.timedelta(minutes=90), "PT5400S"),
        (pa.MonthDayNano([1, 2, 500_000_000]), "P1M2DT0.5S"),
        (pa.MonthDayNano([0, 0, 0]), "PT0S"),
        (b"\xab\x01", "ab01"),
        ([1, float("nan")], [1, None]),
        ({"a": Decimal("2")}, {"a": 2}),
        ([("k", 1)], [["k", 1]]),
    ],
)
def test_values_become_json_safe(value, expected):
    assert json_value(value) == expected


def test_table_rows_are_lists_in_column_order():
    table = pa.table(
        {
            "n": pa.array([1, None], pa.int64()),
            "x": pa.array([float("nan"), 2.5]),
            "t": pa.array([dt.datetime(2013, 1, 1), None], pa.timestamp("us")),
        }
    )
    rows = table_rows(table)
    assert rows == [[1, None, "2013-01-01T00:00:00"], [None, 2.5, None]]
    json.dumps(rows, allow_nan=False)


def test_out_of_range_timestamps_fall_back_to_text():
    table = pa.table({"t": pa.array([2**63 - 1], pa.timestamp("us"))})
    [[value]] = table_rows(table)
    assert isinstance(value, str)


def test_table_without_columns_keeps_its_row_count():
    assert table_rows(pa.table({"a": [1, 2]}).select([])) == [[], []]
