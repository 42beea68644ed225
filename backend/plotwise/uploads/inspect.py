"""Inspect an uploaded file into an `UploadDraft`: inferred types, nulls, examples, preview."""

from __future__ import annotations

from pathlib import Path

import duckdb

from plotwise.errors import UploadError
from plotwise.settings import Settings
from plotwise.uploads.draft import UploadColumn, UploadDraft, save_draft
from plotwise.uploads.excel import read_sheet
from plotwise.uploads.formats import Format, check_size, detect_format, expand
from plotwise.uploads.names import base_name, suggest_name
from plotwise.uploads.profile import profile
from plotwise.uploads.reader import open_reader, read_problem, source_sql
from plotwise.uploads.staging import folder_of, new_draft_folder, remove_tree
from plotwise.uploads.textcheck import TRANSCODED_FILE, check_delimited, transcode

__all__ = ["UploadColumn", "UploadDraft", "inspect_upload"]


def inspect_upload(
    path: Path, original_name: str, settings: Settings, *, sheet: str | None = None
) -> UploadDraft:
    """Read an uploaded file for review; the draft is kept in its staging folder.

    A file received by `receive_upload` already lies in its draft's folder
    (``<data dir>/uploads/.staging/<draft_id>/``), which the draft then uses; for a file
    elsewhere a new draft folder is made (``path`` itself is only read).

    Args:
        path: Where the upload was saved.
        original_name: The name the client gave it; only its base name is used, for the
            extension and the suggested table name (never as a path).
        settings: Uses ``data_dir``, ``max_upload_mb`` and the DuckDB limits.
        sheet: For an Excel workbook, the sheet to read; None reads the first visible one.

    Returns:
        The draft: types, null counts, examples, preview, row count and notes for review. Its
        JSON is saved in its folder for `load_draft`.

    Raises:
        UploadError: The file is empty or has no rows, is of a format its extension does not
            name, is not a table at all, or is malformed (the line is named). The draft
            folder is removed, with the received upload in it.
        UploadTooLargeError: The file, or what it expands to, is larger than
            ``PLOTWISE_MAX_UPLOAD_MB``. The draft folder is removed too.

    """
    name = base_name(original_name)
    path = path.resolve()
    folder = folder_of(path, settings)
    try:
        size = check_size(path, settings)
        folder = folder or new_draft_folder(settings)
        source, inner_name = expand(path, name, folder, settings)
        file_format = detect_format(source, inner_name)
        notes: list[str] = []
        encoding = None
        if file_format in ("csv", "tsv"):
            encoding = check_delimited(source, "\t" if file_format == "tsv" else ",").encoding
            if encoding != "utf-8":
                source = _replace(source, transcode(source, folder / TRANSCODED_FILE, encoding))
                notes.append(
                    f"the file is not UTF-8; it was read as Windows-1252 ({encoding}), the "
                    "encoding Excel on Windows saves CSV in: check the accented letters"
                )
        if file_format == "xlsx":
            sheet_read = read_sheet(source, folder, settings, sheet)
            source = _replace(source, sheet_read.path)
            sheet, notes = sheet_read.name, sheet_read.problems
        draft = _read_draft(source, file_format, name, folder, settings)
        draft.size_bytes, draft.encoding, draft.sheet = size, encoding, sheet
        draft.problems = notes + draft.problems
        save_draft(draft)
        return draft
    except BaseException:
        if folder is not None:
            remove_tree(folder)
        raise


def _replace(old: Path, new: Path) -> Path:
    """Delete a file made here (an expanded copy) that ``new`` supersedes; return ``new``."""
    if old.name.startswith("."):
        old.unlink(missing_ok=True)
    return new


def _read_draft(
    source: Path, file_format: Format, name: str, folder: Path, settings: Settings
) -> UploadDraft:
    """Run DuckDB's reader over the checked file and describe what it found."""
    connection = open_reader(settings, [source])
    try:
        connection.execute(
            f"CREATE TEMP VIEW upload AS SELECT * FROM {source_sql(source, file_format)}"
        )
        described = [(str(r[0]), str(r[1])) for r in connection.sql("DESCRIBE upload").fetchall()]
        row_count, columns, preview = profile(connection, described)
    except duckdb.Error as error:
        shown = "EXCEL" if file_format == "xlsx" else file_format.upper()
        problem = read_problem(error, {source: name})
        raise UploadError(f"the file cannot be read as {shown}: {problem}") from error
    finally:
        connection.close()
    if not row_count:
        only = " (only a header)" if file_format in ("csv", "tsv", "xlsx") else ""
        raise UploadError(f"the file has no rows{only}: there is nothing to chat about")
    return UploadDraft(
        original_name=name,
        table_name=suggest_name(name),
        format=file_format,
        source=source,
        staging=folder,
        row_count=row_count,
        columns=columns,
        preview=preview,
        problems=_problems(columns, row_count),
    )


def _problems(columns: list[UploadColumn], rows: int) -> list[str]:
    """Notes for the review: formula-looking cells, empty columns."""
    problems = []
    for column in columns:
        if column.formula_cells:
            problems.append(
                f"column {column.name!r} has {column.formula_cells} cells that start like a "
                "spreadsheet formula (=, +, -, @, tab, CR, LF); they are kept as text and "
                "escaped with a leading ' in CSV exports"
            )
        if column.null_count == rows:
            problems.append(f"column {column.name!r} is empty in every row")
    return problems
