"""Generated React components for a query result: the local analyst's half of the artifact.

The chart follows the component contract (``prompts/component_contract.md``): a bar chart for
categories, a line chart for time, a KPI card for a single value, a table otherwise. Each one
declares view parameters (colour, bars shown, points, rows shown) that the analyst changes in
the sidebar without running the query again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from string import Template
from typing import Literal

from plotwise.sql.result import ColumnSchema

NUMERIC_TYPES = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "FLOAT",
    "DOUBLE",
    "DECIMAL",
    "REAL",
)
TEMPORAL_TYPES = ("DATE", "TIMESTAMP", "TIME")

ChartKind = Literal["kpi", "bar", "line", "table"]


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
    return ChartSpec("table", label=label, rows=row_count)


def render_component(spec: ChartSpec, columns: list[ColumnSchema]) -> str:
    """Return the TSX source of a component drawing ``spec`` (for ``data`` rows of ``columns``)."""
    values = {
        "x": json.dumps(spec.x),
        "y": json.dumps(spec.y),
        "label": json.dumps(spec.label.capitalize()),
        "columns": json.dumps([c.name for c in columns]),
        "dots": "true" if spec.rows <= MAX_DOTTED_POINTS else "false",
    }
    return _TEMPLATES[spec.kind].substitute(values)


MAX_DOTTED_POINTS = 40
"""Line charts with more points than this hide their points by default."""

_FORMAT = """const format = (value) =>
  typeof value === "number"
    ? value.toLocaleString("en-US", { maximumFractionDigits: 2 })
    : value === null || value === undefined
      ? "–"
      : String(value);
"""

_KPI = (
    """import React from "react";

export const params = {
  color: { type: "color", label: "Colour", default: "#4f46e5" },
};

"""
    + _FORMAT
    + """
export default function Artifact({ data, params }) {
  const value = data.length > 0 ? data[0][$y] : null;
  const color = params.color ?? "#4f46e5";
  return (
    <div style={{ padding: 24, fontFamily: "system-ui, sans-serif" }}>
      <div style={{ fontSize: 14, color: "#64748b" }}>{$label}</div>
      <div style={{ fontSize: 48, fontWeight: 700, color }}>{format(value)}</div>
    </div>
  );
}
"""
)

_BAR = (
    """import React from "react";
import { BarChart, Bar, XAxis, YAxis, Tooltip, CartesianGrid, ResponsiveContainer } from "recharts";

export const params = {
  color: { type: "color", label: "Bar colour", default: "#4f46e5" },
  topN: { type: "number", label: "Bars shown", min: 1, max: 200, step: 1, default: 30 },
};

"""
    + _FORMAT
    + """
export default function Artifact({ data, params }) {
  const color = params.color ?? "#4f46e5";
  const shown = data.slice(0, Math.max(1, params.topN ?? 30));
  const many = shown.length > 12;
  return (
    <div style={{ fontFamily: "system-ui, sans-serif" }}>
      <div style={{ fontSize: 14, color: "#334155", margin: "0 0 8px 8px" }}>
        {$label}
        {shown.length < data.length ? ` (first $${shown.length} of $${data.length})` : ""}
      </div>
      <ResponsiveContainer width="100%" height={360}>
        <BarChart data={shown} margin={{ top: 8, right: 16, bottom: many ? 48 : 16, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey={$x} interval={0} angle={many ? -45 : 0} textAnchor={many ? "end" : "middle"} tick={{ fontSize: 12 }} />
          <YAxis tickFormatter={format} tick={{ fontSize: 12 }} />
          <Tooltip formatter={format} />
          <Bar dataKey={$y} name={$label} fill={color} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
"""
)

_LINE = (
    """import React from "react";
import { LineChart, Line, XAxis, YAxis, Tooltip, CartesianGrid, ResponsiveContainer } from "recharts";

export const params = {
  color: { type: "color", label: "Line colour", default: "#4f46e5" },
  showDots: { type: "boolean", label: "Show points", default: $dots },
};

"""
    + _FORMAT
    + """
export default function Artifact({ data, params }) {
  const color = params.color ?? "#4f46e5";
  return (
    <div style={{ fontFamily: "system-ui, sans-serif" }}>
      <div style={{ fontSize: 14, color: "#334155", margin: "0 0 8px 8px" }}>{$label}</div>
      <ResponsiveContainer width="100%" height={360}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 16, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey={$x} tick={{ fontSize: 12 }} />
          <YAxis tickFormatter={format} tick={{ fontSize: 12 }} />
          <Tooltip formatter={format} />
          <Line type="monotone" dataKey={$y} name={$label} stroke={color} strokeWidth={2} dot={params.showDots ?? $dots} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
"""
)

_TABLE = (
    """import React from "react";

export const params = {
  maxRows: { type: "number", label: "Rows shown", min: 1, max: 1000, step: 1, default: 100 },
};

"""
    + _FORMAT
    + """
const COLUMNS = $columns;

export default function Artifact({ data, params }) {
  const cell = { padding: "6px 10px", borderBottom: "1px solid #e2e8f0", textAlign: "left" };
  const shown = data.slice(0, Math.max(1, params.maxRows ?? 100));
  return (
    <div style={{ overflow: "auto", maxHeight: 480, fontFamily: "system-ui, sans-serif", fontSize: 13 }}>
      <table style={{ borderCollapse: "collapse", width: "100%" }}>
        <thead>
          <tr>{COLUMNS.map((c) => <th key={c} style={{ ...cell, background: "#f8fafc" }}>{c}</th>)}</tr>
        </thead>
        <tbody>
          {shown.map((row, i) => (
            <tr key={i}>{COLUMNS.map((c) => <td key={c} style={cell}>{format(row[c])}</td>)}</tr>
          ))}
        </tbody>
      </table>
      {shown.length < data.length ? <p style={{ color: "#64748b" }}>{shown.length} of {data.length} rows shown</p> : null}
    </div>
  );
}
"""
)

_TEMPLATES: dict[ChartKind, Template] = {
    "kpi": Template(_KPI),
    "bar": Template(_BAR),
    "line": Template(_LINE),
    "table": Template(_TABLE),
}
