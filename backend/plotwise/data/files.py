"""File plumbing shared by the dataset loaders: a cross-process lock and atomic Parquet writes.

Every loader follows the same protocol, so that a file under its final name is always complete
and concurrent first starts are safe:

1. Fast path without a lock: if every Parquet file exists, use them.
2. Otherwise take an exclusive ``flock`` on ``<folder>/.lock``, delete temporary files a crashed
   run left behind, and write only what is still missing.
3. Write each file to ``.<table>.<random>.tmp``, check its row count, fsync, ``os.replace`` it
   into place and fsync the folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import duckdb

from plotwise.errors import DatasetError


def table_paths(data_dir: Path, subdir: str, tables: Iterable[str]) -> dict[str, Path]:
    """Where a dataset's tables live: table -> ``<data_dir>/<subdir>/<table>.parquet`` (absolute).

    The files need not exist yet; the order is ``tables``'.
    """
    folder = data_dir.expanduser().resolve() / subdir
    return {table: folder / f"{table}.parquet" for table in tables}


@contextlib.contextmanager
def exclusive_lock(lock_path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``lock_path`` (created if missing) for the block.

    Args:
        lock_path: The lock file; its folder must exist.

    Raises:
        DatasetError: The lock file cannot be created.

    """
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise DatasetError(f"cannot create the lock file {lock_path}: {error}") from error
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        # Closing the descriptor releases the lock, also after an exception.
        os.close(fd)


def make_folder(folder: Path) -> None:
    """Create a data folder and its parents.

    Raises:
        DatasetError: The folder cannot be created (read-only disk, permissions).

    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DatasetError(f"cannot create the data folder {folder}: {error}") from error


def remove_stale_temp_files(folder: Path) -> None:
    """Delete temporary files (``.*.tmp``) a crashed conversion left behind.

    Call it with the folder's lock held: another process's temporary files are live.
    """
    for leftover in folder.glob(".*.tmp"):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def temp_file(folder: Path, stem: str, suffix: str = ".tmp") -> Path:
    """Create an empty temporary file ``.<stem>.<random><suffix>`` in ``folder``.

    The name starts with a dot and ends in ``.tmp``, so `remove_stale_temp_files` finds it if
    the process dies before it is renamed or deleted.
    """
    fd, name = tempfile.mkstemp(dir=folder, prefix=f".{stem}.", suffix=suffix)
    os.close(fd)
    return Path(name)


def write_parquet_atomically(
    con: duckdb.DuckDBPyConnection,
    select_sql: str,
    target: Path,
    *,
    expected_rows: int | range,
    label: str,
) -> int:
    """Write the result of a SELECT to ``target`` as zstd Parquet, all or nothing.

    Args:
        con: A DuckDB connection with external access (not the locked-down catalog).
        select_sql: The query whose rows become the file.
        target: Final path of the Parquet file; replaced if it exists.
        expected_rows: The row count the file must have (an int), or the range it must fall in.
        label: Names the table in error messages, e.g. ``"penguins table 'penguins'"``.

    Returns:
        The number of rows written.

    Raises:
        DatasetError: The query failed, the row count is not the expected one, or the file
            could not be written; no file is left under ``target``'s name or a temporary one.

    """
    temp_parquet: Path | None = None
    try:
        temp_parquet = temp_file(target.parent, target.stem)
        con.execute(
            f"COPY ({select_sql}) TO {sql_literal(str(temp_parquet))} "
            "(FORMAT parquet, COMPRESSION zstd)"
        )
        rows = con.execute("SELECT count(*) FROM read_parquet(?)", [str(temp_parquet)]).fetchall()
        count = int(rows[0][0])
        if isinstance(expected_rows, int):
            allowed, wanted = range(expected_rows, expected_rows + 1), str(expected_rows)
        else:
            allowed = expected_rows
            wanted = f"{expected_rows.start} to {expected_rows.stop - 1}"
        if count not in allowed:
            raise DatasetError(f"{label} converted to {count} rows, expected {wanted}")
        fsync(temp_parquet)
        os.replace(temp_parquet, target)
        temp_parquet = None
        fsync(target.parent)
        return count
    except (duckdb.Error, OSError) as error:
        raise DatasetError(f"could not write {label} to {target}: {error}") from error
    finally:
        if temp_parquet is not None:
            temp_parquet.unlink(missing_ok=True)


def write_text_atomically(target: Path, text: str, *, mode: int = 0o644) -> None:
    """Replace a small text file (a manifest) all at once: temp file, fsync, rename.

    Args:
        target: The file; its folder must exist.
        text: The whole new content (UTF-8).
        mode: Its permissions: 0o644 like the Parquet files beside it, 0o600 for secrets.

    Raises:
        DatasetError: The file could not be written.

    """
    temp: Path | None = None
    try:
        temp = temp_file(target.parent, target.name.lstrip("."))  # created 0600 by mkstemp
        temp.chmod(mode)
        temp.write_text(text, encoding="utf-8")
        fsync(temp)
        os.replace(temp, target)
        temp = None
        fsync(target.parent)
    except OSError as error:
        raise DatasetError(f"could not write {target}: {error}") from error
    finally:
        if temp is not None:
            temp.unlink(missing_ok=True)


def fsync(path: Path) -> None:
    """Flush a file's or folder's contents to disk, so a rename never exposes an empty file."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sql_literal(text: str) -> str:
    """Quote text as a SQL string literal (COPY targets cannot be bound parameters)."""
    return "'" + text.replace("'", "''") + "'"


def sql_identifier(name: str) -> str:
    """Quote a name as a SQL identifier (table and column names from definitions)."""
    return '"' + name.replace('"', '""') + '"'
