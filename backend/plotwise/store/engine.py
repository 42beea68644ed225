"""The SQLAlchemy engine of the store: SQLite tuned for safe concurrent writes, or PostgreSQL.

SQLite runs in WAL mode (readers never block the writer), with ``synchronous=FULL`` (a commit
is on disk before it is acknowledged, even across a power loss), ``foreign_keys=ON`` (deleting a
conversation deletes its messages and artifacts) and a busy timeout. Python's ``sqlite3`` driver
starts transactions lazily with a plain ``BEGIN``, which takes the write lock only at the first
write: two such transactions that both read first then write fail with "database is locked"
without waiting. So the driver's own transaction handling is switched off and every transaction
starts with ``BEGIN IMMEDIATE``, which takes the write lock up front and waits for it on the busy
timeout: concurrent writers queue instead of failing. Read-only sessions ask for a plain
``BEGIN`` through the `BEGIN_MODE` execution option.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

BUSY_TIMEOUT_MS: Final = 5000
"""How long a SQLite connection waits for another writer's lock before failing, in ms."""

BEGIN_MODE: Final = "plotwise_sqlite_begin"
"""Execution option naming how SQLite transactions begin: ``IMMEDIATE`` (default), ``DEFERRED``."""

SQLITE_PRAGMAS: Final = (
    f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
)
"""Run on every new SQLite connection; busy_timeout first, so switching to WAL can wait too."""


def create_store_engine(url: str) -> Engine:
    """Create the engine for ``url``: a SQLite file or a PostgreSQL server (psycopg 3).

    Args:
        url: A SQLAlchemy URL, ``sqlite:///<path>`` or ``postgresql+psycopg://...``. A bare
            ``postgresql://`` URL is given the psycopg driver.

    Returns:
        An engine with the SQLite settings of this module's docstring, or a pooled PostgreSQL
        engine that checks connections before use (a restarted server is reconnected to).

    Raises:
        ValueError: The URL is neither SQLite nor PostgreSQL.

    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(parsed)
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True)
    raise ValueError(f"unsupported database {backend!r}: use sqlite:/// or postgresql+psycopg://")


def _sqlite_engine(url: URL) -> Engine:
    if url.database and url.database != ":memory:":
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        # The sqlite3 module's own busy handler, in seconds; the pragma below sets the same.
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
    """Switch sqlite3's implicit BEGIN off and apply `SQLITE_PRAGMAS` (SQLAlchemy's recipe)."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def _on_begin(connection: Any) -> None:
    """Start every transaction ourselves: IMMEDIATE unless the session asked for DEFERRED."""
    mode = connection.get_execution_options().get(BEGIN_MODE, "IMMEDIATE")
    connection.exec_driver_sql("BEGIN IMMEDIATE" if mode == "IMMEDIATE" else "BEGIN DEFERRED")
