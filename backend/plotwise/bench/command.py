"""``plotwise bench``: start a server, measure, print a table (and JSON with ``--json FILE``)."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

from plotwise.bench.browser import measure_browser
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
    settings: Settings, *, turns: int, rounds: int, browser: bool, json_path: Path | None
) -> int:
    """Measure against a server started here; print the table. Returns 1 if a target is missed."""
    series: dict[str, list[float]] = {}
    with live_plotwise(settings) as url:
        series.update(measure_turns(url, turns))
        if browser:
            series.update(measure_browser(url, rounds))
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
    _print_table(rows)
    if json_path is not None:
        json_path.write_text(json.dumps({"figures": rows, "samples": series}, indent=2))
    return 0 if all(r["met"] is not False for r in rows) else 1


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
