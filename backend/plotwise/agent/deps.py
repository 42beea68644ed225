"""Typed dependencies of one agent run."""

from __future__ import annotations

from dataclasses import dataclass

from plotwise.semantic.definition import DatasetDefinition
from plotwise.settings import Settings
from plotwise.spark.jobs import JobManager
from plotwise.sql.service import QueryService


@dataclass
class TurnDeps:
    """What the tools of one turn need: the SQL path, the Spark jobs, the dataset and the limits."""

    sql: QueryService
    """Runs the active datasets' SQL, refusing any other table."""
    jobs: JobManager
    dataset: str
    """Name of the active dataset the turn asks against (several are joined by ``+``)."""
    conversation_id: str | None
    definition: DatasetDefinition
    """The active datasets' definition (merged when several are active)."""
    settings: Settings
    instructions: str
    """The system prompt rendered for this dataset (`plotwise.agent.prompts`)."""
