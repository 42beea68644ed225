"""The shapes of the datasets API (``docs/datasets.md``): summaries, details, drafts, edits."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from plotwise.uploads.formats import Format


class TableSummary(BaseModel):
    """One table of a dataset in the list."""

    name: str
    row_count: int | None
    """Rows; None where counting is not cheap (an external database)."""
    column_count: int


class DatasetSummary(BaseModel):
    """A dataset in the list."""

    name: str
    kind: Literal["bundled", "upload", "postgres"]
    engine: Literal["duckdb", "postgres"]
    description: str
    tables: list[TableSummary]
    is_default: bool
    """Whether turns that name no dataset use it."""
    created_at: datetime | None = None
    """When an upload was committed (or a source added); None for bundled data."""
    origin: str | None = None
    """The uploaded file's name, or ``host:port/db`` of a source (never a password)."""


class DatasetList(BaseModel):
    """Body of ``GET /api/datasets``."""

    items: list[DatasetSummary]


class ColumnDetail(BaseModel):
    """One column with its definition and statistics."""

    name: str
    type: str
    role: str
    description: str
    null_count: int | None
    distinct_count: int | None
    """Approximate for DuckDB tables (HyperLogLog), exact for PostgreSQL."""
    min: JsonValue = None
    max: JsonValue = None
    """Smallest and largest value; None for types without an order (lists, structs, booleans)."""


class Preview(BaseModel):
    """The first rows of a table."""

    columns: list[str]
    rows: list[list[JsonValue]]


class TableDetail(TableSummary):
    """One table with its columns and first rows."""

    columns: list[ColumnDetail]
    preview: Preview


class TemplateRef(BaseModel):
    """A template that reads a dataset."""

    id: str
    name: str


class DatasetDetail(DatasetSummary):
    """Body of ``GET /api/datasets/{name}``."""

    tables: list[TableDetail]  # type: ignore[assignment]
    templates: list[TemplateRef]
    """Templates whose dataset is this one: deleting it breaks them."""


class DraftColumn(BaseModel):
    """One inferred column of an upload under review."""

    name: str
    type: str
    null_count: int
    examples: list[JsonValue]
    thousands: bool
    formula_cells: int
    role: str
    """The role the draft definition guesses (measure, dimension, time, identifier)."""


class UploadDraftPublic(BaseModel):
    """Body of ``POST /api/datasets``: the upload as inferred, awaiting review."""

    draft_id: str
    original_name: str
    table_name: str
    """Suggested dataset and table name."""
    format: Format
    row_count: int
    columns: list[DraftColumn]
    preview: list[list[JsonValue]]
    problems: list[str]
    size_bytes: int


class CommitBody(BaseModel):
    """Body of ``POST /api/datasets/drafts/{draft_id}/commit``."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=63)
    """Dataset and table name: lower-case letters, digits and _, starting with a letter."""
    description: str | None = Field(default=None, max_length=2000)
    overrides: dict[str, str] = Field(default_factory=dict)
    """Column -> DuckDB type to read it as instead of the inferred one."""
    descriptions: dict[str, str] = Field(default_factory=dict)
    """Column -> its description."""


class ColumnPatch(BaseModel):
    """Edits of one column."""

    model_config = ConfigDict(extra="forbid")

    description: str | None = Field(default=None, max_length=2000)
    role: str | None = None


class PatchBody(BaseModel):
    """Body of ``PATCH /api/datasets/{name}``: rename and/or edit the definition."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=63)
    description: str | None = Field(default=None, max_length=2000)
    columns: dict[str, ColumnPatch] = Field(default_factory=dict)
