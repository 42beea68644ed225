"""The long-lived parts of a running Plotwise, built once per app (or CLI command)."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx2
from pydantic_ai import Agent
from pydantic_ai.models import Model
from pydantic_ai.toolsets import FunctionToolset

from plotwise.agent.core import build_agent
from plotwise.agent.deps import TurnDeps
from plotwise.agent.http import provider_http_client
from plotwise.agent.models import build_model
from plotwise.agent.prompts import render_instructions
from plotwise.data.catalog import Catalog
from plotwise.errors import BadRequestError, DatasetError
from plotwise.local.lexicon import Lexicon
from plotwise.metrics import Metrics
from plotwise.semantic.definition import DatasetDefinition, load_definitions
from plotwise.settings import Settings
from plotwise.sql.service import SQLService
from plotwise.store.artifacts import ArtifactStore
from plotwise.store.conversations import ConversationStore
from plotwise.store.database import Database
from plotwise.store.templates import TemplateStore

VALUE_INDEX_LIMIT = 500
"""Text dimensions with more distinct values than this are not indexed for filters."""


@dataclass(frozen=True)
class DatasetContext:
    """One dataset as the agent sees it: its definition, vocabulary and rendered instructions."""

    definition: DatasetDefinition
    lexicon: Lexicon
    instructions: str


@dataclass
class Services:
    """Catalog, dataset definition, agent and the durable store of one Plotwise process."""

    settings: Settings
    catalog: Catalog
    sql: SQLService
    datasets: dict[str, DatasetContext]
    """The enabled datasets by name; the first is the default."""
    agent: Agent[TurnDeps, str]
    store: Database
    """Templates, conversations and artifacts (``PLOTWISE_DATABASE_URL``)."""
    conversations: ConversationStore
    artifacts: ArtifactStore
    templates: TemplateStore
    metrics: Metrics
    """Prometheus metrics of the turns these services run (``GET /metrics``)."""
    model_override: Model | None = None
    """A model used instead of ``settings.model`` (tests, embedding)."""
    http_client: httpx2.AsyncClient | None = field(default=None, repr=False)
    """The provider models' HTTP client (`plotwise.agent.http`), made at the first turn that
    needs one; `aclose_http_client` closes it."""

    @classmethod
    def open(cls, settings: Settings, *, model: Model | None = None) -> Services:
        """Load the data (converting it on first start), the definition, and build the agent.

        Also opens the store and applies its pending schema migrations.

        Raises:
            DatasetError: The data or its definition cannot be loaded.
            sqlalchemy.exc.OperationalError: The database cannot be reached or migrated.

        """
        definitions = load_definitions(settings.datasets_dir)
        missing = [name for name in settings.datasets if name not in definitions]
        if missing:
            raise DatasetError(
                f"no definition for dataset {missing[0]!r} in {settings.datasets_dir}; "
                f"defined: {', '.join(definitions) or 'none'}"
            )
        catalog = Catalog.open(settings)
        try:
            datasets = {
                name: _dataset_context(catalog, definitions[name], settings)
                for name in settings.datasets
            }
        except Exception:
            catalog.close()
            raise
        agent = build_agent(retries=settings.agent_retries)
        sql = SQLService.create(catalog, settings)
        # Start the query workers with the app, not on its first question.
        _ = catalog.workers
        try:
            store = Database.open(settings.resolved_database_url())
        except Exception:
            catalog.close()
            raise
        return cls(
            settings,
            catalog,
            sql,
            datasets,
            agent,
            store=store,
            conversations=ConversationStore(store),
            artifacts=ArtifactStore(store),
            templates=TemplateStore(store),
            metrics=Metrics(_function_tool_names(agent)),
            model_override=model,
        )

    @property
    def model_name(self) -> str:
        """Name of the model that answers turns."""
        if self.model_override is not None:
            return self.model_override.model_name
        return self.settings.model

    def dataset(self, name: str | None = None) -> DatasetContext:
        """The named dataset, or the default one (the first enabled).

        Raises:
            BadRequestError: No enabled dataset has that name; the message lists them.

        """
        if name is None:
            return next(iter(self.datasets.values()))
        if name not in self.datasets:
            raise BadRequestError(
                f"unknown dataset {name!r}; available: {', '.join(self.datasets)}"
            )
        return self.datasets[name]

    @property
    def definition(self) -> DatasetDefinition:
        """Definition of the default dataset."""
        return self.dataset().definition

    def model(self, dataset: str | None = None) -> Model:
        """Build the model for one turn (lazily, so a missing key fails the turn only)."""
        if self.model_override is not None:
            return self.model_override
        if self.http_client is None and self.settings.model.strip() != "local":
            self.http_client = provider_http_client(self.settings)
        return build_model(self.settings, self.dataset(dataset).lexicon, self.http_client)

    def deps(self, dataset: str | None = None) -> TurnDeps:
        """Dependencies of one agent run against ``dataset`` (the default when None)."""
        context = self.dataset(dataset)
        return TurnDeps(
            sql=self.sql,
            definition=context.definition,
            settings=self.settings,
            instructions=context.instructions,
        )

    async def aclose_http_client(self) -> None:
        """Close the provider models' HTTP client, if a turn made one."""
        client, self.http_client = self.http_client, None
        if client is not None:
            await client.aclose()

    def close(self) -> None:
        """Release the data and the store."""
        try:
            self.catalog.close()
        finally:
            self.store.close()


def _function_tool_names(agent: Agent[TurnDeps, str]) -> list[str]:
    return [
        name
        for toolset in agent.toolsets
        if isinstance(toolset, FunctionToolset)
        for name in toolset.tools
    ]


def _dataset_context(
    catalog: Catalog, definition: DatasetDefinition, settings: Settings
) -> DatasetContext:
    lexicon = Lexicon.build(definition, _value_index(catalog, definition))
    instructions = render_instructions(settings.prompts_dir, definition, max_rows=settings.max_rows)
    return DatasetContext(definition, lexicon, instructions)


def _value_index(
    catalog: Catalog, definition: DatasetDefinition
) -> dict[tuple[str, str], list[str]]:
    """Distinct values of the small text dimensions, for reading filters such as "from JFK"."""
    index: dict[tuple[str, str], list[str]] = {}
    cursor = catalog.cursor()
    try:
        for tname, table in definition.tables.items():
            for cname, column in table.columns.items():
                if column.role != "dimension" or column.type.upper() != "VARCHAR":
                    continue
                rows = cursor.execute(
                    f'SELECT DISTINCT "{cname}" FROM "{tname}" WHERE "{cname}" IS NOT NULL '
                    f"LIMIT {VALUE_INDEX_LIMIT + 1}"
                ).fetchall()
                if len(rows) <= VALUE_INDEX_LIMIT:
                    index[(tname, cname)] = [str(r[0]) for r in rows]
    finally:
        cursor.close()
    return index
