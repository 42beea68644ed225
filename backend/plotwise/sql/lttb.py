"""Largest-Triangle-Three-Buckets over the series of one result, within one point budget.

LTTB (Sveinn Steinarsson, 2013, "Downsampling Time Series for Visual Representation", MSc
thesis, University of Iceland) keeps the first and the last point and, from each of the
``n_out - 2`` equal buckets between them, the point forming the largest triangle with the point
kept from the previous bucket and the average of the next one. Peaks, dips and the line's shape
survive; flat stretches cost few points; the output has exactly ``n_out`` points. It was chosen
over M4 (Jugel et al., VLDB 2014), which is exact for a line rasterised at a known pixel width,
because the width of a chart inside the sandbox is unknown to the server, M4 spends up to four
points per pixel column where LTTB spends one, and LTTB's fixed output size is the budget.

The algorithm core is tsdownsample's (predict-idlab, Rust, used by plotly-resampler): 100,000
points to 2,000 in ~0.25 ms. This module splits the budget among series and measures and maps
the kept points back to result rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from tsdownsample import LTTBDownsampler

from plotwise.sql.series import SeriesArrays

MIN_POINTS = 3
"""Fewest points LTTB keeps of a series (first, last, and one between)."""

_LTTB = LTTBDownsampler()


def allocate(lengths: Sequence[int], budget: int) -> list[int]:
    """Share ``budget`` points among series: short series keep all, long ones share the rest.

    Args:
        lengths: Points in each series.
        budget: Points in all (at least 1).

    Returns:
        Points for each series, in the order of ``lengths``: never more than its length, in all
        ``min(budget, sum(lengths))``, the long series' shares differing by at most one.

    """
    shares = [0] * len(lengths)
    remaining, left = budget, len(lengths)
    for index in sorted(range(len(lengths)), key=lengths.__getitem__):
        shares[index] = min(lengths[index], remaining // left)
        remaining -= shares[index]
        left -= 1
    return shares


def lttb_indices(x: np.ndarray, y: np.ndarray, n_out: int) -> np.ndarray:
    """Positions of the ``n_out`` points LTTB keeps of one series (all when it is shorter).

    Args:
        x: Ascending x values (int64 or float64).
        y: Values at ``x`` (float64, all finite).
        n_out: Points to keep; 1 keeps the first, 2 the first and the last.

    Returns:
        Ascending int64 positions into ``x`` and ``y``.

    """
    size = len(x)
    if size <= n_out:
        return np.arange(size, dtype=np.int64)
    if n_out < MIN_POINTS:
        return np.array([0, size - 1][:n_out], dtype=np.int64)
    kept = _LTTB.downsample(np.ascontiguousarray(x), np.ascontiguousarray(y), n_out=n_out)
    return kept.astype(np.int64)


def series_rows(arrays: SeriesArrays, budget: int, *, sortable: bool) -> np.ndarray | None:
    """Rows to keep so that every series is drawn with at most ``budget`` points in all.

    Each series gets a share of the budget (`allocate`); within it each measure gets an equal
    part (grown while the measures agree, `_measures_points`), chosen by LTTB among the rows
    where that measure is not NULL, and a row kept for any measure is kept whole. A series
    within its share keeps every row. Rows whose x is NULL cannot be placed on an axis and are
    dropped, as are rows of a reduced series that no measure kept (NULL measures included: the
    line is drawn across them).

    Args:
        arrays: The result's x, series codes and measures.
        budget: Points in all.
        sortable: Whether rows may be sorted by x within a series (temporal x). Otherwise x
            must already ascend within each series.

    Returns:
        Row indices (at most ``budget``), in the result's order, or by series and x when x had
        to be sorted; None when the rows are not a series: x does not ascend and may not be
        sorted, or there are so many series that each would get fewer than `MIN_POINTS`.

    """
    # Rows stay in place (``identity``) unless NULL x or several series make a selection:
    # indexing 100k values costs more than the rest of this function.
    identity = bool(arrays.x_valid.all())
    rows = np.arange(arrays.x.size) if identity else np.flatnonzero(arrays.x_valid)
    codes = arrays.codes if identity else arrays.codes[rows]
    if codes.size and codes.min() != codes.max():
        rows, identity = rows[np.argsort(codes, kind="stable")], False
        codes = arrays.codes[rows]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]) if rows.size else rows
    if len(starts) == 0 or budget // len(starts) < MIN_POINTS:
        return None
    x = arrays.x if identity else arrays.x[rows]
    steps = np.diff(x)
    steps[starts[1:] - 1] = 0  # a new series may start lower
    resorted = bool((steps < 0).any())
    if resorted:
        if not sortable:
            return None
        in_order = np.lexsort((x, codes))
        rows, x, identity = rows[in_order], x[in_order], False
    measures = [m if identity else m[rows] for m in arrays.measures]
    gaps = [bool(np.isnan(m).any()) for m in measures]
    ends = np.r_[starts[1:], rows.size]
    shares = allocate((ends - starts).tolist(), budget)
    kept: list[np.ndarray] = []
    for start, end, share in zip(starts.tolist(), ends.tolist(), shares, strict=True):
        if share >= end - start:
            kept.append(np.arange(start, end))
            continue
        parts = [(m[start:end], gap) for m, gap in zip(measures, gaps, strict=True)]
        kept.append(start + _measures_points(x[start:end], parts, share))
    chosen_rows = rows[np.unique(np.concatenate(kept))]
    # Rows keep the query's order; rows that had to be sorted go out by series, then x.
    return chosen_rows if resorted else np.sort(chosen_rows)


def _measures_points(
    x: np.ndarray, measures: list[tuple[np.ndarray, bool]], share: int
) -> np.ndarray:
    """Positions LTTB keeps of one series for all its measures together: at most ``share``.

    Each measure first gets an equal part; where the measures keep the same points, the parts
    grow until the union nearly fills the share (two or three rounds; ~0.2 ms each per 100k).

    Args:
        x: The series' ascending x values.
        measures: Each measure's values and whether any is NaN (NULL).
        share: Most positions to return (at least 1).

    Returns:
        Ascending unique positions into ``x``.

    """
    per_measure = max(1, share // len(measures)) if measures else 1
    best = np.empty(0, dtype=np.int64)
    while True:
        chosen = np.unique(
            np.concatenate([_lttb_part(x, y, gap, per_measure) for y, gap in measures])
        )
        if chosen.size > share:
            return best if best.size else chosen[:share]
        best = chosen
        room = share - chosen.size
        if room < len(measures) or per_measure >= x.size:
            return best
        per_measure += max(1, room // len(measures))


def _lttb_part(x: np.ndarray, y: np.ndarray, gap: bool, n_out: int) -> np.ndarray:
    """`lttb_indices` over the points where ``y`` is not NaN (``gap``: there are such points)."""
    if not gap:
        return lttb_indices(x, y, n_out)
    valid = np.flatnonzero(~np.isnan(y))
    return valid[lttb_indices(x[valid], y[valid], n_out)]
