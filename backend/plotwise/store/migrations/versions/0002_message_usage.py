"""Messages keep their turn's usage: model, tokens in and out, requests and tool calls.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the nullable ``message.usage`` JSON column (older messages have none)."""
    with op.batch_alter_table("message") as batch:
        batch.add_column(sa.Column("usage", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Drop the column."""
    with op.batch_alter_table("message") as batch:
        batch.drop_column("usage")
