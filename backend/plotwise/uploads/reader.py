"""The DuckDB reader of an uploaded file, on a connection locked down to that file alone."""

from __future__ import annotations

from pathlib import Path

import duckdb

from plotwise.data.catalog import _lock_down
from plotwise.data.files import sql_literal
from plotwise.errors import UploadError
from plotwise.settings import Settings
from plotwise.uploads.textcheck import MAX_LINE_BYTES

NULL_MARKERS = ("NA", "", "null", "NULL", "N/A")
"""Cell texts read as missing values."""


def source_sql(path: Path, file_format: str) -> str:
    """The table function that reads ``path`` in ``file_format``, with type auto-detection.

    Delimited text is read with a header, ``"`` quotes, the null markers of `NULL_MARKERS`
    and a full scan for types (``sample_size = -1``), so a late odd value cannot break a type
    guessed from the first rows. An Excel sheet was already converted to Parquet (see
    `plotwise.uploads.excel`), which ``path`` then is.

    Raises:
        UploadError: ``file_format`` is not one this module reads.

    """
    literal = sql_literal(str(path.resolve()))
    if file_format in ("csv", "tsv"):
        delimiter = "\\t" if file_format == "tsv" else ","
        nulls = ", ".join(sql_literal(marker) for marker in NULL_MARKERS)
        return (
            f"read_csv({literal}, header = true, delim = E'{delimiter}', quote = '\"', "
            f"escape = '\"', nullstr = [{nulls}], sample_size = -1, strict_mode = true, "
            f"max_line_size = {MAX_LINE_BYTES})"
        )
    if file_format in ("parquet", "xlsx"):
        return f"read_parquet({literal})"
    if file_format == "json":
        return f"read_json({literal}, format = 'array', sample_size = -1)"
    if file_format == "ndjson":
        return f"read_json({literal}, format = 'newline_delimited', sample_size = -1)"
    raise UploadError(f"{file_format} files cannot be read")


def open_reader(settings: Settings, files: list[Path]) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that may touch only ``files``, locked like the catalog's engine.

    Raises:
        UploadError: The engine could not be set up.

    """
    data_dir = settings.resolved_data_dir()
    connection = duckdb.connect(":memory:")
    try:
        _lock_down(
            connection, settings, data_dir, {str(i): path.resolve() for i, path in enumerate(files)}
        )
    except (duckdb.Error, OSError) as error:
        connection.close()
        raise UploadError(f"could not open a reader for the upload: {error}") from error
    return connection


def read_problem(error: duckdb.Error, names: dict[Path, str]) -> str:
    """The first line of a DuckDB reader error, which names the problem (and the line).

    Args:
        error: What DuckDB raised.
        names: Files the message may name, each mapped to the name the user knows it by: the
            server's paths are not shown.

    """
    text = str(error).strip()
    first = text.splitlines()[0] if text else type(error).__name__
    for path, name in names.items():
        first = first.replace(str(path.resolve()), name).replace(str(path), name)
    return first
