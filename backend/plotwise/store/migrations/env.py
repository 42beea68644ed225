"""Alembic environment: migrate the engine `plotwise.store.migrate` passes in.

Run by Alembic, never imported by Plotwise itself. Batch mode is on so that alterations work on
SQLite (which recreates a table to alter it); PostgreSQL alters in place.
"""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import plotwise.store.models  # noqa: F401 - registers the tables on SQLModel.metadata

MIGRATION_LOCK = 0x706C6F74  # "plot": the PostgreSQL advisory lock key of migrations

engine = context.config.attributes["engine"]

# One transaction for all pending migrations, holding a lock from its start: on SQLite the
# transaction begins IMMEDIATE (`plotwise.store.engine`), on PostgreSQL it takes an advisory
# lock. It is begun here, around Alembic, because Alembic's own `begin_transaction` does nothing
# on SQLite (no transactional DDL there, in its view) and would commit after each migration: a
# second process could then read the version between two of them and run the rest again. Two
# processes starting at once migrate one after the other, the second finding nothing to do.
with engine.connect() as connection, connection.begin():
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
