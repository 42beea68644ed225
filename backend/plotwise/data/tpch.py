"""TPC-H tables generated on first start with ``tpchgen-cli`` (PyPI, Apache-2.0), as Parquet.

``tpchgen-cli`` is a Rust program; its wheel installs the binary as a script next to the
interpreter (``<venv>/bin/tpchgen-cli``), so generation needs no network and no activated
virtual environment. It has no Python module, so it is run as a subprocess.

The generator writes money and quantity columns as ``DECIMAL(15,2)``. They are cast to DOUBLE
here: results go to the browser as JSON numbers anyway, and DOUBLE keeps aggregates and ratios
(``sum``, ``avg``, shares of a total) of one simple type, where DECIMAL arithmetic widens the
type with every operation. The rounding error of a DOUBLE sum at these sizes is far below a
cent. Keys stay BIGINT, dates DATE, flags and names VARCHAR, with the standard TPC-H names.

The generated data depends only on the scale factor (the generator is deterministic). The scale
factor of the files on disk is kept in ``<data_dir>/tpch/.scale_factor``; files of another scale
factor are regenerated.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
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
    write_text_atomically,
)
from plotwise.errors import DatasetError

SUBDIR: Final = "tpch"
"""Folder under the data directory that holds the Parquet files."""

GENERATOR: Final = "tpchgen-cli"
"""Name of the generator's executable."""

MANIFEST: Final = ".scale_factor"
"""File in the dataset folder holding the scale factor the Parquet files were generated at."""

GENERATE_TIMEOUT_S: Final = 3600.0
"""Upper bound for one generator run (SF 1 takes about 7 s on two cores)."""

TABLES: Final[dict[str, dict[str, str]]] = {
    "region": {"r_regionkey": "BIGINT", "r_name": "VARCHAR", "r_comment": "VARCHAR"},
    "nation": {
        "n_nationkey": "BIGINT",
        "n_name": "VARCHAR",
        "n_regionkey": "BIGINT",
        "n_comment": "VARCHAR",
    },
    "supplier": {
        "s_suppkey": "BIGINT",
        "s_name": "VARCHAR",
        "s_address": "VARCHAR",
        "s_nationkey": "BIGINT",
        "s_phone": "VARCHAR",
        "s_acctbal": "DOUBLE",
        "s_comment": "VARCHAR",
    },
    "customer": {
        "c_custkey": "BIGINT",
        "c_name": "VARCHAR",
        "c_address": "VARCHAR",
        "c_nationkey": "BIGINT",
        "c_phone": "VARCHAR",
        "c_acctbal": "DOUBLE",
        "c_mktsegment": "VARCHAR",
        "c_comment": "VARCHAR",
    },
    "part": {
        "p_partkey": "BIGINT",
        "p_name": "VARCHAR",
        "p_mfgr": "VARCHAR",
        "p_brand": "VARCHAR",
        "p_type": "VARCHAR",
        "p_size": "INTEGER",
        "p_container": "VARCHAR",
        "p_retailprice": "DOUBLE",
        "p_comment": "VARCHAR",
    },
    "partsupp": {
        "ps_partkey": "BIGINT",
        "ps_suppkey": "BIGINT",
        "ps_availqty": "INTEGER",
        "ps_supplycost": "DOUBLE",
        "ps_comment": "VARCHAR",
    },
    "orders": {
        "o_orderkey": "BIGINT",
        "o_custkey": "BIGINT",
        "o_orderstatus": "VARCHAR",
        "o_totalprice": "DOUBLE",
        "o_orderdate": "DATE",
        "o_orderpriority": "VARCHAR",
        "o_clerk": "VARCHAR",
        "o_shippriority": "INTEGER",
        "o_comment": "VARCHAR",
    },
    "lineitem": {
        "l_orderkey": "BIGINT",
        "l_partkey": "BIGINT",
        "l_suppkey": "BIGINT",
        "l_linenumber": "INTEGER",
        "l_quantity": "DOUBLE",
        "l_extendedprice": "DOUBLE",
        "l_discount": "DOUBLE",
        "l_tax": "DOUBLE",
        "l_returnflag": "VARCHAR",
        "l_linestatus": "VARCHAR",
        "l_shipdate": "DATE",
        "l_commitdate": "DATE",
        "l_receiptdate": "DATE",
        "l_shipinstruct": "VARCHAR",
        "l_shipmode": "VARCHAR",
        "l_comment": "VARCHAR",
    },
}
"""Each table's columns in TPC-H order, mapped to the DuckDB type they are stored as."""

