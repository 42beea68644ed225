"""Spark jobs: their query, state, progress, result files and the process that runs them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the ``job`` table and its indexes."""
    op.create_table(
        "job",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("sql", sa.Text(), nullable=False),
        sa.Column("spark_sql", sa.Text(), nullable=False),
        sa.Column("output_format", sa.String(20), nullable=False),
        sa.Column("dataset", sa.String(200), nullable=False),
        sa.Column("conversation_id", sa.String(64), nullable=True),
        sa.Column("progress", sa.JSON(), nullable=False),
        sa.Column("row_count", sa.BigInteger(), nullable=True),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("error", sa.JSON(), nullable=True),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("elapsed_ms", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job")),
    )
    op.create_index(op.f("ix_job_state"), "job", ["state"])
    op.create_index(op.f("ix_job_conversation_id"), "job", ["conversation_id"])
    op.create_index(op.f("ix_job_created_at"), "job", ["created_at"])


def downgrade() -> None:
    """Drop the table (its indexes go with it)."""
    op.drop_table("job")
