"""A Spark job's result on disk: Parquet and CSV under ``<artifacts dir>/jobs/<job_id>/``.

The result arrives in this process as an Arrow table (``toArrow()``: with a remote cluster,
paths written by Spark would be on the cluster's disks). Both files are written into a hidden
temporary folder that is renamed into place only when the job succeeds, so a failed or cancelled
job leaves no file, and a crash leaves only a ``.<job_id>.tmp`` folder the next start removes.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Final

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from plotwise.data.files import fsync
from plotwise.spark.models import JobFile, OutputFormat
from plotwise.sql.arrow_json import column_values
from plotwise.sql.result import ColumnSchema
from plotwise.uploads.formulas import escape_formula_array

MEDIA_TYPES: Final[dict[str, str]] = {
    "parquet": "application/vnd.apache.parquet",
    "csv": "text/csv; charset=utf-8",
}
"""Content type of each result file format."""

CSV_BATCH_ROWS: Final = 65_536
"""Rows converted and written to CSV at a time."""


def jobs_folder(artifacts_dir: Path) -> Path:
    """The folder holding one subfolder per succeeded job."""
    return artifacts_dir / "jobs"


def file_name(job_id: str, fmt: OutputFormat) -> str:
    """Download name of a job's file: ``job_1a2b....parquet``."""
    return f"{job_id}.{fmt}"


def file_path(artifacts_dir: Path, job_id: str, fmt: OutputFormat) -> Path:
    """Where a succeeded job's file lives."""
    return jobs_folder(artifacts_dir) / job_id / file_name(job_id, fmt)


def temp_folder(artifacts_dir: Path, job_id: str) -> Path:
    """A job's hidden folder while its files are written."""
    return jobs_folder(artifacts_dir) / f".{job_id}.tmp"


def remove_stale_folders(artifacts_dir: Path) -> None:
    """Delete the temporary folders of jobs a previous process left unfinished."""
    for leftover in jobs_folder(artifacts_dir).glob(".*.tmp"):
        shutil.rmtree(leftover, ignore_errors=True)


def result_columns(schema: pa.Schema) -> list[ColumnSchema]:
    """The result's columns with the DuckDB type names DuckDB gives the same Arrow types.

    Reading the (empty) table with DuckDB reuses DuckDB's own Arrow mapping, so a Spark result
    is typed exactly as the same columns from a DuckDB query are (``BIGINT``, ``VARCHAR``,
    ``TIMESTAMP WITH TIME ZONE``, ``INTEGER[]``...).
    """
    connection = duckdb.connect(":memory:")
    try:
        relation = connection.from_arrow(schema.empty_table())
        return [
            ColumnSchema(name=name, type=str(kind))
            for name, kind in zip(relation.columns, relation.types, strict=True)
        ]
    finally:
        connection.close()


def write_files(table: pa.Table, folder: Path, job_id: str) -> dict[str, Path]:
    """Write ``table`` as zstd Parquet and as CSV (with a header) into ``folder``.

    Returns:
        The written file per format.

    Raises:
        OSError: A file could not be written (disk full, permissions).
        pyarrow.ArrowException: Arrow could not encode a column.

    """
    folder.mkdir(parents=True, exist_ok=True)
    parquet = folder / file_name(job_id, "parquet")
    pq.write_table(table, parquet, compression="zstd")
    csv = folder / file_name(job_id, "csv")
    _write_csv(table, csv)
    for path in (parquet, csv):
        fsync(path)
    return {"parquet": parquet, "csv": csv}


def commit(folder: Path, target: Path) -> None:
    """Move a finished temporary folder to its final name (atomic on one file system)."""
    os.replace(folder, target)
    fsync(target.parent)


def job_files(target: Path, job_id: str, first: OutputFormat) -> list[JobFile]:
    """The `JobFile` entries of a committed job folder, ``first`` listed first."""
    formats: list[OutputFormat] = [first, "csv" if first == "parquet" else "parquet"]
    return [
        JobFile(
            format=fmt,
            name=file_name(job_id, fmt),
            url=f"/api/jobs/{job_id}/files/{fmt}",
            bytes=(target / file_name(job_id, fmt)).stat().st_size,
        )
        for fmt in formats
    ]


def read_head(path: Path, limit: int) -> pa.Table:
    """The first ``limit`` rows of a Parquet file, reading no more row groups than needed."""
    parquet = pq.ParquetFile(path)
    batches = []
    remaining = limit
    for batch in parquet.iter_batches(batch_size=min(max(limit, 1), CSV_BATCH_ROWS)):
        if remaining <= 0:
            break
        batches.append(batch.slice(0, remaining))
        remaining -= min(batch.num_rows, remaining)
    return pa.Table.from_batches(batches, schema=parquet.schema_arrow)


def _write_csv(table: pa.Table, path: Path) -> None:
    """Write CSV batch by batch; columns Arrow's CSV writer cannot encode become JSON text.

    Every text cell passes through `escape_formula_array`: a cell such as
    ``=cmd|' /C calc'!A0`` is written as ``'=cmd|' /C calc'!A0`` so that a spreadsheet opening
    the file shows it instead of running it (OWASP's CSV injection guidance). The Parquet file
    keeps the values as they are.
    """
    textual = [not _csv_native(field.type) for field in table.schema]
    schema = pa.schema(
        [
            pa.field(field.name, pa.string()) if as_text else field
            for field, as_text in zip(table.schema, textual, strict=True)
        ]
    )
    with pa_csv.CSVWriter(str(path), schema) as writer:
        for batch in table.to_batches(max_chunksize=CSV_BATCH_ROWS):
            columns = [
                _as_text(column) if as_text else column
                for column, as_text in zip(batch.columns, textual, strict=True)
            ]
            columns = [
                escape_formula_array(column) if _is_text(column.type) else column
                for column in columns
            ]
            writer.write_batch(pa.RecordBatch.from_arrays(columns, schema=schema))


def _is_text(kind: pa.DataType) -> bool:
    """Whether a column holds text (whose cells could start like a formula)."""
    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


def _csv_native(kind: pa.DataType) -> bool:
    """Whether Arrow's CSV writer writes this type as a plain value."""
    return any(
        check(kind)
        for check in (
            pa.types.is_integer,
            pa.types.is_floating,
            pa.types.is_boolean,
            pa.types.is_string,
            pa.types.is_large_string,
            pa.types.is_decimal,
            pa.types.is_date,
            pa.types.is_timestamp,
            pa.types.is_time,
            pa.types.is_null,
        )
    )


def _as_text(column: pa.Array) -> pa.Array:
    """A column as text: JSON for lists, structs and maps; the JSON rows' spelling otherwise."""
    values = column_values(column)
    return pa.array(
        [
            None if value is None else value if isinstance(value, str) else json.dumps(value)
            for value in values
        ],
        pa.string(),
    )