_FIXED_ROWS: Final = {"region": 5, "nation": 25}
"""Tables whose size does not depend on the scale factor."""

_ROWS_PER_SF: Final = {
    "supplier": 10_000,
    "customer": 150_000,
    "part": 200_000,
    "partsupp": 800_000,
    "orders": 1_500_000,
}
"""Rows at scale factor 1 of the tables that grow linearly with it (TPC-H spec, 4.2.5)."""


def parquet_paths(data_dir: Path) -> dict[str, Path]:
    """Return where each table's Parquet file lives, whether or not it exists yet.

    Args:
        data_dir: Plotwise's data directory.

    Returns:
        Table name -> absolute path ``<data_dir>/tpch/<table>.parquet``, in `TABLES` order.

    """
    return table_paths(data_dir, SUBDIR, TABLES)


def expected_rows(table: str, scale_factor: float) -> int | range:
    """Return the row count a table must have at a scale factor.

    Args:
        table: A key of `TABLES`.
        scale_factor: The TPC-H scale factor (1 is about 1 GB of text data).

    Returns:
        An exact count for region and nation; the spec's count +-1 (the generator rounds) for
        the linearly scaled tables; for lineitem, 1 to 7 lines per order of the orders table.

    """
    if table in _FIXED_ROWS:
        return _FIXED_ROWS[table]
    if table == "lineitem":
        orders = round(_ROWS_PER_SF["orders"] * scale_factor)
        return range(max(orders - 1, 0), 7 * (orders + 1) + 1)
    exact = round(_ROWS_PER_SF[table] * scale_factor)
    return range(max(exact - 1, 0), exact + 2)


def generator_path() -> Path:
    """Find the ``tpchgen-cli`` executable installed by the ``tpchgen-cli`` wheel.

    Looks in this interpreter's scripts folder first (pip puts wheel scripts there), then next
    to ``sys.executable`` (a virtual environment's ``bin`` also when it is not activated), then
    on ``PATH``.

    Raises:
        DatasetError: No executable was found.

    """
    candidates = [Path(sysconfig.get_path("scripts")), Path(sys.executable).parent]
    for folder in candidates:
        path = folder / GENERATOR
        if path.is_file() and os.access(path, os.X_OK):
            return path
    found = shutil.which(GENERATOR)
    if found:
        return Path(found)
    raise DatasetError(
        f"the {GENERATOR} program is not installed (pip install tpchgen-cli); looked in "
        f"{', '.join(str(folder) for folder in candidates)} and on PATH"
    )


