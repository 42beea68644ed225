"""Downsampling for the browser: LTTB per series, top N plus "Other" for categories."""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pyarrow as pa
import pytest

from plotwise.sql.arrow_json import table_rows
from plotwise.sql.downsample import OTHER, DownsampleInfo, downsample_rows, downsample_table
from plotwise.sql.lttb import allocate, lttb_indices
from plotwise.sql.result import ColumnSchema
from plotwise.sql.series import detect_shape


def _query(sql: str) -> tuple[list[ColumnSchema], pa.Table]:
    relation = duckdb.sql(sql)
    columns = [
        ColumnSchema(name=n, type=str(t))
        for n, t in zip(relation.columns, relation.types, strict=True)
    ]
    return columns, relation.to_arrow_table()


def _both(sql: str, budget: int) -> tuple[pa.Table, DownsampleInfo, list[list], DownsampleInfo]:
    """The Arrow and the JSON-row reduction of one query's result."""
    columns, table = _query(sql)
    sent, info = downsample_table(columns, table, budget)
    rows, row_info = downsample_rows(columns, table_rows(table), budget)
    return sent, info, rows, row_info


def test_a_long_series_keeps_exactly_the_budget_with_its_first_and_last_point() -> None:
    sent, info, rows, row_info = _both(
        "SELECT range AS x, sin(range / 500.0) AS y FROM range(100000)", 2000
    )
    assert sent.num_rows == 2000 == len(rows)
    assert info == row_info
    assert info.downsampled and info.original_row_count == 100_000 and info.downsample == "lttb"
    xs = sent.column("x").to_pylist()
    assert xs[0] == 0 and xs[-1] == 99_999
    assert xs == sorted(xs)
    assert [row[0] for row in rows] == xs


def test_spikes_survive_downsampling() -> None:
    sql = """SELECT range AS x,
                    CASE WHEN range = 31337 THEN 1000.0 WHEN range = 77777 THEN -500.0
                         ELSE sin(range / 100.0) END AS y
             FROM range(100000)"""
    sent, _, rows, _ = _both(sql, 500)
    ys = sent.column("y").to_pylist()
    assert max(ys) == 1000.0 and min(ys) == -500.0
    assert {31337, 77777} <= set(sent.column("x").to_pylist())
    assert {31337, 77777} <= {row[0] for row in rows}


def test_a_result_within_the_budget_is_sent_as_it_is() -> None:
    columns, table = _query("SELECT range AS x, range * 2 AS y FROM range(2000)")
    sent, info = downsample_table(columns, table, 2000)
    assert sent is table
    assert info == DownsampleInfo(downsampled=False, original_row_count=2000, downsample=None)
    rows = table_rows(table)
    assert downsample_rows(columns, rows, 2000)[0] is rows


def test_each_series_gets_its_share_of_the_budget() -> None:
    # Three carriers of 30,000 hourly points each and one of 50 points.
    sql = """SELECT TIMESTAMP '2013-01-01' + to_hours(range % 30000) AS t,
                    ['AA', 'B6', 'UA'][range // 30000 + 1] AS carrier, random() AS delay
             FROM range(90000)
             UNION ALL
             SELECT TIMESTAMP '2013-01-01' + to_hours(range), 'HA', 1.0 FROM range(50)
             ORDER BY carrier, t"""
    sent, info, rows, _ = _both(sql, 1000)
    assert info.downsample == "lttb" and sent.num_rows == 1000 == len(rows)
    counts = sent.group_by("carrier").aggregate([("t", "count")]).to_pydict()
    per = dict(zip(counts["carrier"], counts["t_count"], strict=True))
    assert per["HA"] == 50  # within its share: every row kept
    assert sorted(per[c] for c in ("AA", "B6", "UA")) == [316, 317, 317]
    for carrier in ("AA", "B6", "HA", "UA"):
        times = [r[0] for r in rows if r[1] == carrier]
        assert times[0] == "2013-01-01T00:00:00"  # each series keeps its first point
        assert times == sorted(times)


def test_allocate_shares_the_budget_and_never_exceeds_a_length() -> None:
    assert allocate([100, 100, 100], 10) == [3, 3, 4]
    assert allocate([2, 100, 50], 30) == [2, 14, 14]
    assert allocate([5, 5], 100) == [5, 5]
    assert sum(allocate([1000] * 7, 2000)) == 2000


def test_null_x_rows_are_dropped_and_null_measures_are_not_chosen() -> None:
    sql = """SELECT CASE WHEN range % 1000 = 7 THEN NULL ELSE range END AS x,
                    CASE WHEN range % 10 = 3 THEN NULL ELSE cos(range / 50.0) END AS y
             FROM range(50000)"""
    sent, info, rows, _ = _both(sql, 300)
    assert info.downsampled and info.original_row_count == 50_000
    assert sent.column("x").null_count == 0 and sent.column("y").null_count == 0
    assert sent.num_rows == 300 == len(rows)
    assert sent.column("x")[0].as_py() == 0 and sent.column("x")[-1].as_py() == 49_999


