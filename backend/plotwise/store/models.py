"""The store's tables (SQLModel) and the shapes the API reads and writes.

JSON columns hold plain JSON (lists and dicts): rows are written from ``model_dump(mode="json")``
and read back through the ``*Public`` models, which validate them into their types again.
The Alembic migrations under ``migrations/versions`` must produce exactly this metadata (a test
compares them).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final, Literal

from pydantic import JsonValue
from sqlalchemy import JSON, BigInteger, String, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from plotwise.artifact.store import ArtifactRecord
from plotwise.errors import ErrorBody
from plotwise.spark.models import Job
from plotwise.sql.guard import MAX_SQL_CHARS
from plotwise.sql.params import QueryParamSpec
from plotwise.store.types import UTCDateTime, utcnow

MAX_CODE_CHARS: Final = 60_000
"""Longest component code a template or artifact may hold (the validation policy's limit)."""

# Named constraints: Alembic's batch mode on SQLite recreates tables and needs the names.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class TemplateContent(SQLModel):
    """What a template keeps; every version stores these fields."""

    name: str = Field(min_length=1, max_length=200)
    """Shown in the template list."""
    description: str = Field(default="", max_length=2000)
    """Free text about what the template answers."""
    prompt: str = Field(default="", max_length=4000, sa_type=Text)
    """The question the template answers."""
    sql: str = Field(min_length=1, max_length=MAX_SQL_CHARS, sa_type=Text)
    """One read-only query, possibly with ``$name`` parameters declared in ``param_specs``."""
    param_specs: list[QueryParamSpec] = Field(default_factory=list, sa_type=JSON)
    """The query parameters the SQL declares."""
    query_params: dict[str, JsonValue] = Field(default_factory=dict, sa_type=JSON)
    """Query parameter values the template opens with (the rest take their defaults)."""
    view_params: dict[str, JsonValue] = Field(default_factory=dict, sa_type=JSON)
    """View parameter values of the component (``export const params``)."""
    engine: Literal["duckdb", "postgres"] = Field(default="duckdb", sa_type=String(20))
    """The SQL engine the query is written for (``postgres`` for a PostgreSQL source)."""
    code: str = Field(min_length=1, max_length=MAX_CODE_CHARS, sa_type=Text)
    """The component's source."""
    language: Literal["tsx", "jsx"] = Field(default="tsx", sa_type=String(20))
    """Language of ``code``."""
    dataset: str = Field(min_length=1, max_length=200)
    """Name of the dataset the SQL reads (several active ones are joined by ``+``)."""


CONTENT_FIELDS: Final = tuple(TemplateContent.model_fields)
"""Names of the content fields, in order: what an export file's ``template`` holds exactly."""


class Template(TemplateContent, table=True):
    """A saved template: its latest content and version number."""

    __tablename__ = "template"

    id: str = Field(primary_key=True, max_length=32)
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TemplateVersion(TemplateContent, table=True):
    """The content of one version of a template; create, update and restore each write one."""

    __tablename__ = "template_version"

    template_id: str = Field(
        primary_key=True, foreign_key="template.id", ondelete="CASCADE", max_length=32
    )
    version: int = Field(primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TemplatePublic(TemplateContent):
    """A template as the API answers it (latest version)."""

    id: str
    version: int
    created_at: datetime
    updated_at: datetime


class TemplateVersionPublic(TemplateContent):
    """One stored version of a template."""

    version: int
    created_at: datetime


class TemplatePage(SQLModel):
    """A page of templates, newest first."""

    items: list[TemplatePublic]
    total: int
    """How many templates match, over all pages."""


class Conversation(SQLModel, table=True):
    """A chat conversation: its title and the model's message history."""

    __tablename__ = "conversation"

    id: str = Field(primary_key=True, max_length=64)
    """The chat's ``conversation_id``."""
    title: str = Field(max_length=200)
    """The first question (cut at 200 characters)."""
    history: str = Field(default="[]", sa_type=Text)
    """The model's messages, as ``ModelMessagesTypeAdapter`` JSON."""
    datasets: list[str] = Field(
        default_factory=list, sa_type=JSON, sa_column_kwargs={"server_default": text("'[]'")}
    )
    """The active datasets its turns ask against; [] means the default dataset."""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class Message(SQLModel, table=True):
    """One message of a conversation's transcript, as the analyst saw it."""

    __tablename__ = "message"
    __table_args__ = (UniqueConstraint("conversation_id", "position"),)

    id: str = Field(primary_key=True, max_length=32)
    conversation_id: str = Field(
        foreign_key="conversation.id", ondelete="CASCADE", index=True, max_length=64
    )
    position: int
    """Order within the conversation, from 0."""
    role: str = Field(max_length=20)
    """``user`` or ``assistant``."""
    content: str = Field(default="", sa_type=Text)
    """Markdown."""
    sql: list[str] = Field(default_factory=list, sa_type=JSON)
    """SQL of the turn's successful queries."""
    error: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    """The error body if the turn failed."""
    usage: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    """The turn's `TurnUsage` (assistant messages of finished turns; None before it existed)."""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TurnUsage(SQLModel):
    """What one turn cost: its model, tokens and requests, as the model's provider reported."""

    model: str
    input_tokens: int = 0
    output_tokens: int = 0
    requests: int = 0
    """Model requests (one per model response, tool-call rounds included)."""
    tool_calls: int = 0


class Artifact(SQLModel, table=True):
    """A generated component and the query it renders (see `plotwise.artifact.store`)."""

    __tablename__ = "artifact"

    artifact_id: str = Field(primary_key=True, max_length=32)
    conversation_id: str | None = Field(
        default=None, foreign_key="conversation.id", ondelete="CASCADE", index=True, max_length=64
    )
    """None for artifacts opened from a template."""
    message_id: str | None = Field(
        default=None, foreign_key="message.id", ondelete="SET NULL", index=True, max_length=32
    )
    """The assistant message it belongs to, once the turn is recorded."""
    prompt: str = Field(default="", sa_type=Text)
    code: str = Field(sa_type=Text)
    language: str = Field(max_length=20)
    query_id: str | None = Field(default=None, max_length=64)
    sql: str | None = Field(default=None, sa_type=Text)
    param_specs: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    job_id: str | None = Field(default=None, max_length=32)
    """The Spark job behind a ``submit_spark`` artifact (no foreign key: jobs may be pruned)."""
    dataset: str | None = Field(default=None, max_length=200)
    """The dataset (or ``a+b`` datasets) its SQL reads; None (older artifacts) means DuckDB."""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Answer(SQLModel):
    """The assistant's side of one turn, as recorded in the transcript."""

    content: str = ""
    """The markdown answer (possibly partial, when the turn failed)."""
    sql: list[str] = []
    """SQL of the turn's successful queries."""
    artifact_ids: list[str] = []
    """Artifacts the answer made."""
    job_ids: list[str] = []
    """Spark jobs the answer submitted."""
    error: ErrorBody | None = None
    """Why the turn failed, if it did."""
    usage: TurnUsage | None = None
    """What the turn cost, when it finished."""


class MessagePublic(SQLModel):
    """One message of a reopened conversation."""

    id: str
    role: Literal["user", "assistant"]
    content: str
    created_at: datetime
    artifacts: list[ArtifactRecord]
    sql: list[str]
    error: ErrorBody | None
    usage: TurnUsage | None = None
    jobs: list[Job] = []
    """The Spark jobs the turn submitted, as they are now."""


class ConversationSummary(SQLModel):
    """A conversation in the list."""

    id: str
    title: str
    created_at: datetime
    updated_at: datetime
    message_count: int
    datasets: list[str] = []
    """Its active datasets; [] means the default dataset."""


class ConversationPage(SQLModel):
    """A page of conversations, most recently updated first."""

    items: list[ConversationSummary]
    total: int


class ConversationDetail(SQLModel):
    """A conversation with its messages, oldest first."""

    id: str
    title: str
    created_at: datetime
    updated_at: datetime
    datasets: list[str] = []
    """Its active datasets; [] means the default dataset."""
    messages: list[MessagePublic]


class SparkJob(SQLModel, table=True):
    """A Spark job (`plotwise.spark.models.Job`) and the process that runs it.

    Every state change is written here, so a job's state survives restarts; a job a dead
    process left queued or running is marked failed (``job_lost``) by the next start on its
    host. No foreign key to its conversation: a job outlives the chat turn that submitted it.
    """

    __tablename__ = "job"

    id: str = Field(primary_key=True, max_length=32)
    """``job_`` and 16 hex digits."""
    state: str = Field(max_length=20, index=True)
    stage: str = Field(max_length=20)
    message: str = Field(default="", sa_type=Text)
    sql: str = Field(sa_type=Text)
    spark_sql: str = Field(sa_type=Text)
    output_format: str = Field(max_length=20)
    dataset: str = Field(max_length=200)
    conversation_id: str | None = Field(default=None, index=True, max_length=64)
    message_id: str | None = Field(default=None, index=True, max_length=32)
    """The assistant message whose turn submitted it, once that turn is recorded."""
    progress: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    row_count: int | None = Field(default=None, sa_type=BigInteger)
    columns: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    files: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    error: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    owner: str = Field(max_length=200)
    """The process running the job: ``<host>:<pid>:<process start time>``."""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    elapsed_ms: float | None = None
