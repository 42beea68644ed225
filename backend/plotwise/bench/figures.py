"""Turning raw measurements into `Figure` lines with the targets of issue 11."""

from __future__ import annotations

import statistics
from typing import Any

from plotwise.bench.report import Figure
from plotwise.bench.stats import percentile
from plotwise.bench.turns import TurnTiming

# Targets (upper bounds) from issue 11, on the 2-core machine with the local model.
FIRST_EVENT_P95_MS = 50.0
TURN_P50_MS = 300.0
CONCURRENT_P95_MS = 3000.0
RSS_IDLE_MB = 300.0
RSS_LOAD_MB = 1000.0
REFRESH_RATIO_100K = 1.3
QUESTION_TO_CHART_P50_MS = 1500.0
PARAM_RERENDER_P95_MS = 100.0
"""Sidebar re-render of a 1,000-point chart (issue 3)."""
SERIES_50K_MS = 1000.0
BUNDLE_KB = 350.0
TPCH_SF1_MS = 1500.0
PEER_RATIO = 0.5

_MB = 1_000_000


def _spread(values: list[float]) -> str:
    return (
        f"p50 {statistics.median(values):.1f}, p95 {percentile(values, 95):.1f}, "
        f"max {max(values):.1f}, n {len(values)}"
    )


def turn_figures(turns: list[TurnTiming]) -> list[Figure]:
    """First SSE event p95, full turn p50 and errors of turns run one after another."""
    first = [t.first_ms for t in turns]
    total = [t.total_ms for t in turns]
    errors = [t.error for t in turns if t.error]
    return [
        Figure(
            "first SSE event p95", percentile(first, 95), "ms", FIRST_EVENT_P95_MS, _spread(first)
        ),
        Figure("full turn p50", statistics.median(total), "ms", TURN_P50_MS, _spread(total)),
        Figure("turn errors", len(errors), "n", 0, "; ".join(sorted(set(errors)))),
    ]


def concurrent_figures(turns: list[TurnTiming]) -> list[Figure]:
    """Errors and p95 of turns started at once."""
    total = [t.total_ms for t in turns]
    errors = [t.error for t in turns if t.error]
    n = len(turns)
    return [
        Figure(
            f"{n} concurrent turns: errors", len(errors), "n", 0, "; ".join(sorted(set(errors)))
        ),
        Figure(
            f"{n} concurrent turns: p95",
            percentile(total, 95),
            "ms",
            CONCURRENT_P95_MS,
            _spread(total),
        ),
    ]


def memory_figures(
    fresh: tuple[int, int], idle: tuple[int, int], peak: tuple[int, int]
) -> list[Figure]:
    """Server RSS idle (after the sequential turns) and its peak under the concurrent load.

    Each pair is (the server process alone, the server with its query worker processes).
    """
    return [
        Figure(
            "server RSS idle",
            idle[0] / _MB,
            "MB",
            RSS_IDLE_MB,
            f"fresh start {fresh[0] / _MB:.0f} MB",
        ),
        Figure(
            "server + workers PSS idle",
            idle[1] / _MB,
            "MB",
            RSS_IDLE_MB,
            f"fresh start {fresh[1] / _MB:.0f} MB",
        ),
        Figure(
            "server RSS under load (peak)", peak[0] / _MB, "MB", RSS_LOAD_MB, "sampled every 50 ms"
        ),
        Figure(
            "server + workers PSS under load",
            peak[1] / _MB,
            "MB",
            RSS_LOAD_MB,
            "sampled every 50 ms",
        ),
    ]


def refresh_figures(rows: list[dict[str, float]]) -> list[Figure]:
    """Refresh over HTTP (Arrow) / DuckDB's own time, per result size; the target at 100k.

    Each size also gets the design's floor (`plotwise.bench.refresh`): DuckDB plus a bare HTTP
    answer of the same bytes plus the worker's spool write, over DuckDB. It has no target.
    """
    largest = max(r["rows"] for r in rows)
    figures = []
    for r in rows:
        size = f"{int(r['rows']):,} rows"
        figures += [
            Figure(
                f"refresh / DuckDB at {size}",
                r["ratio"],
                "x",
                REFRESH_RATIO_100K if r["rows"] == largest else None,
                f"http {r['http_ms']:.1f} ms / duckdb {r['duckdb_ms']:.1f} ms",
            ),
            Figure(
                f"floor / DuckDB at {size}",
                r["floor_ratio"],
                "x",
                None,
                f"bare http {r['bare_http_ms']:.1f} ms + spool write {r['spool_ms']:.1f} ms",
            ),
        ]
    return figures


