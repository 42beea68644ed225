"""Inspect an uploaded file into an `UploadDraft`: inferred types, nulls, examples, preview."""

from __future__ import annotations

import uuid
from pathlib import Path

import duckdb
from pydantic import BaseModel, JsonValue

from plotwise.data.files import sql_identifier
from plotwise.errors import UploadError
from plotwise.settings import Settings
from plotwise.sql.arrow_json import column_values, table_rows
from plotwise.uploads.formats import Format, check_size, detect_format, expand, remove_tree
from plotwise.uploads.formulas import FORMULA_PREFIXES
from plotwise.uploads.names import base_name, suggest_name
from plotwise.uploads.reader import open_reader, read_problem, source_sql
from plotwise.uploads.textcheck import check_delimited

UPLOADS_SUBDIR = "uploads"
"""Folder of the data directory that holds uploaded datasets (``<dataset>/<table>.parquet``)."""

STAGING_SUBDIR = ".staging"
"""Folder under `UPLOADS_SUBDIR` for expanded uploads awaiting review."""

PREVIEW_ROWS = 20
"""Rows of the first-rows preview."""

EXAMPLES = 3
"""Distinct example values per column."""

_THOUSANDS = r"-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?|-?[0-9]+(\.[0-9]+)?"
"""A number written with ``,`` thousands separators (or without any)."""


class UploadColumn(BaseModel):
    """One column of an uploaded file as inferred."""

    name: str
    """Column name from the file's header or keys."""
    type: str
    """Inferred DuckDB type (``BIGINT``, ``DOUBLE``, ``DATE``, ``VARCHAR``...)."""
    null_count: int
    """Missing values, counting the null markers ``NA``, ``""``, ``null``, ``NULL``, ``N/A``."""
    examples: list[JsonValue]
    """Up to three distinct non-null values, JSON-safe."""
    thousands: bool = False
    """Text like ``1,234`` read as a number: ``,`` is removed before the cast."""
    formula_cells: int = 0
    """Text cells starting with ``=``, ``+``, ``-``, ``@``, tab or CR: kept as data, but CSV
    exports must pass them through `escape_formula`."""


class UploadDraft(BaseModel):
    """An uploaded file read for review, not yet committed (see `commit_upload`)."""

    original_name: str
    """The name the file was uploaded under (untrusted; never used as a path)."""
    table_name: str
    """Suggested table (and dataset) name, sanitized from the file name."""
    format: Format
    """Format of the content."""
    source: Path
    """The file to read at commit: the upload itself or its expanded copy in staging."""
    staging: Path
    """This draft's staging folder under ``<data dir>/uploads/.staging`` (deleted at commit)."""
    row_count: int
    """Rows in the file."""
    columns: list[UploadColumn]
    """Columns in file order."""
    preview: list[list[JsonValue]]
    """First rows, JSON-safe, in column order (thousands already read as numbers)."""
    problems: list[str]
    """Warnings for the review (formula-looking cells, empty columns, no rows)."""


def inspect_upload(path: Path, original_name: str, settings: Settings) -> UploadDraft:
    """Read an uploaded file for review.

    Args:
        path: Where the upload was saved; it is only read.
        original_name: The name the client gave it; only its base name's extension is used.
        settings: Uses ``data_dir``, ``max_upload_mb`` and the DuckDB limits.

    Returns:
        The draft: types, null counts, examples, preview, row count and warnings.

    Raises:
        UploadError: The file is empty, too large, a compressed bomb, of a format its
            extension does not name, or malformed (the line is named). Nothing is kept.

    """
    name = base_name(original_name)
    check_size(path, settings)
    staging = settings.resolved_data_dir() / UPLOADS_SUBDIR / STAGING_SUBDIR / uuid.uuid4().hex
    staging.mkdir(parents=True)
    try:
        source, inner_name = expand(path, name, staging, settings)
        file_format = detect_format(source, inner_name)
        if file_format in ("csv", "tsv"):
            check_delimited(source, "\t" if file_format == "tsv" else ",")
        return _read_draft(source, file_format, name, staging, settings)
    except BaseException:
        remove_tree(staging)
        raise


