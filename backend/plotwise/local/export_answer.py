"""The local analyst's answer to an export, from what ``submit_spark`` returned to the model.

A finished job gets a sentence with the row count, the SQL, download links for its files and a
``tsx`` table previewing its first rows (the turn binds the preview rows to it as ``data``). A
job that failed, was cancelled or still runs gets a plain sentence saying so, and no component.
"""

from __future__ import annotations

import re
from typing import Any

from plotwise.local.components import render_preview
from plotwise.local.export import ExportPlan
from plotwise.sql.result import ColumnSchema

FORMAT_LABELS = {"parquet": "Parquet", "csv": "CSV"}
"""Link text of each file format."""
_FILE_URL = re.compile(r"/api/jobs/job_[0-9a-f]+/files/(parquet|csv)")
_JOB_ID = re.compile(r"job_[0-9a-f]+")


def compose_export_answer(export: ExportPlan, sql: str, result: dict[str, Any]) -> str:
    """Write the answer to an export question.

    Args:
        export: The plan the SQL came from (for the words describing the rows).
        sql: The query submitted.
        result: The tool's return value (the contract of ``submit_spark``): ``job_id``,
            ``state``, ``message``; for a succeeded job also ``row_count``, ``columns``
            ([{name, type}]), ``rows`` (the first rows) and ``files`` ([{format, url}]).

    """
    state = result.get("state")
    message = str(result.get("message") or "").strip()
    job_id = str(result.get("job_id") or "")
    job = f" (job `{job_id}`)" if _JOB_ID.fullmatch(job_id) else ""
    if state == "succeeded":
        return _succeeded(export, sql, result)
    if state == "failed":
        return f"The Spark export{job} failed:\n\n> {message or 'no reason given'}\n"
    if state == "cancelled":
        return f"The Spark export{job} was cancelled, so there are no files to download.\n"
    return (
        f"The Spark export{job} is still running"
        + (f": {message}" if message else ".")
        + "\n\nIt continues in the background; its Parquet and CSV files can be downloaded "
        "once it finishes.\n"
    )


def _succeeded(export: ExportPlan, sql: str, result: dict[str, Any]) -> str:
    columns = [ColumnSchema.model_validate(c) for c in result.get("columns", [])]
    row_count = int(result.get("row_count") or 0)
    parts = [summary(export, row_count)]
    parts.append(export.plan.explain())
    links = download_links(result.get("files", []))
    if links:
        parts.append(links)
    parts.append(f"```sql\n{sql}\n```")
    parts.append(f"```tsx\n{render_preview(columns, row_count, title(export))}```")
    return "\n\n".join(parts) + "\n"


def summary(export: ExportPlan, row_count: int) -> str:
    """The answer's first sentence.

    For example "**3,893 flights** with a departure delay over 3 hours, exported with Spark."
    """
    if export.is_listing:
        noun = export.noun if row_count != 1 else export.noun.removesuffix("s")
        described = f" {export.description}" if export.description else ""
        return f"**{row_count:,} {noun}**{described}, exported with Spark."
    rows = "row" if row_count == 1 else "rows"
    return f"**{row_count:,} {rows}** of {title(export).lower()}, exported with Spark."


def title(export: ExportPlan) -> str:
    """What the exported rows are, capitalised: "Flights from JFK", "Number of flights by …"."""
    plan = export.plan
    if plan.measure is None:
        return f"{export.noun} {export.description}".strip().capitalize()
    text = plan.measure.label
    if plan.dimensions:
        text += " by " + " and ".join(d.name.replace("_", " ") for d in plan.dimensions)
    return text[:1].upper() + text[1:]


def download_links(files: list[dict[str, Any]]) -> str:
    """Markdown links to a job's files, in the order listed; "" when none is valid.

    Only URLs of the jobs API (``/api/jobs/<id>/files/<format>``) become links.
    """
    links = []
    for file in files:
        url = str(file.get("url", ""))
        match = _FILE_URL.fullmatch(url)
        if match is not None:
            links.append(f"[Download {FORMAT_LABELS[match.group(1)]}]({url})")
    return " · ".join(links)
