"""Commit a reviewed `UploadDraft` as Parquet under ``<data dir>/uploads/<dataset>/``."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import duckdb

from plotwise.data.files import sql_literal
from plotwise.errors import UploadError
from plotwise.settings import Settings
from plotwise.uploads.formats import remove_tree
from plotwise.uploads.inspect import UPLOADS_SUBDIR, UploadDraft, select_list
from plotwise.uploads.names import check_name
from plotwise.uploads.reader import open_reader, read_problem, source_sql

OVERRIDE_TYPES = re.compile(
    r"VARCHAR|BOOLEAN|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|FLOAT|DOUBLE|DATE|TIME|TIMESTAMP"
    r"|TIMESTAMPTZ|DECIMAL\(\d{1,2}, ?\d{1,2}\)"
)
"""Types a review may give a column (anything else could smuggle SQL into the cast)."""


def commit_upload(
    draft: UploadDraft,
    table_name: str,
    settings: Settings,
    *,
    dataset: str | None = None,
    overrides: dict[str, str] | None = None,
) -> Path:
    """Write the draft's table as Parquet, atomically; on success the staging folder goes.

    Args:
        draft: From `inspect_upload`, its ``source`` still in place.
        table_name: The reviewed table name (a lower-case identifier).
        settings: Uses ``data_dir`` and the DuckDB limits.
        dataset: Dataset folder name; ``table_name`` if None.
        overrides: Column name to DuckDB type (e.g. ``{"zip": "VARCHAR"}``) from the review.

    Returns:
        ``<data dir>/uploads/<dataset>/<table_name>.parquet``.

    Raises:
        UploadError: A name or override is not allowed, or a value does not fit its type (the
            column is named). No file is left behind.

    """
    check_name(table_name, "table")
    dataset = check_name(dataset or table_name, "dataset")
    overrides = {name: kind.strip().upper() for name, kind in (overrides or {}).items()}
    known = {column.name for column in draft.columns}
    for name, kind in overrides.items():
        if name not in known:
            raise UploadError(f"the override names column {name!r}, which the file does not have")
        if not OVERRIDE_TYPES.fullmatch(kind):
            raise UploadError(f"the override type {kind!r} of column {name!r} is not allowed")
    uploads = settings.resolved_data_dir() / UPLOADS_SUBDIR
    folder = uploads / dataset
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{table_name}.parquet"
    temporary = folder / f".{table_name}.{uuid.uuid4().hex}.tmp"
    try:
        _write(draft, temporary, settings, overrides)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        if created:
            remove_tree(folder)
        raise
    remove_tree(draft.staging)
    return target


def _write(draft: UploadDraft, target: Path, settings: Settings, overrides: dict[str, str]) -> None:
    """COPY the reviewed SELECT into ``target`` as Parquet on a connection locked to both files."""
    connection = open_reader(settings, [draft.source, target])
    try:
        connection.execute(
            f"CREATE TEMP VIEW upload AS SELECT * FROM {source_sql(draft.source, draft.format)}"
        )
        connection.execute(
            f"COPY (SELECT {select_list(draft.columns, overrides)} FROM upload) "
            f"TO {sql_literal(str(target))} (FORMAT parquet)"
        )
    except duckdb.Error as error:
        raise UploadError(f"the table could not be written: {read_problem(error)}") from error
    finally:
        connection.close()