def browser_figures(series: dict[str, list[float]]) -> list[Figure]:
    """Question to rendered chart (p50) and sidebar re-render of 1,000 points (p95)."""
    chart = series["question_to_chart_ms"]
    rerender = series["param_rerender_1000_points_ms"]
    return [
        Figure(
            "question to rendered chart p50",
            statistics.median(chart),
            "ms",
            QUESTION_TO_CHART_P50_MS,
            _spread(chart),
        ),
        Figure(
            "view-param re-render 1k points p95",
            percentile(rerender, 95),
            "ms",
            PARAM_RERENDER_P95_MS,
            _spread(rerender),
        ),
    ]


def series_figures(rows: list[dict[str, Any]]) -> list[Figure]:
    """Time from postMessage to the drawn line per series length; the target at the longest."""
    longest = max(r["points"] for r in rows)
    figures = []
    for r in rows:
        sent = f"downsampled, {r.get('method')}" if r["downsampled"] else "not downsampled"
        figures.append(
            Figure(
                f"postMessage to rendered, {r['points']:,} points",
                r["ms"],
                "ms",
                SERIES_50K_MS if r["points"] == longest else None,
                f"{r['rows_sent']:,} rows sent ({sent}); sandbox commit {r['sandbox_ms']:.0f} ms; "
                f"n {len(r['samples'])}",
            )
        )
    return figures


def bundle_figure(sizes: dict[str, int]) -> Figure:
    """The sandbox's scripts and styles, gzip, in kB."""
    files = ", ".join(f"{name} {size / 1000:.1f}" for name, size in sizes.items())
    return Figure("sandbox bundle (gzip)", sum(sizes.values()) / 1000, "kB", BUNDLE_KB, files)


def peer_figures(rows: list[dict[str, Any]]) -> list[Figure]:
    """Plotwise / Datasette per query, and over the whole set (sum of medians)."""
    figures = [
        Figure(
            f"vs Datasette: {r['query']}",
            r["ratio"],
            "x",
            None,
            f"plotwise {r['plotwise_ms']:.1f} ms / datasette {r['datasette_ms']:.1f} ms",
        )
        for r in rows
    ]
    ours = sum(r["plotwise_ms"] for r in rows)
    theirs = sum(r["datasette_ms"] for r in rows)
    figures.append(
        Figure(
            "vs Datasette: whole query set",
            ours / theirs,
            "x",
            PEER_RATIO,
            f"plotwise {ours:.1f} ms / datasette {theirs:.1f} ms (sums of medians)",
        )
    )
    return figures


def tpch_figures(rows: list[dict[str, Any]]) -> list[Figure]:
    """Turn time per TPC-H question and scale factor; the target at SF 1; growth from the first."""
    smallest = min(r["scale"] for r in rows)
    base = {r["question"]: r["turn_ms"] for r in rows if r["scale"] == smallest}
    figures = []
    for r in rows:
        growth = r["turn_ms"] / base[r["question"]]
        detail = f"{_spread(r['samples'])}; x{growth:.1f} vs SF {smallest:g}"
        if r["errors"]:
            detail += f"; errors: {'; '.join(r['errors'])}"
        figures.append(
            Figure(
                f"TPC-H SF {r['scale']:g}: {r['label']}",
                r["turn_ms"],
                "ms",
                TPCH_SF1_MS if r["scale"] == 1 else None,
                detail,
            )
        )
    errors = [error for r in rows for error in r["errors"]]
    figures.append(Figure("TPC-H turn errors", len(errors), "n", 0, "; ".join(sorted(set(errors)))))
    return figures
