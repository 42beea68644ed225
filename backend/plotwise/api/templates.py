"""Template endpoints (``docs/templates-and-history.md``): save, search, version, open, share.

Every write checks what it stores (`plotwise.template.validation.check_template`) before
touching the database, and writes in one transaction: a refused template is never written.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Response
from fastapi.responses import JSONResponse
from pydantic import ConfigDict, Field, JsonValue
from pydantic.json_schema import SkipJsonSchema
from sqlmodel import SQLModel

from plotwise.api.artifacts import ArtifactData
from plotwise.api.deps import OffsetQuery, ServicesDep
from plotwise.artifact.store import ArtifactRecord, new_artifact_id
from plotwise.errors import BadRequestError
from plotwise.services import Services
from plotwise.store.models import (
    CONTENT_FIELDS,
    TemplatePage,
    TemplatePublic,
    TemplateVersionPublic,
)
from plotwise.template.exchange import TemplateFile, export_file, file_name, read_file
from plotwise.template.validation import build_content, check_template

router = APIRouter(prefix="/api/templates", tags=["templates"])

_NOT_FOUND = {404: {"description": "unknown template"}}
_REFUSED = {400: {"description": "the SQL, code or parameters are refused (the message says why)"}}


class TemplateCreate(SQLModel):
    """Body of ``POST /api/templates``: save an artifact (prompt, SQL, code) as a template."""

    model_config = ConfigDict(extra="forbid")

    artifact_id: str
    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=2000)
    query_params: dict[str, JsonValue] = Field(default_factory=dict)
    """Query parameter values to open it with; missing ones take their defaults."""
    view_params: dict[str, JsonValue] = Field(default_factory=dict)


class TemplateUpdate(SQLModel):
    """Body of ``PATCH /api/templates/{id}``: the fields to change (at least one).

    None only means "not sent": the schema offers no null (a null sent is refused with 400).
    """

    model_config = ConfigDict(extra="forbid")

    name: str | SkipJsonSchema[None] = None
    description: str | SkipJsonSchema[None] = None
    prompt: str | SkipJsonSchema[None] = None
    sql: str | SkipJsonSchema[None] = None
    param_specs: list[dict[str, JsonValue]] | SkipJsonSchema[None] = None
    """Query parameter specs (checked with the rest of the template: a bad one answers 400)."""
    query_params: dict[str, JsonValue] | SkipJsonSchema[None] = None
    view_params: dict[str, JsonValue] | SkipJsonSchema[None] = None
    code: str | SkipJsonSchema[None] = None


class TemplateOpen(SQLModel):
    """Body of ``POST /api/templates/{id}/open``."""

    query_params: dict[str, JsonValue] | None = None
    """Values overriding the saved ones (missing ones keep the saved value, then the default)."""


class TemplateOpened(SQLModel):
    """An opened template: a new artifact and its data, refreshable like any artifact."""

    template: TemplatePublic
    artifact: ArtifactRecord
    data: ArtifactData


@router.post("", status_code=201, responses={**_REFUSED, 404: {"description": "unknown artifact"}})
async def create_template(body: TemplateCreate, services: ServicesDep) -> TemplatePublic:
    """Save an artifact as a new template (version 1)."""
    record = await services.artifacts.get(body.artifact_id)
    if record.sql is None:
        raise BadRequestError(
            f"artifact {body.artifact_id!r} has no query; only artifacts that show a query's "
            "result can be saved as templates"
        )
    content = build_content(
        {
            **body.model_dump(include={"name", "description", "query_params", "view_params"}),
            "prompt": record.prompt,
            "sql": record.sql,
            "param_specs": [spec.model_dump() for spec in record.param_specs],
            "code": record.code,
            "language": record.language,
            "dataset": record.dataset or services.default_dataset,
            "engine": services.sql_for(record.dataset).engine,
        }
    )
    await check_template(content, tables=template_tables(services, content.dataset))
    return await services.templates.create(content)


@router.get("")
async def list_templates(
    services: ServicesDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: OffsetQuery = 0,
) -> TemplatePage:
    """Templates, newest first; ``q`` searches name, description and prompt (any case)."""
    return await services.templates.listing(q=q or None, limit=limit, offset=offset)


@router.post("/import", status_code=201, responses=_REFUSED)
async def import_template(
    body: Annotated[Any, Body(description="an export file (`TemplateFile`)")],
    services: ServicesDep,
) -> TemplatePublic:
    """Import an export file as a new template (version 1); nothing is written if it is refused."""
    content = read_file(body)
    await check_template(content, tables=template_tables(services, content.dataset))
    return await services.templates.create(content)


@router.get("/{template_id}", responses=_NOT_FOUND)
async def get_template(template_id: str, services: ServicesDep) -> TemplatePublic:
    """The template's latest version."""
    return await services.templates.get(template_id)


