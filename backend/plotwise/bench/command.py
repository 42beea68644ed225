"""``plotwise bench``: start servers, measure, print one table (and JSON with ``--json FILE``).

The turn, concurrency, memory and question-to-chart figures come from ``plotwise serve`` run in
a child process (so its memory is its own), with the result cache off so every turn runs its
query. The refresh, series and peer figures need artifacts registered in the app's store, so
they use apps served from this process. All of them share a throwaway SQLite store, and TPC-H
servers have data directories of their own, so a run leaves the user's history untouched.
"""

from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plotwise.bench import figures as fig
from plotwise.bench.memory import PeakSampler, status, tree_rss
from plotwise.bench.process import plotwise_process
from plotwise.bench.report import Figure, all_met, render_table
from plotwise.settings import Settings

NO_CLIENT_LIMITS = {
    "chat_rate_per_minute": 0,
    "upload_rate_per_minute": 0,
    "max_turns_per_client": 0,
}
"""The bench is one client sending many turns, many at once: per-client limits would refuse it."""

SERVER_ENV = {
    "PLOTWISE_CACHE_TTL_S": "0",
    **{f"PLOTWISE_{name.upper()}": str(value) for name, value in NO_CLIENT_LIMITS.items()},
}
"""The bench server's settings beyond the caller's: no result cache, every turn runs SQL, and
no per-client limits."""


@dataclass(frozen=True)
class BenchOptions:
    """What ``plotwise bench`` measures (its flags)."""

    turns: int = 50
    """Turns timed one after another."""
    concurrent: int = 50
    """Turns started at once."""
    rounds: int = 10
    """Browser rounds: questions to a rendered chart, re-renders, series renders (a third)."""
    runs: int = 15
    """Interleaved timed runs per side for the refresh and peer ratios."""
    browser: bool = True
    """Measure in Chromium."""
    peer: bool = True
    """Measure Datasette beside the data endpoint."""
    tpch_scales: list[float] = field(default_factory=lambda: [0.1, 1.0])
    """TPC-H scale factors to ask at (empty: none)."""
    tpch_runs: int = 3
    """Timed turns per TPC-H question and scale factor."""
    only_refresh: bool = False
    """Measure only the refresh ratios."""


def run_bench(settings: Settings, options: BenchOptions, json_path: Path | None) -> int:
    """Measure everything ``options`` asks for; print the table. Returns 1 if a target is missed.

    Args:
        settings: Configuration of the servers started here.
        options: What to measure.
        json_path: Where to write every figure and raw sample as JSON, if anywhere.

    """
    figures: list[Figure] = []
    raw: dict[str, Any] = {}
    # A store of its own: the bench's conversations and artifacts stay out of the user's.
    with tempfile.TemporaryDirectory(prefix="plotwise-bench-") as scratch:
        store = f"sqlite:///{Path(scratch) / 'store.db'}"
        settings = settings.model_copy(update={"database_url": store, **NO_CLIENT_LIMITS})
        if not options.only_refresh:
            _server_figures({**SERVER_ENV, "PLOTWISE_DATABASE_URL": store}, options, figures, raw)
        from plotwise.bench.refresh import measure_refresh

        _step("refresh ratios")
        raw["refresh"] = measure_refresh(settings, runs=options.runs)
        figures += fig.refresh_figures(raw["refresh"])
        if not options.only_refresh:
            _in_process_figures(settings, options, figures, raw)
    print(render_table(figures))
    if json_path is not None:
        document = {"figures": [f.as_json() for f in figures], "raw": raw}
        json_path.write_text(json.dumps(document, indent=2, default=str))
    return 0 if all_met(figures) else 1


def _server_figures(
    env: dict[str, str], options: BenchOptions, figures: list[Figure], raw: dict[str, Any]
) -> None:
    """Turns, concurrency, memory and question-to-chart, against ``plotwise serve``."""
    from plotwise.bench.turns import measure_concurrent, measure_turns

    _step("starting plotwise serve")
    with plotwise_process(env) as server:
        fresh = _rss(server.pid)
        _step(f"{options.turns} turns")
        sequential = measure_turns(server.url, options.turns)
        idle = _rss(server.pid)
        _step(f"{options.concurrent} concurrent turns")
        with PeakSampler(server.pid) as peak:
            concurrent = measure_concurrent(server.url, options.concurrent)
        raw["turns"] = [t.__dict__ for t in sequential]
        raw["concurrent"] = [t.__dict__ for t in concurrent]
        raw["memory"] = {"fresh": fresh, "idle": idle, "peak": [peak.peak_main, peak.peak_tree]}
        figures += fig.turn_figures(sequential)
        figures += fig.concurrent_figures(concurrent)
        figures += fig.memory_figures(fresh, idle, (peak.peak_main, peak.peak_tree))
        if options.browser:
            from plotwise.bench.browser import measure_browser

            _step("questions to charts in Chromium")
            raw["browser"] = measure_browser(server.url, options.rounds)
            figures += fig.browser_figures(raw["browser"])


def _in_process_figures(
    settings: Settings, options: BenchOptions, figures: list[Figure], raw: dict[str, Any]
) -> None:
    """Series renders, bundle size, the Datasette peer and TPC-H."""
    from plotwise.bench.bundle import bundle_sizes

    if options.browser:
        from plotwise.bench.series import measure_series

        _step("series renders in Chromium")
        raw["series"] = measure_series(settings, max(1, options.rounds // 3))
        figures += fig.series_figures(raw["series"])
    raw["bundle"] = bundle_sizes(settings.sandbox_dist)
    figures.append(fig.bundle_figure(raw["bundle"]))
    if options.peer:
        from plotwise.bench.datasette import measure_peer

        _step("Datasette beside the data endpoint")
        raw["peer"] = measure_peer(settings, runs=options.runs)
        figures += fig.peer_figures(raw["peer"])
    if options.tpch_scales:
        from plotwise.bench.tpch import measure_tpch

        _step(f"TPC-H at SF {', '.join(f'{s:g}' for s in options.tpch_scales)}")
        raw["tpch"] = measure_tpch(settings, options.tpch_scales, options.tpch_runs)
        figures += fig.tpch_figures(raw["tpch"])


def _step(what: str) -> None:
    """Say on stderr what is being measured (a full run takes minutes)."""
    print(f"bench: {what}...", file=sys.stderr, flush=True)


def _rss(pid: int) -> tuple[int, int]:
    """``(server VmRSS, server and workers)`` in bytes, now."""
    return status(pid).get("VmRSS", 0), tree_rss(pid)
