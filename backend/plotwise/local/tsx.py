"""TSX sources of the local analyst's components, one per chart kind (`string.Template`).

Placeholders: ``$x``, ``$y``, ``$label``, ``$columns``, ``$dots``, ``$series``, ``$time``,
``$total`` (JSON values); ``$$`` is a literal ``$`` (JavaScript template strings).
"""

from __future__ import annotations

from string import Template

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
  // Long labels read better down the side than slanted under the bars.
  const horizontal = shown.some((row) => String(row[$x]).length > 12);
  const many = shown.length > 12;
  const height = horizontal ? Math.max(240, 28 * shown.length + 40) : 360;
  return (
    <div style={{ fontFamily: "system-ui, sans-serif" }}>
      <div style={{ fontSize: 14, color: "#334155", margin: "0 0 8px 8px" }}>
        {$label}
        {shown.length < data.length ? ` (first $${shown.length} of $${data.length})` : ""}
      </div>
      <ResponsiveContainer width="100%" height={height}>
        {horizontal ? (
          <BarChart data={shown} layout="vertical" margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" tickFormatter={format} tick={{ fontSize: 12 }} />
            <YAxis type="category" dataKey={$x} width={180} interval={0} tick={{ fontSize: 12 }} />
            <Tooltip formatter={format} />
            <Bar dataKey={$y} name={$label} fill={color} isAnimationActive={false} />
          </BarChart>
        ) : (
          <BarChart data={shown} margin={{ top: 8, right: 16, bottom: many ? 48 : 16, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey={$x} interval={0} angle={many ? -45 : 0} textAnchor={many ? "end" : "middle"} tick={{ fontSize: 12 }} />
            <YAxis tickFormatter={format} tick={{ fontSize: 12 }} />
            <Tooltip formatter={format} />
            <Bar dataKey={$y} name={$label} fill={color} isAnimationActive={false} />
          </BarChart>
        )}
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


_SERIES = (
    """import React from "react";
import { BarChart, Bar, LineChart, Line, XAxis, YAxis, Tooltip, Legend, CartesianGrid, ResponsiveContainer } from "recharts";

export const params = {
  maxSeries: { type: "number", label: "Series shown", min: 1, max: 12, step: 1, default: 8 },
  palette: { type: "select", label: "Palette", options: ["indigo", "warm", "cool"], default: "indigo" },
};

const PALETTES = {
  indigo: ["#4f46e5", "#0ea5e9", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#14b8a6", "#f97316", "#64748b", "#ec4899", "#84cc16", "#0f172a"],
  warm: ["#b91c1c", "#ea580c", "#d97706", "#ca8a04", "#be123c", "#9a3412", "#f43f5e", "#fb923c", "#a16207", "#7c2d12", "#fda4af", "#fcd34d"],
  cool: ["#1d4ed8", "#0891b2", "#059669", "#4338ca", "#0e7490", "#15803d", "#3b82f6", "#06b6d4", "#22c55e", "#6366f1", "#67e8f9", "#86efac"],
};
const X = $x;
const SERIES = $series;
const Y = $y;
const TIME = $time;

"""
    + _FORMAT
    + """
export default function Artifact({ data, params }) {
  const colors = PALETTES[params.palette] ?? PALETTES.indigo;
  const totals = {};
  data.forEach((row) => {
    const key = String(row[SERIES]);
    totals[key] = (totals[key] ?? 0) + (typeof row[Y] === "number" ? row[Y] : 0);
  });
  // The biggest series first, so "Series shown" keeps the ones that matter.
  const keys = Object.keys(totals).sort((a, b) => totals[b] - totals[a]).slice(0, Math.max(1, params.maxSeries ?? 8));
  const byX = new Map();
  data.forEach((row) => {
    const x = row[X];
    const entry = byX.get(x) ?? { [X]: x };
    entry[String(row[SERIES])] = row[Y];
    byX.set(x, entry);
  });
  const rows = [...byX.values()];
  if (TIME) rows.sort((a, b) => (a[X] < b[X] ? -1 : a[X] > b[X] ? 1 : 0));
  const Chart = TIME ? LineChart : BarChart;
  return (
    <div style={{ fontFamily: "system-ui, sans-serif" }}>
      <div style={{ fontSize: 14, color: "#334155", margin: "0 0 8px 8px" }}>{$label}</div>
      <ResponsiveContainer width="100%" height={380}>
        <Chart data={rows} margin={{ top: 8, right: 16, bottom: 16, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey={X} tick={{ fontSize: 12 }} />
          <YAxis tickFormatter={format} tick={{ fontSize: 12 }} />
          <Tooltip formatter={format} />
          <Legend />
          {keys.map((key, i) =>
            TIME ? (
              <Line key={key} type="monotone" dataKey={key} stroke={colors[i % colors.length]} strokeWidth={2} dot={false} isAnimationActive={false} />
            ) : (
              <Bar key={key} dataKey={key} fill={colors[i % colors.length]} isAnimationActive={false} />
            ),
          )}
        </Chart>
      </ResponsiveContainer>
    </div>
  );
}
"""
)

_PREVIEW = """import React from "react";

export const params = {
  maxRows: { type: "number", label: "Rows shown", min: 1, max: 1000, step: 1, default: 100 },
};

// Raw values, as in the exported files: no thousands separators in years, codes or delays.
const format = (value) =>
  typeof value === "number"
    ? value.toLocaleString("en-US", { maximumFractionDigits: 4, useGrouping: false })
    : value === null || value === undefined
      ? "–"
      : String(value);

const COLUMNS = $columns;
const TOTAL = $total;
const TITLE = $label;

export default function Artifact({ data, params }) {
  const cell = { padding: "6px 10px", borderBottom: "1px solid #e2e8f0", textAlign: "left", whiteSpace: "nowrap" };
  const shown = data.slice(0, Math.max(1, params.maxRows ?? 100));
  return (
    <div style={{ fontFamily: "system-ui, sans-serif", fontSize: 13 }}>
      <div style={{ fontSize: 14, color: "#334155", margin: "0 0 8px 0" }}>
        {TITLE}: {shown.length.toLocaleString("en-US")} of {TOTAL.toLocaleString("en-US")} rows shown; the files hold them all.
      </div>
      <div style={{ overflow: "auto", maxHeight: 480 }}>
        <table style={{ borderCollapse: "collapse", width: "100%" }}>
          <thead>
            <tr>{COLUMNS.map((c) => <th key={c} style={{ ...cell, background: "#f8fafc", position: "sticky", top: 0 }}>{c}</th>)}</tr>
          </thead>
          <tbody>
            {shown.map((row, i) => (
              <tr key={i}>{COLUMNS.map((c) => <td key={c} style={cell}>{format(row[c])}</td>)}</tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
"""
"""A preview of an exported result: the first rows of the job, the row count of the files."""

TEMPLATES: dict[str, Template] = {
    "kpi": Template(_KPI),
    "bar": Template(_BAR),
    "line": Template(_LINE),
    "table": Template(_TABLE),
    "series": Template(_SERIES),
    "preview": Template(_PREVIEW),
}
"""TSX source of each chart kind."""
