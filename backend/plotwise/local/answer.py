"""The local analyst's markdown answer: a sentence with the key figure, the SQL, the component."""

from __future__ import annotations

from typing import Any

from plotwise.local.components import ChartSpec, choose_chart, render_component
from plotwise.local.plan import Plan
from plotwise.sql.result import ColumnSchema


def compose_answer(plan: Plan, sql: str, result: dict[str, Any]) -> str:
    """Write the answer to a planned question from what ``run_sql`` returned to the model.

    Args:
        plan: The plan the SQL came from (for labels and which columns are times).
        sql: The SQL that ran.
        result: The model's view of the result: ``columns`` ([{name, type}]), ``rows`` (the first
            rows, lists in column order), ``row_count`` and ``truncated``.

    """
    columns = [ColumnSchema.model_validate(c) for c in result["columns"]]
    rows: list[list[Any]] = result["rows"]
    row_count: int = result["row_count"]
    label = plan.measure.label if plan.measure else plan.table
    time_columns = {plan.dimension_alias(d) for d in plan.dimensions if d.role == "time"}
    spec = choose_chart(columns, row_count, time_columns=time_columns, label=label)
    parts = [_summary(plan, spec, columns, rows, row_count)]
    if result.get("truncated"):
        parts.append(f"The result was cut at the row cap of {row_count:,} rows.")
    explanation = plan.explain()
    if plan.param_specs():
        explanation += " Change the filter in the sidebar without asking again."
    parts.append(explanation)
    parts.append(f"```sql\n{sql}\n```")
    parts.append(f"```tsx\n{render_component(spec, columns)}```")
    return "\n\n".join(parts) + "\n"


def _summary(
    plan: Plan, spec: ChartSpec, columns: list[ColumnSchema], rows: list[list[Any]], row_count: int
) -> str:
    if row_count == 0:
        return "The query returned no rows."
    label = spec.label
    if spec.kind == "kpi":
        if plan.measure is not None and plan.measure.agg == "count" and not plan.filters:
            return f"There are **{fmt(rows[0][0])}** {label}."
        return f"The {label} is **{fmt(rows[0][0])}**."
    if spec.kind == "table":
        return f"Here are {row_count:,} rows from **{plan.table}**."
    x = columns[0].name
    y_values = [r[1] for r in rows if isinstance(r[1], int | float)]
    if not y_values:
        return f"Here is the {label} by {x.replace('_', ' ')}."
    if spec.kind == "line":
        high = max(rows, key=lambda r: r[1] if r[1] is not None else float("-inf"))
        low = min(rows, key=lambda r: r[1] if r[1] is not None else float("inf"))
        return (
            f"{label.capitalize()} by {x.replace('_', ' ')} over {row_count:,} points: highest at "
            f"{x} {fmt(high[0])} (**{fmt(high[1])}**), lowest at {x} {fmt(low[0])} "
            f"(**{fmt(low[1])}**)."
        )
    first = rows[0]
    if row_count == 1:
        return f"**{fmt(first[0])}** has the {_rank_word(plan)} {label}: **{fmt(first[1])}**."
    return (
        f"{label.capitalize()} by {x.replace('_', ' ')} ({row_count:,} groups): "
        f"**{fmt(first[0])}** has the {_rank_word(plan)}, with **{fmt(first[1])}**."
    )


def _rank_word(plan: Plan) -> str:
    return "highest" if plan.descending else "lowest"


def fmt(value: Any) -> str:
    """Format a value for prose: thousands separators, at most 2 decimals, ``–`` for null."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"
    return str(value)
