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

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    # One transaction for all pending migrations, holding a lock from its start: on SQLite the
    # transaction begins IMMEDIATE, on PostgreSQL it takes an advisory lock. Two processes
    # starting at once then migrate one after the other, the second finding nothing to do.
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        context.run_migrations()
