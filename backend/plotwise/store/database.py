"""The store's database handle: engine, migrated schema, write and read sessions.

Store functions are plain synchronous functions taking a `Database`, so the HTTP API, the CLI,
tests and other processes (a durability test that kills its writer) all call the same code. From
async code, `Database.run` calls them in a worker thread so the event loop never waits on disk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import ParamSpec, TypeVar

import anyio.to_thread
from sqlalchemy import Engine
from sqlmodel import Session

from plotwise.store.engine import BEGIN_MODE, create_store_engine
from plotwise.store.migrate import upgrade

P = ParamSpec("P")
T = TypeVar("T")


class Database:
    """One database (SQLite file or PostgreSQL), its schema migrated to the newest version."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._reader = engine.execution_options(**{BEGIN_MODE: "DEFERRED"})

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Database:
        """Connect to ``url`` and bring its schema up to date.

        Args:
            url: SQLAlchemy URL (see `plotwise.store.engine.create_store_engine`).
            migrate: Apply pending Alembic migrations (idempotent; safe with several processes,
                whose migrations queue on the database's write lock).

        Raises:
            ValueError: The URL is neither SQLite nor PostgreSQL.
            sqlalchemy.exc.OperationalError: The database cannot be reached or migrated.

        """
        engine = create_store_engine(url)
        try:
            if migrate:
                upgrade(engine)
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
        the start, so concurrent writers wait their turn (up to the busy timeout).
        """
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

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