def _read_draft(
    source: Path, file_format: Format, name: str, staging: Path, settings: Settings
) -> UploadDraft:
    """Run DuckDB's reader over the checked file and describe what it found."""
    connection = open_reader(settings, [source])
    try:
        connection.execute(
            f"CREATE TEMP VIEW upload AS SELECT * FROM {source_sql(source, file_format)}"
        )
        described = connection.execute("DESCRIBE upload").fetchall()
        row_count = connection.execute("SELECT count(*) FROM upload").fetchone()[0]
        columns = [_column(connection, str(row[0]), str(row[1]), row_count) for row in described]
        preview = table_rows(
            connection.execute(
                f"SELECT {select_list(columns)} FROM upload LIMIT {PREVIEW_ROWS}"
            ).to_arrow_table()
        )
    except duckdb.Error as error:
        raise UploadError(
            f"the file cannot be read as {file_format.upper()}: {read_problem(error)}"
        ) from error
    finally:
        connection.close()
    return UploadDraft(
        original_name=name,
        table_name=suggest_name(name),
        format=file_format,
        source=source,
        staging=staging,
        row_count=row_count,
        columns=columns,
        preview=preview,
        problems=_problems(columns, row_count),
    )


def _column(connection: duckdb.DuckDBPyConnection, name: str, kind: str, rows: int) -> UploadColumn:
    """Null count, examples, thousands and formula checks of one column."""
    column = sql_identifier(name)
    nulls = connection.execute(f"SELECT count(*) - count({column}) FROM upload").fetchone()[0]
    thousands = False
    formulas = 0
    if kind == "VARCHAR":
        prefixes = ", ".join(f"'{prefix}'" for prefix in FORMULA_PREFIXES)
        numeric, with_comma, formulas = connection.execute(
            f"SELECT count_if(regexp_full_match({column}, '{_THOUSANDS}')), "
            f"count_if(contains({column}, ',')), "
            f"count_if(left({column}, 1) IN ({prefixes})) FROM upload"
        ).fetchone()
        if with_comma and numeric == rows - nulls:
            thousands = True
            decimals = connection.execute(
                f"SELECT count_if(contains({column}, '.')) FROM upload"
            ).fetchone()[0]
            kind = "DOUBLE" if decimals else "BIGINT"
    expression = _read_expression(name, kind, thousands=thousands)
    examples = connection.execute(
        f"SELECT DISTINCT {expression} AS v FROM upload WHERE {column} IS NOT NULL "
        f"ORDER BY v LIMIT {EXAMPLES}"
    ).to_arrow_table()
    return UploadColumn(
        name=name,
        type=kind,
        null_count=nulls,
        examples=column_values(examples.column(0)),
        thousands=thousands,
        formula_cells=formulas,
    )


def _read_expression(name: str, kind: str, *, thousands: bool, override: str | None = None) -> str:
    """SQL that reads a column of the upload view as its reviewed type."""
    column = sql_identifier(name)
    if thousands:
        column = f"replace({column}, ',', '')"
    target = override or (kind if thousands else None)
    return f"CAST({column} AS {target})" if target else column


def select_list(columns: list[UploadColumn], overrides: dict[str, str] | None = None) -> str:
    """The SELECT list that turns the upload view into the reviewed table."""
    overrides = overrides or {}
    return ", ".join(
        f"{_read_expression(c.name, c.type, thousands=c.thousands, override=overrides.get(c.name))}"
        f" AS {sql_identifier(c.name)}"
        for c in columns
    )


def _problems(columns: list[UploadColumn], rows: int) -> list[str]:
    """Warnings for the review."""
    problems = [] if rows else ["the file has a header but no rows"]
    for column in columns:
        if column.formula_cells:
            problems.append(
                f"column {column.name!r} has {column.formula_cells} cells that start like a "
                "spreadsheet formula (=, +, -, @); they are kept as text and escaped in CSV exports"
            )
        if rows and column.null_count == rows:
            problems.append(f"column {column.name!r} is empty in every row")
    return problems
