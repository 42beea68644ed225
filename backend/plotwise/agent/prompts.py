"""Instructions for the model, rendered from the text files in ``prompts/``."""

from __future__ import annotations

from pathlib import Path

from plotwise.artifact.policy_text import policy_placeholders
from plotwise.errors import DatasetError
from plotwise.semantic.definition import DatasetDefinition


def render_instructions(prompts_dir: Path, definition: DatasetDefinition, *, max_rows: int) -> str:
    """Fill ``system.md`` with the component contract, the schema context and the row cap.

    The contract's lists of allowed imports and forbidden names come from the validation
    policy file, so the model is told exactly what the validators accept.

    Raises:
        DatasetError: A prompt file is missing.

    """
    try:
        system = (prompts_dir / "system.md").read_text(encoding="utf-8")
        contract = (prompts_dir / "component_contract.md").read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DatasetError(f"prompt file missing: {exc.filename}") from exc
    for placeholder, value in policy_placeholders().items():
        contract = contract.replace(f"{{{placeholder}}}", value)
    return (
        system.replace("{component_contract}", contract.strip())
        .replace("{schema_context}", schema_context(definition))
        .replace("{max_rows}", f"{max_rows:,}")
    )


def schema_context(definition: DatasetDefinition) -> str:
    """Describe a dataset for a model: tables, columns (type, unit, description), joins."""
    lines = [f"Dataset **{definition.name}**: {definition.description}", ""]
    for name, table in definition.tables.items():
        lines.append(f"### {name}\n{table.description}")
        for cname, col in table.columns.items():
            unit = f", {col.unit}" if col.unit else ""
            lines.append(f"- `{cname}` {col.type} ({col.role}{unit}): {col.description}")
        for dname, dim in table.dimensions.items():
            lines.append(f"- derived `{dname}` = `{dim.expr}`: {dim.description}")
        lines.append("")
    if definition.relationships:
        lines.append("### Joins")
        lines.extend(f"- `{r.from_}` = `{r.to}`" for r in definition.relationships)
    return "\n".join(lines).strip()