def test_dates_timestamps_with_zone_and_times_of_day_are_x_axes() -> None:
    for expression, first in (
        ("DATE '2000-01-01' + range::INTEGER", "2000-01-01"),
        ("TIMESTAMPTZ '2013-01-01 00:00:00+00' + to_minutes(range)", "2013-01-01T00:00:00+00:00"),
        ("TIME '00:00:00' + to_microseconds(range * 100000)", "00:00:00"),
    ):
        sent, info, rows, row_info = _both(
            f"SELECT {expression} AS t, (range % 97)::DOUBLE AS v FROM range(20000)", 400
        )
        assert info.downsample == "lttb" == row_info.downsample, expression
        assert sent.num_rows == 400 == len(rows)
        assert rows[0][0] == first
        assert table_rows(sent) == rows, expression


def test_unordered_timestamps_are_sorted_within_each_series() -> None:
    sql = """SELECT TIMESTAMP '2013-01-01' + to_minutes(range) AS t, range % 2 = 0 AS even,
                    random() AS y
             FROM range(40000) ORDER BY hash(range)"""
    sent, info, rows, _ = _both(sql, 200)
    assert info.downsample == "lttb" and sent.num_rows == 200 == len(rows)
    for flag in (True, False):
        times = [row[0] for row in rows if row[1] is flag]
        assert len(times) == 100
        assert times[0] == ("2013-01-01T00:00:00" if flag else "2013-01-01T00:01:00")


def test_an_unordered_numeric_x_is_a_scatter_and_is_not_reduced() -> None:
    columns, table = _query("SELECT random() AS a, random() AS b FROM range(10000)")
    sent, info = downsample_table(columns, table, 100)
    assert sent is table and not info.downsampled


def test_many_categories_keep_the_top_ones_and_fold_the_rest_into_other() -> None:
    sql = "SELECT 'c' || range AS cat, range AS n, range * 0.5 AS half FROM range(5000)"
    sent, info, rows, row_info = _both(sql, 100)
    assert info.downsample == "top_n" == row_info.downsample
    assert info.original_row_count == 5000 and sent.num_rows == 100 == len(rows)
    assert sent.column("cat").to_pylist()[:-1] == [f"c{i}" for i in range(4901, 5000)]
    other = sent.slice(99).to_pylist()[0]
    folded = sum(range(4901))
    assert other == {"cat": OTHER, "n": folded, "half": folded * 0.5}
    assert rows[-1] == [OTHER, folded, folded * 0.5]


def test_raw_rows_and_lists_are_never_reduced() -> None:
    for sql in (
        "SELECT ['a', 'b', 'c'][range % 3 + 1] AS cat, range AS n FROM range(5000)",
        "SELECT range AS x, [range] AS l FROM range(5000)",
        "SELECT 'r' || range AS a, 'b' || range AS b FROM range(5000)",
    ):
        columns, table = _query(sql)
        assert downsample_table(columns, table, 100)[1].downsampled is False, sql


def test_too_many_series_for_the_budget_are_not_reduced() -> None:
    columns, table = _query("SELECT range // 2 AS x, range % 500 AS s, 1.0 AS y FROM range(5000)")
    columns[1] = ColumnSchema(name="s", type="VARCHAR")
    table = table.set_column(1, "s", table.column("s").cast(pa.string()))
    assert downsample_table(columns, table, 1000)[1].downsampled is False


def test_lttb_handles_tiny_budgets() -> None:
    x, y = np.arange(10), np.arange(10.0)
    assert lttb_indices(x, y, 1).tolist() == [0]
    assert lttb_indices(x, y, 2).tolist() == [0, 9]
    assert lttb_indices(x, y, 20).tolist() == list(range(10))


def test_shapes_come_from_the_column_types() -> None:
    def shape(*types: str):
        return detect_shape([ColumnSchema(name=f"c{i}", type=t) for i, t in enumerate(types)])

    assert shape("DATE", "VARCHAR", "BIGINT").kind == "series"
    assert shape("DOUBLE", "DECIMAL(10,2)").kind == "series"
    assert shape("VARCHAR", "BIGINT").kind == "categories"
    assert shape("VARCHAR", "VARCHAR", "BIGINT") is None
    # Raw records (several text columns beside a time and numbers) are no chart series.
    assert shape("TIMESTAMP", "VARCHAR", "VARCHAR", "BIGINT") is None
    assert shape("INTERVAL", "BIGINT") is None
    assert shape("BIGINT") is None


@pytest.mark.parametrize("budget", [10, 2000])
def test_the_json_rows_are_the_arrow_rows(budget: int) -> None:
    sql = """SELECT DATE '2013-01-01' + (range // 3)::INTEGER AS day,
                    ['EWR', 'JFK', 'LGA'][range % 3 + 1] AS origin, range::DECIMAL(12, 2) AS v
             FROM range(30000)"""
    sent, info, rows, row_info = _both(sql, budget)
    assert info == row_info
    assert table_rows(sent) == rows
    assert dt.date.fromisoformat(rows[-1][0]) == dt.date(2013, 1, 1) + dt.timedelta(days=9999)
