"""An upload read for review (`UploadDraft`), and its JSON kept in its staging folder."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, JsonValue, ValidationError, computed_field

from plotwise.errors import NotFoundError
from plotwise.settings import Settings
from plotwise.uploads.formats import Format
from plotwise.uploads.staging import DRAFT_FILE, draft_folder, is_inside, staging_dir


class UploadColumn(BaseModel):
    """One column of an uploaded file as inferred."""

    name: str
    """Column name from the file's header or keys."""
    type: str
    """Inferred DuckDB type (``BIGINT``, ``DOUBLE``, ``DATE``, ``VARCHAR``...)."""
    null_count: int
    """Missing values, counting the null markers ``NA``, ``""``, ``null``, ``NULL``, ``N/A``."""
    examples: list[JsonValue]
    """Up to three distinct non-null values from the first rows, JSON-safe."""
    thousands: bool = False
    """Text like ``1,234`` read as a number: ``,`` is removed before the cast."""
    formula_cells: int = 0
    """Text cells starting with ``=``, ``+``, ``-``, ``@``, tab, CR or LF: kept as data, but
    CSV exports must pass them through `escape_formula`."""


class UploadDraft(BaseModel):
    """An uploaded file read for review, not yet committed (see `commit_upload`)."""

    original_name: str
    """The base name the file was uploaded under (untrusted; never used as a path)."""
    table_name: str
    """Suggested table (and dataset) name, sanitized from the file name."""
    format: Format
    """Format of the content (of the expanded file for a ``.gz`` / ``.zip`` upload)."""
    source: Path
    """The file to read at commit: the upload, its expanded copy, or the sheet as Parquet."""
    staging: Path
    """This draft's folder ``<data dir>/uploads/.staging/<draft_id>`` (deleted at commit)."""
    row_count: int
    """Rows in the file."""
    columns: list[UploadColumn]
    """Columns in file order."""
    preview: list[list[JsonValue]]
    """First rows, JSON-safe, in column order (thousands already read as numbers)."""
    problems: list[str]
    """Notes for the review: formula-looking cells, empty columns, an encoding fallback,
    other sheets of a workbook, workbook columns of mixed kinds."""
    size_bytes: int = 0
    """Size of the file as uploaded (compressed, if it was), in bytes."""
    encoding: str | None = None
    """Text encoding it was read in (``utf-8`` or ``cp1252``); None for binary formats."""
    sheet: str | None = None
    """The workbook sheet that was read (Excel only)."""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def draft_id(self) -> str:
        """The id of the draft: its staging folder's name."""
        return self.staging.name


def save_draft(draft: UploadDraft) -> None:
    """Keep the draft's JSON in its folder, for `load_draft` in a later request."""
    path = draft.staging / DRAFT_FILE
    temporary = path.with_suffix(".tmp")
    temporary.write_text(draft.model_dump_json(), encoding="utf-8")
    temporary.replace(path)


def load_draft(draft_id: str, settings: Settings) -> UploadDraft:
    """The draft staged as ``draft_id`` (by `inspect_upload`).

    Raises:
        NotFoundError: No such draft, or its JSON is missing or does not belong to its folder.

    """
    folder = draft_folder(draft_id, settings)
    try:
        draft = UploadDraft.model_validate_json((folder / DRAFT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValidationError) as error:
        raise NotFoundError(
            f"upload draft {draft_id!r} does not exist (committed, discarded, or older than an "
            "hour); upload the file again"
        ) from error
    if draft.staging != folder or not is_inside(draft.staging, staging_dir(settings)):
        raise NotFoundError(f"no upload draft {draft_id!r}")
    return draft
