"""One generation of the catalog: a locked engine and the file set it was opened over.

A dataset change never alters a generation (a locked engine cannot change); it opens a new one
with `open_generation` and the catalog swaps it in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb

from plotwise.data.engine import describe_tables, open_engine
from plotwise.errors import ConflictError, DatasetError
from plotwise.settings import Settings
from plotwise.sql.result import ColumnSchema


@dataclass(frozen=True)
class Generation:
    """One engine and the file set it was opened over; replaced whole by a dataset change."""

    connection: duckdb.DuckDBPyConnection
    datasets: dict[str, dict[str, Path]]
    """Dataset name -> (table name -> Parquet file), in load order."""
    columns: dict[str, list[ColumnSchema]]

    @property
    def files(self) -> dict[str, Path]:
        """Table name -> Parquet file, over all datasets."""
        return {table: path for files in self.datasets.values() for table, path in files.items()}

    def data_version(self) -> str:
        """Short hash of the Parquet files: names, sizes and modification times.

        Recomputed on every call (a few ``stat`` calls), so it changes as soon as a file is
        replaced, added or removed; equal data on disk gives the same value across processes
        and restarts.
        """
        digest = hashlib.sha256()
        files = self.files
        for table in sorted(files):
            path = files[table]
            try:
                stat = path.stat()
                digest.update(f"{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
            except OSError:
                digest.update(f"{path.name}\0missing\n".encode())
        return digest.hexdigest()[:12]


def open_generation(settings: Settings, datasets: dict[str, dict[str, Path]]) -> Generation:
    """Open and lock an engine over the datasets' files and describe their tables.

    Raises:
        DatasetError: A file cannot be read as a table, or the engine not set up.

    """
    files = {table: path for tables in datasets.values() for table, path in tables.items()}
    try:
        connection = open_engine(settings, files, settings.resolved_data_dir())
    except (duckdb.Error, OSError) as error:
        raise DatasetError(f"could not set up the DuckDB catalog: {error}") from error
    try:
        columns = describe_tables(connection, list(files))
    except (duckdb.Error, OSError) as error:
        connection.close()
        raise DatasetError(f"could not set up the DuckDB catalog: {error}") from error
    return Generation(connection, datasets, columns)


def check_new_dataset(
    datasets: Mapping[str, Mapping[str, Path]],
    name: str,
    files: Mapping[str, Path],
    error: type[DatasetError] | type[ConflictError],
) -> None:
    """Refuse a dataset whose name or a table name a loaded dataset already has.

    Raises:
        DatasetError or ConflictError (``error``): The name or a table name is taken, or the
            dataset has no table.

    """
    if name in datasets:
        raise error(f"a dataset named {name!r} is already loaded")
    if not files:
        raise error(f"dataset {name!r} has no table")
    for table in files:
        for other, tables in datasets.items():
            if any(known.lower() == table.lower() for known in tables):
                raise error(f"table {table!r} of dataset {name!r} is already in dataset {other!r}")
