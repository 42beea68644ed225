"""Small statistics for benchmark figures: percentiles and interleaved medians."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

SETTLE_S = 0.05
"""Pause before each timed run of `interleaved_medians`, in seconds."""


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100) of ``values``, by linear interpolation between ranks.

    Uses the "inclusive" method of `statistics.quantiles` (Hyndman & Fan type 7, NumPy's default).

    Raises:
        ValueError: ``values`` is empty.

    """
    if not values:
        raise ValueError("no values to take a percentile of")
    if len(values) == 1:
        return values[0]
    cuts = statistics.quantiles(sorted(values), n=100, method="inclusive")
    return cuts[min(98, max(0, round(q) - 1))]


def interleaved_medians(actions: list[Callable[[], object]], runs: int) -> list[float]:
    """Median wall time of each action in ms, the actions taking turns (after a warm-up round).

    Taking turns gives every action the same share of the machine's slow drifts, which runs in
    blocks do not; a pause of `SETTLE_S` before each run keeps one action's background work
    (a cache adopting a file, a server's threads winding down) out of the next one's time.

    Args:
        actions: Calls to time; each runs once untimed first.
        runs: Timed runs of each action.

    Returns:
        One median in ms per action, in the order given.

    """
    for action in actions:
        action()
    times: list[list[float]] = [[] for _ in actions]
    for _ in range(runs):
        for action, spent in zip(actions, times, strict=True):
            time.sleep(SETTLE_S)
            started = time.perf_counter()
            action()
            spent.append((time.perf_counter() - started) * 1000)
    return [statistics.median(spent) for spent in times]
