"""Figures of a bench run: each a value, its target (an upper bound) and whether it holds."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Figure:
    """One line of the bench table.

    Attributes:
        name: What was measured, e.g. ``"first SSE event p95"``.
        value: The measurement, in ``unit``.
        unit: ``ms``, ``MB`` (10^6 bytes), ``kB`` (10^3 bytes), ``x`` (a ratio) or ``n``.
        target: The most ``value`` may be (from issue 11), or None for a figure without one.
        detail: Context: the other percentiles, counts, the parts of a ratio.

    """

    name: str
    value: float
    unit: str
    target: float | None = None
    detail: str = ""

    @property
    def met(self) -> bool | None:
        """Whether ``value`` is within ``target``; None without a target."""
        return None if self.target is None else self.value <= self.target

    def as_json(self) -> dict[str, object]:
        """The figure as a JSON object, with ``met``."""
        return {**asdict(self), "met": self.met}


def format_value(value: float, unit: str) -> str:
    """``value`` with the precision its unit needs: ``12.3 ms``, ``0.42 x``, ``3 n``."""
    if unit == "n":
        return f"{value:,.0f}"
    if unit == "x":
        return f"{value:.2f}"
    return f"{value:,.1f}"


def render_table(figures: list[Figure]) -> str:
    """The figures as a fixed-width text table (figure, value, unit, target, met, detail)."""
    width = max([len("figure"), *(len(f.name) for f in figures)])
    header = f"{'figure':<{width}} {'value':>10} {'unit':<4} {'target':>8}  {'met':<3}  detail"
    lines = [header, "-" * len(header)]
    for f in figures:
        target = "-" if f.target is None else format_value(f.target, f.unit)
        met = {True: "yes", False: "NO", None: "-"}[f.met]
        lines.append(
            f"{f.name:<{width}} {format_value(f.value, f.unit):>10} {f.unit:<4} {target:>8}  "
            f"{met:<3}  {f.detail}".rstrip()
        )
    return "\n".join(lines)


def all_met(figures: list[Figure]) -> bool:
    """True when no figure misses its target."""
    return all(f.met is not False for f in figures)
