"""Dataset endpoints (``docs/datasets.md``): list, detail, upload, review, rename, edit, delete.

Uploads stream: the body is parsed as it arrives (`plotwise.uploads.receive_form_upload`) and
written to the staging folder, stopping with 413 ``upload_too_large`` once
``PLOTWISE_MAX_UPLOAD_MB`` is passed. The upload then waits as a draft for review;
committing it makes a dataset.
"""

from __future__ import annotations

from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Query, Request, Response

from plotwise.api.deps import ServicesDep
from plotwise.datasets.manager import DatasetManager
from plotwise.datasets.models import (
    CommitBody,
    DatasetDetail,
    DatasetList,
    DatasetSummary,
    PatchBody,
    TemplateRef,
    UploadDraftPublic,
)
from plotwise.datasets.stats import describe, summarize
from plotwise.errors import BadRequestError, NotFoundError
from plotwise.services import Services

router = APIRouter(prefix="/api/datasets", tags=["datasets"])

_NOT_FOUND = {404: {"description": "unknown dataset"}}
_CONFLICT = {409: {"description": "a bundled dataset or source, a taken name, or dependents"}}


@router.get("")
async def list_datasets(services: ServicesDep) -> DatasetList:
    """Every dataset: bundled first (the first is the default), then uploads and sources."""
    return DatasetList(items=await anyio.to_thread.run_sync(_summaries, services))


@router.post(
    "",
    status_code=201,
    responses={
        400: {"description": "bad_upload: the file is refused (the message says why)"},
        413: {"description": "upload_too_large: past PLOTWISE_MAX_UPLOAD_MB"},
        429: {"description": "rate_limited: past PLOTWISE_UPLOAD_RATE_PER_MINUTE (Retry-After)"},
    },
)
async def upload_dataset(request: Request, services: ServicesDep) -> UploadDraftPublic:
    """Upload a file (multipart field ``file``) and return the inferred draft for review."""
    content_type = request.headers.get("content-type", "")
    return await _manager(services).upload(request.stream(), content_type)


@router.post(
    "/drafts/{draft_id}/commit",
    status_code=201,
    responses={404: {"description": "unknown draft"}, **_CONFLICT},
)
async def commit_draft(draft_id: str, body: CommitBody, services: ServicesDep) -> DatasetDetail:
    """Commit a reviewed draft as a dataset: Parquet, definition, catalog, at once."""
    context = await _manager(services).commit(
        draft_id,
        body.name,
        description=body.description,
        overrides=body.overrides,
        descriptions=body.descriptions,
    )
    return await _detail(services, context.definition.name)


@router.delete("/drafts/{draft_id}", status_code=204, responses={404: {"description": "unknown"}})
async def discard_draft(draft_id: str, services: ServicesDep) -> Response:
    """Discard a draft: its staging folder is removed."""
    await _manager(services).discard(draft_id)
    return Response(status_code=204)


@router.get("/{name}", responses=_NOT_FOUND)
async def get_dataset(name: str, services: ServicesDep) -> DatasetDetail:
    """The dataset's tables with column statistics, first rows, and the templates reading it."""
    return await _detail(services, name)


@router.patch(
    "/{name}",
    responses={400: {"description": "bad_request: nothing to change"}, **_NOT_FOUND, **_CONFLICT},
)
async def patch_dataset(name: str, body: PatchBody, services: ServicesDep) -> DatasetDetail:
    """Rename an upload and/or edit its description, column descriptions and roles."""
    manager = _manager(services)
    if body.name is None and body.description is None and not body.columns:
        raise BadRequestError("nothing to change: send name, description or columns")
    if body.name is not None:
        name = (await manager.rename(name, body.name)).definition.name
    if body.description is not None or body.columns:
        columns = {column: edit.model_dump() for column, edit in body.columns.items()}
        await manager.edit(name, description=body.description, columns=columns)
    return await _detail(services, name)


@router.delete("/{name}", status_code=204, responses={**_NOT_FOUND, **_CONFLICT})
async def delete_dataset(
    name: str, services: ServicesDep, confirm: Annotated[bool, Query()] = False
) -> Response:
    """Delete an upload or an API-added source; with templates reading it, only with ``confirm``."""
    await _manager(services).delete(name, confirm=confirm)
    return Response(status_code=204)


def _manager(services: Services) -> DatasetManager:
    assert services.uploads is not None
    return services.uploads


def _summaries(services: Services) -> list[DatasetSummary]:
    default = services.default_dataset
    return [
        summarize(context, services.catalog, is_default=name == default)
        for name, context in list(services.datasets.items())
    ]


async def _detail(services: Services, name: str) -> DatasetDetail:
    context = services.datasets.get(name)
    if context is None:
        raise NotFoundError(f"unknown dataset {name!r}; available: {', '.join(services.datasets)}")
    summary = await anyio.to_thread.run_sync(
        lambda: summarize(context, services.catalog, is_default=name == services.default_dataset)
    )
    templates = [
        TemplateRef(id=template_id, name=template_name)
        for template_id, template_name in await services.templates.reading(name)
    ]
    return await describe(summary, context, templates)
