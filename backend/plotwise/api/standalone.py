"""Standalone HTML downloads: an artifact as one self-contained, offline, isolated file."""

from __future__ import annotations

import re

import anyio
from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field, JsonValue

from plotwise.api.deps import ServicesDep
from plotwise.artifact.policy import validate_component
from plotwise.artifact.standalone import Snapshot, build_standalone_html
from plotwise.artifact.store import ArtifactRecord
from plotwise.errors import BadRequestError
from plotwise.services import Services

router = APIRouter(prefix="/api", tags=["standalone"])


class StandaloneRequest(BaseModel):
    """Body of ``POST /api/artifacts/{artifact_id}/standalone``."""

    query_params: dict[str, JsonValue] = Field(default_factory=dict)
    """Query parameter values for the data snapshot; missing ones take their defaults."""
    view_params: dict[str, JsonValue] = Field(default_factory=dict)
    """View parameter values the component is rendered with."""
    title: str | None = Field(default=None, max_length=200)
    """Heading of the file; the artifact's question when omitted."""


@router.post(
    "/artifacts/{artifact_id}/standalone",
    response_class=HTMLResponse,
    responses={
        200: {"content": {"text/html": {}}, "description": "the standalone file"},
        404: {"description": "unknown artifact"},
    },
)
async def artifact_standalone(
    artifact_id: str, body: StandaloneRequest, services: ServicesDep
) -> HTMLResponse:
    """Return the artifact as one HTML file with a fresh (or cached) snapshot of its data."""
    record = await services.artifacts.get(artifact_id)
    title = body.title or getattr(record, "prompt", None) or "Plotwise artifact"
    return await standalone_response(services, record, body.query_params, body.view_params, title)


@router.get(
    "/templates/{template_id}/standalone",
    response_class=HTMLResponse,
    responses={
        200: {"content": {"text/html": {}}, "description": "the standalone file"},
        404: {"description": "unknown template"},
    },
)
async def template_standalone(template_id: str, services: ServicesDep) -> HTMLResponse:
    """Return a template as one HTML file, with its saved parameters and fresh data."""
    template = await services.templates.get(template_id)
    record = ArtifactRecord(
        artifact_id=template.id,
        conversation_id=None,
        prompt=template.prompt,
        code=template.code,
        language=template.language,
        query_id=None,
        sql=template.sql,
        param_specs=template.param_specs,
        dataset=template.dataset,
    )
    return await standalone_response(
        services, record, template.query_params, template.view_params, template.name
    )


async def standalone_response(
    services: Services,
    record: ArtifactRecord,
    query_params: dict[str, JsonValue],
    view_params: dict[str, JsonValue],
    title: str,
) -> HTMLResponse:
    """Run the artifact's SQL, check its code with the policy, and answer the HTML file.

    Raises:
        BadRequestError: The artifact has no query, or its code is refused by the policy.

    """
    if record.sql is None:
        raise BadRequestError(f"artifact {record.artifact_id!r} has no query to snapshot")
    problems = await anyio.to_thread.run_sync(validate_component, record.code)
    if problems:
        raise BadRequestError(
            "the component is refused by the validation policy: " + "; ".join(problems)
        )
    result = await services.sql_for(record.dataset).execute(
        record.sql, param_specs=record.param_specs, param_values=query_params
    )
    names = [c.name for c in result.columns]
    snapshot = Snapshot(
        title=title,
        code=record.code,
        rows=[dict(zip(names, row, strict=True)) for row in result.rows],
        view_params=view_params,
        fetched_at=result.fetched_at.isoformat(timespec="seconds"),
        data_version=result.data_version,
        sql=record.sql,
    )
    page = build_standalone_html(snapshot, services.settings.sandbox_dist)
    filename = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "artifact"
    return HTMLResponse(
        page, headers={"Content-Disposition": f'attachment; filename="{filename}.html"'}
    )
