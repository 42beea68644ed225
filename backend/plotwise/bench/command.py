"""``plotwise bench``: start a server, measure, print a table (and JSON with ``--json FILE``)."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

from plotwise.bench.browser import measure_browser
from plotwise.bench.refresh import RATIO_TARGET, measure_refresh
from plotwise.bench.server import live_plotwise
from plotwise.bench.stats import percentile
from plotwise.bench.turns import measure_turns
from plotwise.settings import Settings

TARGETS_MS = {
    "first_event_ms": 100.0,
    "turn_ms": 1000.0,
    "question_to_chart_ms": 1500.0,
    "param_rerender_1000_points_ms": 100.0,
}
"""p95 targets: an SSE event at once, an answer in about a second (issue 2), sidebar re-render
of a 1,000-row chart under 100 ms (issue 3)."""


def run_bench(
    settings: Settings,
    *,
    turns: int,
    rounds: int,
    browser: bool,
    json_path: Path | None,
    only_refresh: bool = False,
) -> int:
    """Measure against servers started here; print the tables. Returns 1 if a target is missed.

    Args:
        settings: Configuration of the servers.
        turns: Turns to time.
        rounds: Browser rounds.
        browser: Whether to measure in Chromium.
        json_path: Where to write every figure and sample as JSON, if anywhere.
        only_refresh: Measure only the refresh path (the ratio table).

    """
    series: dict[str, list[float]] = {}
    if not only_refresh:
        with live_plotwise(settings) as url:
            series.update(measure_turns(url, turns))
            if browser:
                series.update(measure_browser(url, rounds))
    refresh = measure_refresh(settings)
    rows = []
    for name, values in series.items():
        p95 = percentile(values, 95)
        target = TARGETS_MS.get(name)
        rows.append(
            {
                "figure": name,
                "n": len(values),
                "p50": statistics.median(values),
                "p95": p95,
                "max": max(values),
                "target_p95": target,
                "met": None if target is None else p95 <= target,
            }
        )
    if rows:
        _print_table(rows)
        print()
    refresh_met = _print_refresh(refresh)
    if json_path is not None:
        document = {"figures": rows, "samples": series, "refresh": refresh}
        json_path.write_text(json.dumps(document, indent=2))
    return 0 if refresh_met and all(r["met"] is not False for r in rows) else 1


def _print_refresh(figures: list[dict[str, float]]) -> bool:
    """Print the refresh ratios; return whether the largest result meets `RATIO_TARGET`."""
    header = (
        f"{'refresh (Arrow over HTTP)':<26} {'http ms':>9} {'duckdb ms':>10} {'ratio':>6} "
        f"{'target':>7}  met"
    )
    print(header)
    print("-" * len(header))
    largest = max(figures, key=lambda f: f["rows"])
    for f in figures:
        target = f"{RATIO_TARGET:.1f}" if f is largest else "-"
        met = ("yes" if f["ratio"] <= RATIO_TARGET else "NO") if f is largest else "-"
        print(
            f"{int(f['rows']):>21,} rows {f['http_ms']:>9.1f} {f['duckdb_ms']:>10.1f} "
            f"{f['ratio']:>6.2f} {target:>7}  {met}"
        )
    return largest["ratio"] <= RATIO_TARGET


def _print_table(rows: list[dict]) -> None:
    header = f"{'figure':<32} {'n':>4} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9} {'target':>8}  met"
    print(header)
    print("-" * len(header))
    for r in rows:
        target = f"{r['target_p95']:.0f}" if r["target_p95"] is not None else "-"
        met = {True: "yes", False: "NO", None: "-"}[r["met"]]
        print(
            f"{r['figure']:<32} {r['n']:>4} {r['p50']:>9.1f} {r['p95']:>9.1f} {r['max']:>9.1f} "
            f"{target:>8}  {met}"
        )
