"""The refresh bench against a real server: the ratio beside the design's floor."""

from __future__ import annotations

import pytest

from plotwise.bench import refresh
from plotwise.bench.figures import refresh_figures
from plotwise.settings import Settings
from plotwise.sql.handoff import SPOOL_MIN_BYTES, spool_dir


def test_refresh_is_measured_beside_its_floor(app_settings: Settings, flights_parquet, monkeypatch):
    # The larger size passes SPOOL_MIN_BYTES (about 95 bytes a row), so its floor writes a file.
    assert 20_000 * 95 > SPOOL_MIN_BYTES
    monkeypatch.setattr(refresh, "SIZES", (2_000, 20_000))
    rows = refresh.measure_refresh(app_settings, runs=2)
    assert [r["rows"] for r in rows] == [2_000, 20_000]
    for r in rows:
        assert all(r[key] > 0 for key in ("http_ms", "duckdb_ms", "bare_http_ms", "spool_ms"))
        assert r["ratio"] == pytest.approx(r["http_ms"] / r["duckdb_ms"])
        parts = r["duckdb_ms"] + r["bare_http_ms"] + r["spool_ms"]
        assert r["floor_ratio"] == pytest.approx(parts / r["duckdb_ms"])
    # The floor's spool writes leave no file behind.
    assert not list(spool_dir(app_settings.resolved_data_dir()).glob("bench-*.arrow"))

    figures = refresh_figures(rows)
    assert [f.name for f in figures] == [
        "refresh / DuckDB at 2,000 rows",
        "floor / DuckDB at 2,000 rows",
        "refresh / DuckDB at 20,000 rows",
        "floor / DuckDB at 20,000 rows",
    ]
    # Only the largest size's refresh ratio is judged against the target.
    assert [f.target for f in figures] == [None, None, refresh.RATIO_TARGET, None]
