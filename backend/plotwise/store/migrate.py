"""Schema migrations with Alembic, applied in code at start (no ``alembic.ini`` needed).

The migration scripts ship inside the package (``plotwise/store/migrations``). To write a new
one after changing `plotwise.store.models`::

    .venv/bin/python -c "from plotwise.store.migrate import revision; revision('add x')"

then review the generated file under ``migrations/versions``: it must work on SQLite (batch
mode is on) and on PostgreSQL, and the schema test compares the result with the models.
"""

from __future__ import annotations

import threading
from typing import Final

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

SCRIPT_LOCATION: Final = "plotwise.store:migrations"
"""Where the migration environment lives, as ``package:folder``."""

_ALEMBIC = threading.Lock()
"""Alembic keeps the running migration context in a module global: one migration per process at
a time (other processes are serialised by the database lock `env.py` takes)."""


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration that migrates ``engine`` with the packaged scripts."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.set_main_option("path_separator", "os")
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply every migration up to ``revision``; a database already there is left as is."""
    with _ALEMBIC:
        command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Undo the migrations after ``revision`` (tests of upgrades from older databases)."""
    with _ALEMBIC:
        command.downgrade(alembic_config(engine), revision)


def current(engine: Engine) -> str | None:
    """The revision the database is at, or None before the first migration."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def revision(message: str) -> None:
    """Autogenerate a migration script: what the models have that the migrations do not create.

    Args:
        message: What the migration does, used in the file name.

    """
    import tempfile
    from pathlib import Path

    from plotwise.store.engine import create_store_engine

    with tempfile.TemporaryDirectory() as scratch:
        engine = create_store_engine(f"sqlite:///{Path(scratch) / 'scratch.db'}")
        try:
            upgrade(engine)
            with _ALEMBIC:
                command.revision(alembic_config(engine), message=message, autogenerate=True)
        finally:
            engine.dispose()
