"""Conversations keep their active datasets; artifacts the dataset their SQL reads.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``conversation.datasets`` (``[]`` for existing rows) and ``artifact.dataset``.

    ``conversation`` is altered in place (``recreate="never"``): recreating it on SQLite would
    drop the old table, and the foreign keys' ON DELETE CASCADE would take its messages along.
    """
    with op.batch_alter_table("conversation", recreate="never") as batch:
        batch.add_column(
            sa.Column("datasets", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
    with op.batch_alter_table("artifact") as batch:
        batch.add_column(sa.Column("dataset", sa.String(length=200), nullable=True))


def downgrade() -> None:
    """Drop the columns."""
    with op.batch_alter_table("artifact") as batch:
        batch.drop_column("dataset")
    with op.batch_alter_table("conversation", recreate="never") as batch:
        batch.drop_column("datasets")
