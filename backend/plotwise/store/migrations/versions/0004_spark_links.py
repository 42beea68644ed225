"""Spark jobs link to the assistant message that submitted them; artifacts to their job.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the nullable ``job.message_id`` (indexed) and ``artifact.job_id`` columns."""
    with op.batch_alter_table("job") as batch:
        batch.add_column(sa.Column("message_id", sa.String(length=32), nullable=True))
        batch.create_index("ix_job_message_id", ["message_id"])
    with op.batch_alter_table("artifact") as batch:
        batch.add_column(sa.Column("job_id", sa.String(length=32), nullable=True))


def downgrade() -> None:
    """Drop the columns."""
    with op.batch_alter_table("artifact") as batch:
        batch.drop_column("job_id")
    with op.batch_alter_table("job") as batch:
        batch.drop_index("ix_job_message_id")
        batch.drop_column("message_id")
