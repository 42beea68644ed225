"""One-time conversion of the Palmer penguins CSV (PyPI package palmerpenguins) to Parquet.

The package's ``__init__`` imports pandas (about half a second) only to offer a DataFrame
loader, so the CSV file is located with ``importlib.util.find_spec`` (which finds a top-level
package without importing it) and read by DuckDB directly.

Column types follow ``fixtures/datasets/penguins.yaml``. Missing measurements and sexes are the
string ``NA`` in the CSV and become NULL.
"""

from __future__ import annotations

import contextlib
import importlib.util
from pathlib import Path
from typing import Final

import duckdb

from plotwise.data.files import (
    exclusive_lock,
    make_folder,
    remove_stale_temp_files,
    sql_literal,
    table_paths,
    write_parquet_atomically,
)
from plotwise.errors import DatasetError

SUBDIR: Final = "penguins"
"""Folder under the data directory that holds the Parquet file."""

TABLE: Final = "penguins"
"""The dataset's one table."""

COLUMNS: Final[dict[str, str]] = {
    "species": "VARCHAR",
    "island": "VARCHAR",
    "bill_length_mm": "DOUBLE",
    "bill_depth_mm": "DOUBLE",
    "flipper_length_mm": "INTEGER",
    "body_mass_g": "INTEGER",
    "sex": "VARCHAR",
    "year": "INTEGER",
}
"""The table's columns in CSV order, mapped to their DuckDB type."""

ROW_COUNT: Final = 344
"""Penguins in the CSV; a conversion that yields another count is refused."""


def parquet_paths(data_dir: Path) -> dict[str, Path]:
    """Return where the table's Parquet file lives, whether or not it exists yet.

    Args:
        data_dir: Plotwise's data directory.

    Returns:
        ``{"penguins": <data_dir>/penguins/penguins.parquet}`` (absolute path).

    """
    return table_paths(data_dir, SUBDIR, [TABLE])


def ensure_penguins(data_dir: Path) -> dict[str, Path]:
    """Convert the penguins CSV to Parquet unless that was done before.

    Idempotent and safe for concurrent starts: the file is written under a temporary name,
    checked for its row count and renamed into place while holding an exclusive ``flock`` on
    ``<data_dir>/penguins/.lock`` (see `plotwise.data.files`).

    Args:
        data_dir: Plotwise's data directory; created if missing.

    Returns:
        Table name -> absolute path of its Parquet file (see `parquet_paths`).

    Raises:
        DatasetError: The package is not installed or the conversion failed.

    """
    paths = parquet_paths(data_dir)
    target = paths[TABLE]
    if target.is_file():
        return paths
    make_folder(target.parent)
    with exclusive_lock(target.parent / ".lock"):
        remove_stale_temp_files(target.parent)
        if not target.is_file():
            csv_path = _csv_path()
            with contextlib.closing(duckdb.connect(":memory:")) as con:
                con.execute("SET enable_progress_bar_print=false")
                write_parquet_atomically(
                    con,
                    _select_sql(csv_path),
                    target,
                    expected_rows=ROW_COUNT,
                    label=f"penguins table {TABLE!r}",
                )
    return paths


def _csv_path() -> Path:
    """Return the package's ``data/penguins.csv`` without importing the package."""
    spec = importlib.util.find_spec("palmerpenguins")
    if spec is None or not spec.submodule_search_locations:
        raise DatasetError(
            "the palmerpenguins package is not installed (pip install palmerpenguins)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "penguins.csv"
    if not path.is_file():
        raise DatasetError(f"the palmerpenguins package has no {path}")
    return path


def _select_sql(csv_path: Path) -> str:
    """Return the SELECT that reads the CSV with explicit types (``NA`` -> NULL)."""
    struct = ", ".join(f"'{name}': '{kind}'" for name, kind in COLUMNS.items())
    return (
        f"SELECT {', '.join(COLUMNS)} FROM read_csv({sql_literal(str(csv_path))}, "
        "header = true, auto_detect = false, delim = ',', quote = '\"', nullstr = 'NA', "
        f"columns = {{{struct}}})"
    )