def ensure_tpch(data_dir: Path, scale_factor: float = 0.01) -> dict[str, Path]:
    """Generate the eight TPC-H tables as Parquet unless files of this scale factor exist.

    Missing tables are generated into a temporary folder, rewritten with the column types of
    `TABLES` (zstd Parquet), checked for their row counts and renamed into place; the scale
    factor is recorded last. An exclusive ``flock`` on ``<data_dir>/tpch/.lock`` makes
    concurrent starts safe (see `plotwise.data.files`). If the files on disk were generated at
    another scale factor, all tables are regenerated.

    Args:
        data_dir: Plotwise's data directory; created if missing.
        scale_factor: TPC-H scale factor, > 0. At 0.01: 15,000 orders, 60,175 line items.

    Returns:
        Table name -> absolute path of its Parquet file (see `parquet_paths`).

    Raises:
        DatasetError: The scale factor is not positive, the generator is missing or failed, or
            a table came out with an unexpected row count.

    """
    if not scale_factor > 0:
        raise DatasetError(f"the TPC-H scale factor must be positive, not {scale_factor}")
    paths = parquet_paths(data_dir)
    folder = next(iter(paths.values())).parent
    manifest = folder / MANIFEST
    if _is_complete(paths, manifest, scale_factor):
        return paths
    make_folder(folder)
    with exclusive_lock(folder / ".lock"):
        remove_stale_temp_files(folder)
        if _recorded_scale_factor(manifest) != _format(scale_factor):
            # Mixed scale factors would make joins silently lose rows: start over. The manifest
            # goes first, so a crash midway leaves files that are regenerated next time.
            manifest.unlink(missing_ok=True)
            for path in paths.values():
                path.unlink(missing_ok=True)
        missing = {table: path for table, path in paths.items() if not path.is_file()}
        if missing:
            _generate(missing, folder, scale_factor)
        write_text_atomically(manifest, _format(scale_factor) + "\n")
    return paths


def _is_complete(paths: dict[str, Path], manifest: Path, scale_factor: float) -> bool:
    """True when every file exists and was generated at ``scale_factor``."""
    return _recorded_scale_factor(manifest) == _format(scale_factor) and all(
        path.is_file() for path in paths.values()
    )


def _recorded_scale_factor(manifest: Path) -> str | None:
    """Return the scale factor the manifest records, or None if there is none."""
    try:
        return manifest.read_text(encoding="utf-8").strip()
    except OSError:
        return None


def _format(scale_factor: float) -> str:
    """Spell a scale factor the same way for the manifest and the generator (``0.01``)."""
    return repr(float(scale_factor))


def _generate(missing: dict[str, Path], folder: Path, scale_factor: float) -> None:
    """Run the generator for the missing tables, then convert each file into place."""
    binary = generator_path()
    # A ".<name>.tmp" folder, so a crash leaves something remove_stale_temp_files deletes.
    scratch = Path(tempfile.mkdtemp(dir=folder, prefix=".generated.", suffix=".tmp"))
    try:
        command = [
            str(binary),
            "parquet",
            "--scale-factor",
            _format(scale_factor),
            "--output-dir",
            str(scratch),
            "--tables",
            ",".join(missing),
            "--quiet",
        ]
        try:
            completed = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=GENERATE_TIMEOUT_S,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise DatasetError(f"could not run {binary}: {error}") from error
        if completed.returncode != 0:
            detail = (completed.stderr or completed.stdout).strip()[-2000:]
            raise DatasetError(
                f"{GENERATOR} failed with exit code {completed.returncode}: {detail}"
            )
        with contextlib.closing(duckdb.connect(":memory:")) as con:
            con.execute("SET enable_progress_bar_print=false")
            for table, target in missing.items():
                generated = scratch / f"{table}.parquet"
                if not generated.is_file():
                    raise DatasetError(f"{GENERATOR} wrote no {generated.name}")
                write_parquet_atomically(
                    con,
                    _select_sql(con, table, generated),
                    target,
                    expected_rows=expected_rows(table, scale_factor),
                    label=f"TPC-H table {table!r}",
                )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _select_sql(con: duckdb.DuckDBPyConnection, table: str, generated: Path) -> str:
    """Return the SELECT that re-types one generated file, after checking its column names.

    Raises:
        DatasetError: The generator wrote other columns than `TABLES` names (a new version).

    """
    source = f"read_parquet({sql_literal(str(generated))})"
    try:
        found = [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
    except duckdb.Error as error:
        raise DatasetError(f"cannot read the generated {generated.name}: {error}") from error
    columns = TABLES[table]
    if found != list(columns):
        raise DatasetError(
            f"{GENERATOR} wrote the columns {found} for {table}, expected {list(columns)}"
        )
    select = ", ".join(f'CAST("{name}" AS {kind}) AS "{name}"' for name, kind in columns.items())
    return f"SELECT {select} FROM {source}"
