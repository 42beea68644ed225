"""Generated React components for a query result: the local analyst's half of the artifact.

The chart follows the component contract (``prompts/component_contract.md``): a bar chart for
categories, a line chart for time, a KPI card for a single value, a table otherwise. Each one
declares view parameters (colour, bars shown, points, rows shown) that the analyst changes in
the sidebar without running the query again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from plotwise.local.tsx import MAX_DOTTED_POINTS, TEMPLATES
from plotwise.sql.result import NUMERIC_TYPES, TEMPORAL_TYPES, ColumnSchema

ChartKind = Literal["kpi", "bar", "line", "table", "series"]


@dataclass(frozen=True)
class ChartSpec:
    """Which chart to draw: ``x`` (the dimension column) and ``y`` (the measure column)."""

    kind: ChartKind
    x: str | None = None
    y: str | None = None
    label: str = ""
    """Human label of the measure, e.g. "average departure delay"."""
    rows: int = 0
    """Rows of the result the chart was chosen for."""
    series: str | None = None
    """For two dimensions: the column whose values become separate lines or bars."""
    time: bool = False
    """For two dimensions: ``x`` is a time, so the series are lines."""


def is_numeric(column: ColumnSchema) -> bool:
    """True for DuckDB integer, floating point and decimal types."""
    return column.type.upper().startswith(NUMERIC_TYPES)


def choose_chart(
    columns: list[ColumnSchema], row_count: int, *, time_columns: set[str], label: str
) -> ChartSpec:
    """Pick the chart that fits a result.

    Args:
        columns: The result's columns.
        row_count: Number of rows returned.
        time_columns: Names of columns that are times or ordered grains (month, hour, a date).
        label: Human label of the measure.

    """
    if row_count == 1 and len(columns) == 1 and is_numeric(columns[0]):
        return ChartSpec("kpi", y=columns[0].name, label=label, rows=row_count)
    if len(columns) == 2 and is_numeric(columns[1]) and row_count > 0:
        x, y = columns[0].name, columns[1].name
        temporal = x in time_columns or columns[0].type.upper().startswith(TEMPORAL_TYPES)
        if temporal and row_count > 1:
            return ChartSpec("line", x=x, y=y, label=label, rows=row_count)
        return ChartSpec("bar", x=x, y=y, label=label, rows=row_count)
    if len(columns) == 3 and is_numeric(columns[2]) and row_count > 1:
        first, second = columns[0].name, columns[1].name
        if _temporal(columns[1], time_columns) and not _temporal(columns[0], time_columns):
            first, second = second, first
        time = _temporal(next(c for c in columns if c.name == first), time_columns)
        return ChartSpec(
            "series",
            x=first,
            y=columns[2].name,
            label=label,
            rows=row_count,
            series=second,
            time=time,
        )
    return ChartSpec("table", label=label, rows=row_count)


def _temporal(column: ColumnSchema, time_columns: set[str]) -> bool:
    return column.name in time_columns or column.type.upper().startswith(TEMPORAL_TYPES)


def render_component(spec: ChartSpec, columns: list[ColumnSchema]) -> str:
    """Return the TSX source of a component drawing ``spec`` (for ``data`` rows of ``columns``)."""
    values = {
        "x": json.dumps(spec.x),
        "y": json.dumps(spec.y),
        "label": json.dumps(spec.label.capitalize()),
        "columns": json.dumps([c.name for c in columns]),
        "dots": "true" if spec.rows <= MAX_DOTTED_POINTS else "false",
        "series": json.dumps(spec.series),
        "time": "true" if spec.time else "false",
    }
    return TEMPLATES[spec.kind].substitute(values)


def render_preview(columns: list[ColumnSchema], total_rows: int, label: str) -> str:
    """Return the TSX source of a table previewing an export's first rows.

    Args:
        columns: The exported columns; ``data`` rows are keyed by their names.
        total_rows: Rows in the exported files (shown beside the rows previewed).
        label: What the rows are, e.g. "Flights from JFK".

    """
    values = {
        "columns": json.dumps([c.name for c in columns]),
        "total": json.dumps(total_rows),
        "label": json.dumps(label),
    }
    return TEMPLATES["preview"].substitute(values)