@router.patch("/{template_id}", responses={**_NOT_FOUND, **_REFUSED})
async def update_template(
    template_id: str, body: TemplateUpdate, services: ServicesDep
) -> TemplatePublic:
    """Change some fields; the result is checked as a whole and stored as a new version."""
    changes = body.model_dump(exclude_unset=True, mode="json")
    if not changes:
        raise BadRequestError("nothing to change: send at least one field")
    if nulls := [name for name, value in changes.items() if value is None]:
        raise BadRequestError(f"field {nulls[0]!r} cannot be null")
    current = await services.templates.get(template_id)
    content = build_content({**current.model_dump(include=set(CONTENT_FIELDS)), **changes})
    await check_template(
        content,
        tables=template_tables(services, content.dataset),
        code_checked=content.code == current.code,
    )
    return await services.templates.update(template_id, content, base_version=current.version)


@router.delete("/{template_id}", status_code=204, responses=_NOT_FOUND)
async def delete_template(template_id: str, services: ServicesDep) -> Response:
    """Delete the template and its versions."""
    await services.templates.delete(template_id)
    return Response(status_code=204)


@router.get("/{template_id}/versions", responses=_NOT_FOUND)
async def list_versions(template_id: str, services: ServicesDep) -> list[TemplateVersionPublic]:
    """Every version of the template, newest first."""
    return await services.templates.versions(template_id)


@router.post("/{template_id}/versions/{version}/restore", responses={**_NOT_FOUND, **_REFUSED})
async def restore_version(template_id: str, version: int, services: ServicesDep) -> TemplatePublic:
    """Make a new version equal in content to ``version`` (checked again, like any write)."""
    current = await services.templates.get(template_id)
    old = await services.templates.version(template_id, version)
    content = build_content(old.model_dump(include=set(CONTENT_FIELDS)))
    await check_template(content, tables=template_tables(services, content.dataset))
    return await services.templates.update(template_id, content, base_version=current.version)


@router.post("/{template_id}/open", responses={**_NOT_FOUND, **_REFUSED})
async def open_template(
    template_id: str, services: ServicesDep, body: TemplateOpen | None = None
) -> TemplateOpened:
    """Run the template's SQL and register an artifact for it (refresh and parameters then work)."""
    template = await services.templates.get(template_id)
    values = {**template.query_params, **((body.query_params if body else None) or {})}
    result = await services.sql_for(template.dataset).execute(
        template.sql, param_specs=template.param_specs, param_values=values
    )
    record = ArtifactRecord(
        artifact_id=new_artifact_id(),
        conversation_id=None,
        prompt=template.prompt,
        code=template.code,
        language=template.language,
        query_id=result.query_id,
        sql=template.sql,
        param_specs=template.param_specs,
        dataset=template.dataset,
    )
    await services.artifacts.add(record)
    data = ArtifactData(**result.model_dump(), artifact_id=record.artifact_id)
    return TemplateOpened(template=template, artifact=record, data=data)


def template_tables(services: Services, dataset: str) -> list[str]:
    """The tables a template of ``dataset`` may read: its datasets' tables.

    Any DuckDB table when the dataset is not loaded here (an import from another installation).
    """
    try:
        return list(services.context(dataset.split("+")).definition.tables)
    except BadRequestError:
        return services.catalog.tables


@router.get(
    "/{template_id}/export",
    response_model=TemplateFile,
    responses={**_NOT_FOUND, 200: {"description": "the export file, as an attachment"}},
)
async def export_template(template_id: str, services: ServicesDep) -> JSONResponse:
    """The template's export file, as a download."""
    template = await services.templates.get(template_id)
    disposition = f'attachment; filename="{file_name(template.name)}"'
    return JSONResponse(
        export_file(template).model_dump(mode="json"),
        headers={"Content-Disposition": disposition},
    )
