"""The one locked-down, in-memory DuckDB database that every query runs in, changeable at run time.

Every enabled dataset (``PLOTWISE_DATASETS``, then the uploaded ones) contributes its tables,
each under its own name; each table is a view over its Parquet file, and the engine is locked
(`plotwise.data.engine`). A locked engine's configuration cannot change, so adding, removing or
renaming a dataset opens a *new* locked engine over the new file set and swaps it in under the
lock, together with a new worker pool (`plotwise.sql.workers`): new queries see the new views at
once, while queries already running on the old pool finish there (the old pool drains, then
closes). A cursor taken before a change keeps reading the old views until it is closed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from plotwise.data.datasets import ensure_datasets
from plotwise.data.engine import TEMP_SUBDIR, open_engine
from plotwise.data.engine import lock_down as _lock_down
from plotwise.data.files import sql_identifier
from plotwise.data.generation import Generation, check_new_dataset, open_generation
from plotwise.errors import ConflictError, DatasetError, NotFoundError
from plotwise.settings import Settings
from plotwise.sql.result import ColumnSchema

if TYPE_CHECKING:
    from plotwise.sql.worker_slot import WorkerAnswer
    from plotwise.sql.workers import WorkerPool

__all__ = ["TEMP_SUBDIR", "Catalog", "_lock_down", "open_engine"]

logger = logging.getLogger(__name__)

DRAIN_MARGIN_S = 5.0
"""How much longer than ``query_timeout_s`` a replaced worker pool waits for its last queries."""


class Catalog:
    """Owns the current in-memory DuckDB database with a view per table; hands out cursors.

    Create it with `Catalog.open`. Cursors from `cursor` may be used from any thread (one
    cursor per thread and query); `close` closes the database and all its cursors. Queries of
    users do not run here but in `workers`, processes with the same views and lockdown.
    Every method is thread-safe; dataset changes are serialised.
    """

    def __init__(self, generation: Generation, settings: Settings | None = None) -> None:
        """Wrap an already set-up generation; use `Catalog.open` instead of calling this."""
        self._settings = settings or Settings()
        self._state = generation
        self._pool: WorkerPool | None = None
        self._retiring: list[WorkerPool] = []
        self._lock = threading.Lock()
        self._change_lock = threading.Lock()
        self._closed = False
        self._row_counts: dict[tuple[str, Path], int] = {}

    @classmethod
    def open(
        cls, settings: Settings, extra: Mapping[str, Mapping[str, Path]] | None = None
    ) -> Catalog:
        """Convert the data if needed, create the views and lock the engine down.

        Args:
            settings: Uses ``datasets``, ``data_dir``, ``tpch_scale_factor``,
                ``duckdb_threads``, ``duckdb_memory_limit`` and ``duckdb_temp_limit``.
            extra: More datasets to load after the bundled ones (uploads): name -> (table ->
                Parquet file).

        Returns:
            An open catalog; close it with `close` (or use it as a context manager).

        Raises:
            DatasetError: A dataset name is unknown (the message lists the known ones), two
                datasets share a name or a table name, the data could not be converted or
                generated, or the database not set up.

        """
        datasets = ensure_datasets(settings)
        for name, files in (extra or {}).items():
            check_new_dataset(datasets, name, files, DatasetError)
            datasets[name] = dict(files)
        return cls(open_generation(settings, datasets), settings)

    @property
    def tables(self) -> list[str]:
        """Names of the queryable tables of all datasets, sorted."""
        return sorted(self._state.files)

    @property
    def files(self) -> dict[str, Path]:
        """The Parquet file of each table, by table name (what Spark's views read too)."""
        return self._state.files

    @property
    def datasets(self) -> list[str]:
        """Names of the loaded datasets: ``PLOTWISE_DATASETS`` order, then the added ones."""
        return list(self._state.datasets)

    def dataset_tables(self, name: str) -> list[str]:
        """Return the table names of one loaded dataset, sorted.

        Args:
            name: Dataset name (``nycflights13``, ``penguins``, ``tpch``...), case-insensitive.

        Raises:
            NotFoundError: No loaded dataset has that name (the message lists the loaded ones).

        """
        datasets = self._state.datasets
        files = datasets.get(name.strip().lower())
        if files is None:
            raise NotFoundError(f'unknown dataset "{name}"; loaded datasets: {", ".join(datasets)}')
        return sorted(files)

    def dataset_of(self, table: str) -> str | None:
        """The loaded dataset that has ``table`` (case-insensitive), or None."""
        for name, files in self._state.datasets.items():
            if any(known.lower() == table.lower() for known in files):
                return name
        return None

    def table_columns(self, name: str) -> list[ColumnSchema]:
        """Return a table's columns in order, with their DuckDB type names.

        Args:
            name: Table name, case-insensitive.

        Raises:
            NotFoundError: No table has that name.

        """
        for table, columns in self._state.columns.items():
            if table.lower() == name.lower():
                return list(columns)
        raise NotFoundError(f'unknown table "{name}"; known tables: {", ".join(self.tables)}')

    def row_count(self, table: str) -> int:
        """Rows of a table (from its Parquet metadata; remembered per file).

        Raises:
            NotFoundError: No table has that name.
            DatasetError: The file cannot be read.

        """
        path = self._state.files.get(table)
        if path is None:
            raise NotFoundError(f'unknown table "{table}"; known tables: {", ".join(self.tables)}')
        key = (table, path)
        if key not in self._row_counts:
            cursor = self.cursor()
            try:
                rows = cursor.execute(f"SELECT count(*) FROM {sql_identifier(table)}").fetchall()
            except duckdb.Error as error:
                raise DatasetError(f"could not count the rows of {table}: {error}") from error
            finally:
                cursor.close()
            self._row_counts[key] = int(rows[0][0])
        return self._row_counts[key]

    @property
    def data_version(self) -> str:
        """Short hash of all datasets' Parquet files (see `Generation.data_version`)."""
        return self._state.data_version()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """Return a new cursor on the current database; use one per query and close it after.

        Raises:
            DatasetError: The catalog was closed.

        """
        with self._lock:
            if self._closed:
                raise DatasetError("the catalog is closed")
            return self._state.connection.cursor()

    @property
    def workers(self) -> WorkerPool:
        """The worker processes that run queries (`plotwise.sql.workers`), started on first use.

        Raises:
            DatasetError: The catalog was closed.

        """
        from plotwise.sql.workers import WorkerPool  # the pool imports this module

        with self._lock:
            if self._closed:
                raise DatasetError("the catalog is closed")
            if self._pool is None:
                self._pool = WorkerPool(self._settings, self._state.files)
            return self._pool

    async def run(
        self, sql: str, params: dict[str, object], *, max_rows: int, timeout_s: float
    ) -> WorkerAnswer:
        """Run one checked SELECT on the current worker pool (see `WorkerPool.run`).

        A pool replaced between looking it up and queueing the job refuses it; the job then
        goes to the pool that replaced it.

        Raises:
            The errors of `WorkerPool.run`.

        """
        from plotwise.sql.workers import PoolRetiredError

        while True:
            pool = self.workers
            try:
                return await pool.run(sql, params, max_rows=max_rows, timeout_s=timeout_s)
            except PoolRetiredError:
                continue

    def add_dataset(self, name: str, files: Mapping[str, Path]) -> None:
        """Register a dataset's tables at run time (a new engine and worker pool).

        Args:
            name: A dataset name no loaded dataset has.
            files: Table name -> Parquet file; no loaded dataset may have any of the tables.

        Raises:
            ConflictError: The name or a table name is taken.
            DatasetError: A file cannot be read as a table; nothing changed.

        """
        with self._change_lock:
            datasets = dict(self._state.datasets)
            check_new_dataset(datasets, name, files, ConflictError)
            datasets[name] = dict(files)
            self._swap(datasets, None)

    def remove_dataset(self, name: str, *, on_drained: Callable[[], None] | None = None) -> None:
        """Unregister a dataset at run time; queries already running on its tables finish.

        Args:
            name: A loaded dataset.
            on_drained: Called (in another thread) once no query runs on the old views any
                more, e.g. to delete the dataset's files.

        Raises:
            NotFoundError: No loaded dataset has that name.
            DatasetError: The new engine could not be opened; nothing changed.

        """
        with self._change_lock:
            datasets = dict(self._state.datasets)
            if datasets.pop(name, None) is None:
                self.dataset_tables(name)  # raises, naming the loaded ones
            self._swap(datasets, on_drained)

    def rename_dataset(
        self,
        old: str,
        new: str,
        files: Mapping[str, Path],
        *,
        on_drained: Callable[[], None] | None = None,
    ) -> None:
        """Replace dataset ``old`` by ``new`` with its tables under new names or files.

        Args:
            old: A loaded dataset.
            new: Its new name (may equal ``old``).
            files: The new table name -> Parquet file.
            on_drained: As in `remove_dataset`: the old files may go then.

        Raises:
            NotFoundError: ``old`` is not loaded.
            ConflictError: ``new`` or one of the tables is taken by another dataset.
            DatasetError: A file cannot be read as a table; nothing changed.

        """
        with self._change_lock:
            datasets = dict(self._state.datasets)
            if old not in datasets:
                self.dataset_tables(old)
            others = {key: value for key, value in datasets.items() if key != old}
            check_new_dataset(others, new, files, ConflictError)
            # Keep the dataset's place in the load order.
            datasets = {
                (new if key == old else key): (dict(files) if key == old else value)
                for key, value in datasets.items()
            }
            self._swap(datasets, on_drained)

    def _swap(
        self, datasets: dict[str, dict[str, Path]], on_drained: Callable[[], None] | None
    ) -> None:
        """Open the new generation, swap it and a new pool in, and retire the old pool."""
        from plotwise.sql.workers import WorkerPool

        generation = open_generation(self._settings, datasets)
        with self._lock:
            if self._closed:
                generation.connection.close()
                raise DatasetError("the catalog is closed")
            old_pool = self._pool
            # The old connection is not closed: cursors taken from it keep working, and it is
            # freed once the last of them is gone.
            self._state = generation
            self._pool = WorkerPool(self._settings, generation.files) if old_pool else None
            if old_pool is not None:
                self._retiring.append(old_pool)
        if old_pool is None:
            if on_drained is not None:
                on_drained()
            return
        threading.Thread(
            target=self._retire, args=(old_pool, on_drained), name="sql-pool-drain", daemon=True
        ).start()

    def _retire(self, pool: WorkerPool, on_drained: Callable[[], None] | None) -> None:
        pool.drain(self._settings.query_timeout_s + DRAIN_MARGIN_S)
        with self._lock:
            if pool in self._retiring:
                self._retiring.remove(pool)
        if on_drained is not None:
            try:
                on_drained()
            except Exception:  # noqa: BLE001 - a cleanup failure must not kill the thread silently
                logger.exception("cleaning up after a dataset change failed")

    def close(self) -> None:
        """Stop the workers and close the database; open cursors stop working.

        Calling it twice is harmless.
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
            pools = [pool for pool in (self._pool, *self._retiring) if pool is not None]
            self._pool, self._retiring = None, []
            self._state.connection.close()
        for pool in pools:
            pool.close()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
