"""The store's database handle: engine, migrated schema, write and read sessions.

Store functions are plain synchronous functions taking a `Database`, so the HTTP API, the CLI,
tests and other processes (a durability test that kills its writer) all call the same code. From
async code, `Database.run` calls them in a worker thread so the event loop never waits on disk.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from functools import partial
from pathlib import Path
from typing import ParamSpec, TypeVar

import anyio.to_thread
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session

from plotwise.errors import (
    StorageBusyError,
    StorageError,
    StorageFullError,
    StorageReadOnlyError,
)
from plotwise.store.engine import BEGIN_MODE, create_store_engine
from plotwise.store.migrate import upgrade

P = ParamSpec("P")
T = TypeVar("T")


class Database:
    """One database (SQLite file or PostgreSQL), its schema migrated to the newest version."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._reader = engine.execution_options(**{BEGIN_MODE: "DEFERRED"})
        # SQLite has one writer at a time. Its busy handler polls with sleeps and gives up
        # after the busy timeout: 200 concurrent turns of one server hit it (storage_busy).
        # Writers of this process queue on a lock instead; other processes still meet the
        # busy timeout.
        self._write_lock: AbstractContextManager[object] = (
            threading.Lock() if engine.dialect.name == "sqlite" else nullcontext()
        )

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Database:
        """Connect to ``url`` and bring its schema up to date.

        Args:
            url: SQLAlchemy URL (see `plotwise.store.engine.create_store_engine`).
            migrate: Apply pending Alembic migrations (idempotent; safe with several processes,
                whose migrations queue on the database's write lock).

        Raises:
            ValueError: The URL is neither SQLite nor PostgreSQL.
            StorageReadOnlyError: A SQLite file on a read-only file system (WAL needs writes).
            StorageError: The database cannot be reached or migrated; the message says why.

        """
        engine = create_store_engine(url)
        try:
            if migrate:
                upgrade(engine)
        except OperationalError as exc:
            engine.dispose()
            raise _open_error(engine, exc) from exc
        except Exception:
            engine.dispose()
            raise
        return cls(engine)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session in one write transaction: committed when the block ends, else rolled back.

        On SQLite the transaction starts with ``BEGIN IMMEDIATE``: it holds the write lock from
        the start. Writers of this process wait their turn on an in-process lock first (no
        timeout); writers of other processes wait up to the busy timeout.

        Raises:
            StorageFullError, StorageReadOnlyError, StorageBusyError: The engine could not write;
                the transaction was rolled back, so nothing of it was kept.

        """
        try:
            with (
                self._write_lock,
                Session(self.engine, expire_on_commit=False) as session,
                session.begin(),
            ):
                yield session
        except DBAPIError as exc:
            translated = storage_error(exc)
            if translated is None:
                raise
            raise translated from exc

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading only; it never takes SQLite's write lock."""
        with Session(self._reader, expire_on_commit=False) as session, session.begin():
            yield session

    async def run(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Call a blocking store function in a worker thread and return its result."""
        return await anyio.to_thread.run_sync(partial(function, *args, **kwargs))

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def storage_error(exc: DBAPIError) -> StorageError | None:
    """Translate an engine failure during a write into one of the store's error types.

    SQLite reports these in its message (``SQLITE_FULL``, ``SQLITE_READONLY``, ``SQLITE_BUSY``);
    PostgreSQL by SQLSTATE (53100 disk full, 25006 read-only transaction). Returns None for
    other failures (constraint violations, bugs), which are not the storage's fault.
    """
    text = str(exc.orig).lower()
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if "disk is full" in text or "no space left" in text or sqlstate == "53100":
        return StorageFullError("the database's disk is full: free space, then try again")
    if "readonly" in text or "read-only" in text or sqlstate == "25006":
        return StorageReadOnlyError("the database is read-only, so nothing can be saved")
    if "database is locked" in text:
        return StorageBusyError("the database stayed busy past its timeout; try again")
    if isinstance(exc, OperationalError):
        return StorageError(f"the database could not save: {exc.orig}")
    return None


def _open_error(engine: Engine, exc: OperationalError) -> Exception:
    """Explain why a database could not be opened, naming it."""
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database:
        folder = Path(database).resolve().parent
        if folder.is_dir() and os.statvfs(folder).f_flag & os.ST_RDONLY:
            return StorageReadOnlyError(
                f"the database {database} is on a read-only file system; SQLite in WAL mode "
                "needs to write beside it, so Plotwise cannot start on it"
            )
    target = engine.url.render_as_string(hide_password=True)
    return StorageError(f"cannot open the database {target}: {exc.orig}")
