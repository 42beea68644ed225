"""Instructions for the model, rendered from the text files in ``prompts/``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final, Literal

from plotwise.artifact.policy_text import policy_placeholders
from plotwise.data.files import sql_literal
from plotwise.errors import DatasetError
from plotwise.semantic.definition import DatasetDefinition
from plotwise.semantic.profile import (
    EXAMPLE_LIMIT,
    VALUE_INDEX_LIMIT,
    ColumnProfile,
    DatasetProfile,
    Scalar,
)
from plotwise.settings import DEFAULT_POINT_BUDGET

MAX_VALUE_CHARS = 40
"""Longest example value shown, in characters; longer ones are cut and end with ``…``."""

DIALECTS: Final = {"duckdb": ("DuckDB", None), "postgres": ("PostgreSQL", "postgres.md")}
"""Each SQL dialect's name in the instructions, and the prompt file of notes on it (if any)."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_PLACEHOLDER = re.compile(
    r"\{(component_contract|schema_context|max_rows|sql_dialect|dialect_notes)\}"
)


def render_instructions(
    prompts_dir: Path,
    definition: DatasetDefinition,
    *,
    max_rows: int,
    profile: DatasetProfile | None = None,
    dialect: Literal["duckdb", "postgres"] = "duckdb",
    point_budget: int = DEFAULT_POINT_BUDGET,
) -> str:
    """Fill ``system.md`` with the component contract, the schema context and the row cap.

    The contract's lists of allowed imports and forbidden names come from the validation
    policy file, so the model is told exactly what the validators accept. The SQL dialect is
    the dataset's: DuckDB, or PostgreSQL for a source (then ``postgres.md`` adds its notes).

    Args:
        prompts_dir: Folder holding ``system.md`` and ``component_contract.md``.
        definition: The dataset the model answers about.
        max_rows: Row cap of one query result, e.g. 1000.
        profile: The dataset's values (`plotwise.semantic.profile.profile_dataset`), shown as
            examples and ranges beside the columns; None shows no values.
        dialect: The engine the dataset's SQL runs on (`DIALECTS`).
        point_budget: Most rows a chart receives (``PLOTWISE_POINT_BUDGET``), named in the
            contract's section on downsampling.

    Returns:
        The instructions as markdown.

    Raises:
        DatasetError: A prompt file is missing.

    """
    dialect_name, notes_file = DIALECTS[dialect]
    try:
        system = (prompts_dir / "system.md").read_text(encoding="utf-8")
        contract = (prompts_dir / "component_contract.md").read_text(encoding="utf-8")
        notes = (prompts_dir / notes_file).read_text(encoding="utf-8") if notes_file else ""
    except FileNotFoundError as exc:
        raise DatasetError(f"prompt file missing: {exc.filename}") from exc
    for placeholder, value in policy_placeholders().items():
        contract = contract.replace(f"{{{placeholder}}}", value)
    contract = contract.replace("{point_budget}", f"{point_budget:,}")
    fills = {
        "component_contract": contract.strip(),
        "schema_context": schema_context(definition, profile),
        "max_rows": f"{max_rows:,}",
        "sql_dialect": dialect_name,
        "dialect_notes": "\n\n" + notes.strip().replace("{max_rows}", f"{max_rows:,}")
        if notes
        else "",
    }
    # One pass, so text from the data that looks like a placeholder stays as it is.
    return _PLACEHOLDER.sub(lambda m: fills[m.group(1)], system)


def schema_context(definition: DatasetDefinition, profile: DatasetProfile | None = None) -> str:
    """Describe a dataset for a model: tables, fields, named measures and joins.

    Each column reads ``- `name` TYPE (role, unit): description. Values…``; derived dimensions
    and measures give their SQL expression. With a profile, each field ends with what the data
    holds: a dimension's most frequent values (at most `EXAMPLE_LIMIT`), any other field's
    range; text values are SQL literals cut at `MAX_VALUE_CHARS`.

    Args:
        definition: The dataset.
        profile: Its values, keyed by (table, field); None or a missing field shows none.

    Returns:
        Markdown, one ``###`` section per table, then ``### Joins``.

    """
    profiles = profile.columns if profile is not None else {}
    lines = [f"Dataset **{definition.name}**: {definition.description}", ""]
    for name, table in definition.tables.items():
        lines.append(f"### {name}\n{table.description}")
        for cname, col in table.columns.items():
            unit = f", {col.unit}" if col.unit else ""
            values = _values_text(profiles.get((name, cname)))
            lines.append(f"- `{cname}` {col.type} ({col.role}{unit}): {col.description}{values}")
        for dname, dim in table.dimensions.items():
            values = _values_text(profiles.get((name, dname)))
            lines.append(f"- derived `{dname}` = `{dim.expr}`: {dim.description}{values}")
        for mname, measure in table.measures.items():
            lines.append(f"- measure `{mname}` = `{measure.expr}`: {measure.description}")
        lines.append("")
    if definition.relationships:
        lines.append("### Joins")
        lines.extend(f"- `{r.from_}` = `{r.to}`" for r in definition.relationships)
    return "\n".join(lines).strip()


def _values_text(profile: ColumnProfile | None) -> str:
    """`` Values: 'EWR', 'JFK', 'LGA'.``, `` Range: -43 to 1301.`` and the like; '' for None."""
    if profile is None:
        return ""
    if profile.values:
        shown = ", ".join(_literal(v) for v in profile.examples)
        if profile.complete and len(profile.values) <= EXAMPLE_LIMIT:
            return f" Values: {shown}."
        count = f"{len(profile.values)}" if profile.complete else f"Over {VALUE_INDEX_LIMIT}"
        return f" {count} values, most frequent: {shown}."
    if profile.low is None or profile.high is None:
        return " Always NULL."
    if profile.low == profile.high:
        return f" Values: {_literal(profile.low)}."
    return f" Range: {_literal(profile.low)} to {_literal(profile.high)}."


def _literal(value: Scalar) -> str:
    """A value as the model should write it: text quoted as SQL, numbers and dates plain."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", value)
        if len(text) > MAX_VALUE_CHARS:
            text = text[: MAX_VALUE_CHARS - 1] + "…"
        return sql_literal(text)
    if isinstance(value, float):
        return repr(value)
    return str(value)  # ints, decimals; dates and timestamps as 2013-01-01 05:00:00
