"""The template export file (``<name>.plotwise.json``): writing it, and reading one to import.

::

    {"format": "plotwise.template", "schema_version": 1, "exported_at": "...",
     "template": {"name", "description", "prompt", "sql", "param_specs", "query_params",
                  "view_params", "engine", "code", "language", "dataset"}}

Reading is strict: another format, an unknown schema version, and missing or extra fields are
refused with a message naming the problem. Whether the content may be stored is then
`plotwise.template.validation.check_template`'s call.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Final, Literal

from pydantic import ConfigDict, TypeAdapter, ValidationError
from sqlmodel import SQLModel

from plotwise.errors import BadRequestError
from plotwise.store.models import CONTENT_FIELDS, TemplateContent, TemplatePublic
from plotwise.store.types import utcnow
from plotwise.template.validation import build_content

FORMAT: Final = "plotwise.template"
"""The ``format`` of an export file."""

SCHEMA_VERSION: Final = 1
"""The newest ``schema_version`` this server writes and the only one it reads."""

FILE_FIELDS: Final = ("format", "schema_version", "exported_at", "template")
"""The fields of an export file, exactly."""

_WHEN: Final = TypeAdapter(datetime)


class TemplateFile(SQLModel):
    """An exported template."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["plotwise.template"] = FORMAT
    schema_version: Literal[1] = SCHEMA_VERSION
    exported_at: datetime
    template: TemplateContent


def export_file(template: TemplatePublic) -> TemplateFile:
    """The export file of ``template``'s latest version."""
    content = TemplateContent.model_validate(template.model_dump(include=set(CONTENT_FIELDS)))
    return TemplateFile(exported_at=utcnow(), template=content)


def file_name(name: str) -> str:
    """The download name of a template's export: ``<slug of the name>.plotwise.json``."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60].strip("-")
    return f"{slug or 'template'}.plotwise.json"


def read_file(body: Any) -> TemplateContent:
    """Read an export file's template content, refusing anything but an exact version 1 file.

    Raises:
        BadRequestError: Not an export file, another format or schema version, missing or extra
            fields, or fields of the wrong shape; the message names the first problem found.

    """
    if not isinstance(body, dict):
        raise BadRequestError("the file is not a JSON object; expected a Plotwise template export")
    if body.get("format") != FORMAT:
        raise BadRequestError(f"unknown file format {body.get('format')!r}; expected {FORMAT!r}")
    if body.get("schema_version") != SCHEMA_VERSION:
        raise BadRequestError(
            f"unknown schema_version {body.get('schema_version')!r}; this server reads "
            f"version {SCHEMA_VERSION}"
        )
    _exact_fields(body, FILE_FIELDS, "the file")
    if not isinstance(body["template"], dict):
        raise BadRequestError("the file's template is not a JSON object")
    _exact_fields(body["template"], CONTENT_FIELDS, "template")
    try:
        _WHEN.validate_python(body["exported_at"])
    except ValidationError as exc:
        raise BadRequestError(
            f"exported_at is not an ISO 8601 date and time: {body['exported_at']!r}"
        ) from exc
    return build_content(body["template"])


def _exact_fields(data: dict[str, Any], fields: tuple[str, ...], where: str) -> None:
    if extra := [name for name in data if name not in fields]:
        raise BadRequestError(
            f"unknown field {extra[0]!r} in {where}; expected {', '.join(fields)}"
        )
    if missing := [name for name in fields if name not in data]:
        raise BadRequestError(f"missing field {missing[0]!r} in {where}")
