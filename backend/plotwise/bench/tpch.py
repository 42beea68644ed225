"""TPC-H at growing scale: the same aggregate questions, end to end with the local model.

Each scale factor gets a data directory of its own under ``<data_dir>/bench/`` (generated with
``tpchgen-cli`` on first use, reused afterwards: SF 1 takes some 40 s to generate and convert
on two cores), so the user's own ``tpch`` dataset is never regenerated. The server runs only
the ``tpch`` dataset with the result cache off, so every turn runs its query.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

import httpx

from plotwise.bench.process import plotwise_process
from plotwise.bench.turns import TurnTiming, time_turn
from plotwise.data.tpch import ensure_tpch
from plotwise.settings import Settings

QUESTIONS = {
    "revenue by ship mode": "Revenue by ship mode",
    "line items by flag, status": "Number of line items by return flag and line status",
    "revenue by region (4 tables)": "Total revenue by customer region",
}
"""Aggregate questions over ``lineitem`` (6 million rows at SF 1) by short label: a scan, a
TPC-H Q1-like grouping and a four-table join; the local analyst writes their SQL."""

TARGET_MS = 1500.0
"""Most a TPC-H SF 1 aggregate question may take end to end (median)."""


def measure_tpch(settings: Settings, scales: list[float], runs: int) -> list[dict[str, Any]]:
    """Time every question of `QUESTIONS` at every scale factor.

    Args:
        settings: Configuration; its data directory holds the bench's TPC-H copies, and its
            database URL, if set, is the servers' store (else each copy's folder has one).
        scales: Scale factors, e.g. ``[0.1, 1.0]``.
        runs: Timed turns per question (after one warm-up turn).

    Returns:
        One row per scale factor and question: ``scale``, ``label``, ``question``,
        ``turn_ms`` (median),
        ``samples`` (ms), ``errors``, and ``generate_s`` (0 when the files were there).

    """
    figures = []
    for scale in scales:
        data_dir = settings.resolved_data_dir() / "bench" / f"tpch-sf{scale!r}"
        started = time.perf_counter()
        ensure_tpch(data_dir, scale)
        generate_s = time.perf_counter() - started
        env = {
            "PLOTWISE_DATA_DIR": str(data_dir),
            "PLOTWISE_DATASETS": "tpch",
            "PLOTWISE_TPCH_SCALE_FACTOR": repr(scale),
            "PLOTWISE_CACHE_TTL_S": "0",
        }
        if settings.database_url:
            env["PLOTWISE_DATABASE_URL"] = settings.database_url
        with plotwise_process(env) as server:
            timings = asyncio.run(_ask_all(server.url, runs))
        for label, spent in timings.items():
            figures.append(
                {
                    "scale": scale,
                    "label": label,
                    "question": QUESTIONS[label],
                    "turn_ms": statistics.median(t.total_ms for t in spent),
                    "samples": [t.total_ms for t in spent],
                    "errors": [t.error for t in spent if t.error],
                    "generate_s": generate_s,
                }
            )
    return figures


async def _ask_all(url: str, runs: int) -> dict[str, list[TurnTiming]]:
    async with httpx.AsyncClient(base_url=url, timeout=120) as client:
        timings: dict[str, list[TurnTiming]] = {}
        for label, question in QUESTIONS.items():
            await time_turn(client, question)
            timings[label] = [await time_turn(client, question) for _ in range(runs)]
        return timings
