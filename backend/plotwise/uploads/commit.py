"""Commit a reviewed `UploadDraft` as Parquet under ``<data dir>/uploads/<dataset>/``."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import duckdb

from plotwise.data.files import sql_identifier, sql_literal
from plotwise.errors import ConflictError, UploadError
from plotwise.settings import Settings
from plotwise.uploads.draft import UploadDraft
from plotwise.uploads.names import check_name
from plotwise.uploads.profile import read_expression, select_list
from plotwise.uploads.reader import open_reader, read_problem, source_sql
from plotwise.uploads.staging import is_inside, remove_tree, staging_dir, uploads_dir

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
        draft: From `inspect_upload` (or `load_draft`), its ``source`` still in place.
        table_name: The reviewed table name (a lower-case identifier).
        settings: Uses ``data_dir`` and the DuckDB limits.
        dataset: Dataset folder name; ``table_name`` if None.
        overrides: Column name to DuckDB type (e.g. ``{"zip": "VARCHAR"}``) from the review;
            the types of `OVERRIDE_TYPES` only.

    Returns:
        ``<data dir>/uploads/<dataset>/<table_name>.parquet``, whose column types are the
        draft's (or the overrides).

    Raises:
        UploadError: A name or override is not allowed (an unknown column, a type not
            allowed), or a value does not fit its override type (the column and a value are
            named). No file is left behind; the draft stays for another try.
        ConflictError: The dataset already has a table of that name.

    """
    check_name(table_name, "table")
    dataset = check_name(dataset or table_name, "dataset")
    overrides = _checked_overrides(draft, overrides or {})
    folder = uploads_dir(settings) / dataset
    target = folder / f"{table_name}.parquet"
    taken = f"the dataset {dataset!r} already has a table {table_name!r}"
    if target.exists():
        raise ConflictError(taken)
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{table_name}.{uuid.uuid4().hex}.tmp"
    try:
        _write(draft, temporary, settings, overrides)
        # A hard link, unlike a rename, never replaces a table another commit just wrote.
        os.link(temporary, target)
    except FileExistsError as error:
        raise ConflictError(taken) from error
    except BaseException:
        if created:
            remove_tree(folder)
        raise
    finally:
        temporary.unlink(missing_ok=True)
    if is_inside(draft.staging, staging_dir(settings)):
        remove_tree(draft.staging)
    return target


def _checked_overrides(draft: UploadDraft, overrides: dict[str, str]) -> dict[str, str]:
    """The overrides with their types normalised, each checked against the draft."""
    known = {column.name for column in draft.columns}
    checked = {}
    for name, kind in overrides.items():
        normal = re.sub(r"\s+", " ", kind.strip().upper())
        if name not in known:
            raise UploadError(
                f"the override names column {name!r}, which the file does not have "
                f"(its columns: {sorted(known)})"
            )
        if not OVERRIDE_TYPES.fullmatch(normal):
            raise UploadError(
                f"the override type {kind!r} of column {name!r} is not allowed; use one of "
                "VARCHAR, BOOLEAN, INTEGER, BIGINT, DOUBLE, DECIMAL(p, s), DATE, TIME, "
                "TIMESTAMP, TIMESTAMPTZ"
            )
        checked[name] = normal
    return checked


def _write(draft: UploadDraft, target: Path, settings: Settings, overrides: dict[str, str]) -> None:
    """COPY the reviewed SELECT into ``target`` as Parquet on a connection locked to both files."""
    connection = open_reader(settings, [draft.source, target])
    try:
        connection.execute(
            f"CREATE TEMP VIEW upload AS SELECT * FROM {source_sql(draft.source, draft.format)}"
        )
        _check_fit(connection, draft, overrides)
        connection.execute(
            f"COPY (SELECT {select_list(draft.columns, overrides)} FROM upload) "
            f"TO {sql_literal(str(target))} (FORMAT parquet, COMPRESSION zstd)"
        )
    except duckdb.Error as error:
        problem = read_problem(error, {draft.source: draft.original_name, target: "the table"})
        raise UploadError(f"the table could not be written: {problem}") from error
    finally:
        connection.close()


def _check_fit(
    connection: duckdb.DuckDBPyConnection, draft: UploadDraft, overrides: dict[str, str]
) -> None:
    """Refuse an override that some value does not fit, naming the column and the value."""
    for column in draft.columns:
        kind = overrides.get(column.name)
        if kind is None:
            continue
        plain = read_expression(column)
        cast = read_expression(column, kind).replace("CAST(", "TRY_CAST(", 1)
        try:
            misfit = connection.sql(
                f"SELECT {plain}::VARCHAR FROM upload "
                f"WHERE {sql_identifier(column.name)} IS NOT NULL AND {cast} IS NULL LIMIT 1"
            ).fetchall()
        except duckdb.Error as error:  # no cast at all between the two types
            raise UploadError(
                f"column {column.name!r} cannot be {kind}: {read_problem(error, {})}"
            ) from error
        if misfit:
            raise UploadError(
                f"column {column.name!r} cannot be {kind}: the value {misfit[0][0]!r} does not fit"
            )
