"""Initial schema: templates and their versions, conversations, messages, artifacts.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _when(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def _template_content() -> list[sa.Column]:
    """The content columns a template and each of its versions store."""
    return [
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.String(2000), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("sql", sa.Text(), nullable=False),
        sa.Column("param_specs", sa.JSON(), nullable=False),
        sa.Column("query_params", sa.JSON(), nullable=False),
        sa.Column("view_params", sa.JSON(), nullable=False),
        sa.Column("engine", sa.String(20), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("language", sa.String(20), nullable=False),
        sa.Column("dataset", sa.String(200), nullable=False),
    ]


def upgrade() -> None:
    """Create the tables."""
    op.create_table(
        "template",
        sa.Column("id", sa.String(32), nullable=False),
        *_template_content(),
        sa.Column("version", sa.Integer(), nullable=False),
        _when("created_at"),
        _when("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_template")),
    )
    op.create_index(op.f("ix_template_created_at"), "template", ["created_at"])
    op.create_table(
        "template_version",
        sa.Column("template_id", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        *_template_content(),
        _when("created_at"),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["template.id"],
            name=op.f("fk_template_version_template_id_template"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("template_id", "version", name=op.f("pk_template_version")),
    )
    op.create_table(
        "conversation",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("history", sa.Text(), nullable=False),
        _when("created_at"),
        _when("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation")),
    )
    op.create_index(op.f("ix_conversation_updated_at"), "conversation", ["updated_at"])
    op.create_table(
        "message",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("conversation_id", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("sql", sa.JSON(), nullable=False),
        sa.Column("error", sa.JSON(), nullable=True),
        _when("created_at"),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversation.id"],
            name=op.f("fk_message_conversation_id_conversation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message")),
        sa.UniqueConstraint("conversation_id", "position", name=op.f("uq_message_conversation_id")),
    )
    op.create_index(op.f("ix_message_conversation_id"), "message", ["conversation_id"])
    op.create_table(
        "artifact",
        sa.Column("artifact_id", sa.String(32), nullable=False),
        sa.Column("conversation_id", sa.String(64), nullable=True),
        sa.Column("message_id", sa.String(32), nullable=True),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("language", sa.String(20), nullable=False),
        sa.Column("query_id", sa.String(64), nullable=True),
        sa.Column("sql", sa.Text(), nullable=True),
        sa.Column("param_specs", sa.JSON(), nullable=False),
        _when("created_at"),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversation.id"],
            name=op.f("fk_artifact_conversation_id_conversation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["message.id"],
            name=op.f("fk_artifact_message_id_message"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("artifact_id", name=op.f("pk_artifact")),
    )
    op.create_index(op.f("ix_artifact_conversation_id"), "artifact", ["conversation_id"])
    op.create_index(op.f("ix_artifact_message_id"), "artifact", ["message_id"])


def downgrade() -> None:
    """Drop the tables."""
    for table in ("artifact", "message", "conversation", "template_version", "template"):
        op.drop_table(table)
