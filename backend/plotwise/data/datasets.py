"""The bundled datasets Plotwise can load, by name, and how each one reaches disk.

Each dataset has a loader that makes its Parquet files on first start (idempotent, safe for
concurrent starts) and returns table name -> file. Table names are global in the catalog, so
no two datasets may share one; `ensure_datasets` checks that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from plotwise.data import nycflights13, penguins, tpch
from plotwise.errors import DatasetError
from plotwise.settings import Settings


@dataclass(frozen=True)
class BundledDataset:
    """One dataset that ships with Plotwise (or is generated from a package that does)."""

    name: str
    """Name used in ``PLOTWISE_DATASETS`` and in the dataset definition (``name:``)."""
    tables: tuple[str, ...]
    """Its table names, as registered in the catalog."""
    ensure: Callable[[Path, Settings], dict[str, Path]]
    """Makes the Parquet files under a data directory if needed; returns table -> file."""


DATASETS: dict[str, BundledDataset] = {
    "nycflights13": BundledDataset(
        "nycflights13",
        tuple(nycflights13.TABLES),
        lambda data_dir, _settings: nycflights13.ensure_nycflights13(data_dir),
    ),
    "penguins": BundledDataset(
        "penguins",
        (penguins.TABLE,),
        lambda data_dir, _settings: penguins.ensure_penguins(data_dir),
    ),
    "tpch": BundledDataset(
        "tpch",
        tuple(tpch.TABLES),
        lambda data_dir, settings: tpch.ensure_tpch(data_dir, settings.tpch_scale_factor),
    ),
}
"""Every known dataset by name."""


def ensure_datasets(settings: Settings) -> dict[str, dict[str, Path]]:
    """Make sure the Parquet files of every dataset in ``settings.datasets`` exist.

    Args:
        settings: Uses ``datasets``, ``data_dir`` and ``tpch_scale_factor``.

    Returns:
        Dataset name -> (table name -> absolute Parquet path), in ``settings.datasets`` order.

    Raises:
        DatasetError: A name is not a known dataset (the message lists the known ones), two
            datasets define the same table name, or a dataset's files could not be made.

    """
    unknown = [name for name in settings.datasets if name not in DATASETS]
    if unknown:
        raise DatasetError(
            f"unknown dataset {', '.join(map(repr, unknown))} in PLOTWISE_DATASETS; "
            f"known datasets: {', '.join(DATASETS)}"
        )
    owner: dict[str, str] = {}
    for name in settings.datasets:
        for table in DATASETS[name].tables:
            if table in owner:
                raise DatasetError(
                    f"datasets {owner[table]!r} and {name!r} both have a table {table!r}"
                )
            owner[table] = name
    data_dir = settings.resolved_data_dir()
    return {name: DATASETS[name].ensure(data_dir, settings) for name in settings.datasets}
