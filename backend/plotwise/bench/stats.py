"""Small statistics for benchmark figures."""

from __future__ import annotations

import statistics


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
