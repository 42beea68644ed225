"""The locked-down DuckDB engine: a view per table over its Parquet file, then the lockdown.

The server's catalog (`plotwise.data.catalog`) and every query worker
(`plotwise.sql.worker_main`) open their engine with `open_engine`, so all of them have the same
views and the same restrictions. This is the last layer of the SQL defence; the guard
(`plotwise.sql.guard`) refuses anything but one SELECT before it gets here.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from plotwise.data.files import sql_identifier, sql_literal
from plotwise.settings import Settings
from plotwise.sql.result import ColumnSchema

TEMP_SUBDIR = "duckdb_tmp"
"""Folder under the data directory where DuckDB may spill to disk."""


def open_engine(
    settings: Settings, files: dict[str, Path], data_dir: Path | None = None
) -> duckdb.DuckDBPyConnection:
    """Open an in-memory DuckDB with a view per table, locked down by `lock_down`.

    The server's catalog and every query worker (`plotwise.sql.worker_main`) open their engine
    here, so all of them have the same views and the same restrictions.

    Args:
        settings: Uses ``data_dir`` and what `lock_down` uses.
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
        lock_down(connection, settings, data_dir or settings.resolved_data_dir(), files)
    except BaseException:
        connection.close()
        raise
    return connection


def lock_down(
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


def describe_tables(
    connection: duckdb.DuckDBPyConnection, tables: list[str]
) -> dict[str, list[ColumnSchema]]:
    """Each table's columns in order, with their DuckDB type names.

    Raises:
        duckdb.Error: A table cannot be described (its file is gone or unreadable).

    """
    return {
        table: [
            ColumnSchema(name=row[0], type=row[1])
            for row in connection.execute(f"DESCRIBE {sql_identifier(table)}").fetchall()
        ]
        for table in tables
    }
