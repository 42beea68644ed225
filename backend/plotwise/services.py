"""The long-lived parts of a running Plotwise, built once per app (or CLI command)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

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
from plotwise.errors import BadRequestError, DatasetError, NotFoundError
from plotwise.local.lexicon import Lexicon
from plotwise.metrics import Metrics
from plotwise.semantic.definition import DatasetDefinition, load_definitions
from plotwise.semantic.profile import profile_dataset
from plotwise.settings import Settings
from plotwise.sources.context import SourceDataset
from plotwise.sources.registry import SourceRegistry
from plotwise.sources.service import PostgresQueryService
from plotwise.spark.jobs import JobManager
from plotwise.sql.service import SQLService
from plotwise.store.artifacts import ArtifactStore
from plotwise.store.conversations import ConversationStore
from plotwise.store.database import Database
from plotwise.store.templates import TemplateStore


@dataclass(frozen=True)
class DatasetContext:
    """One dataset as the agent sees it: its definition, vocabulary and rendered instructions."""

    definition: DatasetDefinition
    lexicon: Lexicon
    instructions: str
    sql: SQLService | PostgresQueryService | None = None
    """The engine that runs this dataset's SQL; None means the shared DuckDB service."""
    kind: Literal["bundled", "upload", "postgres"] = "bundled"


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
    jobs: JobManager
    """Spark jobs (`plotwise.spark.jobs`); Spark itself starts with the first job."""
    metrics: Metrics
    """Prometheus metrics of the turns these services run (``GET /metrics``)."""
    sources: SourceRegistry | None = None
    """The PostgreSQL sources (``PLOTWISE_SOURCES`` and ``POST /api/sources``)."""
    model_override: Model | None = None
    """A model used instead of ``settings.model`` and ``settings.models`` (tests, embedding)."""
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
        sql = SQLService.create(catalog, settings)
        try:
            datasets = {
                name: _dataset_context(catalog, definitions[name], settings)
                for name in settings.datasets
            }
            sources = SourceRegistry.open(settings, sql.cache, taken=list(datasets))
            datasets.update({n: source_context(d) for n, d in sources.connected().items()})
        except Exception:
            catalog.close()
            raise
        agent = build_agent(retries=settings.agent_retries)
        # Start the query workers with the app, not on its first question.
        _ = catalog.workers
        try:
            store = Database.open(settings.resolved_database_url())
        except Exception:
            catalog.close()
            raise
        try:
            jobs = JobManager.create(catalog, store, settings)
        except Exception:
            store.close()
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
            jobs=jobs,
            metrics=Metrics(_function_tool_names(agent)),
            sources=sources,
            model_override=model,
        )

    @property
    def model_name(self) -> str:
        """Name of the default model: the one that answers turns that name none."""
        if self.model_override is not None:
            return self.model_override.model_name
        return self.settings.model

    @property
    def model_names(self) -> list[str]:
        """The models a turn may name: the default (`model_name`) first, then ``models``."""
        return list(dict.fromkeys([self.model_name, *self.settings.models]))

    def model_choice(self, name: str | None = None) -> str:
        """The offered model a turn names, or the default one when None.

        Raises:
            BadRequestError: No offered model has that name; the message lists them.

        """
        if name is None:
            return self.model_name
        if name not in self.model_names:
            raise BadRequestError(
                f"unknown model {name!r}; available: {', '.join(self.model_names)}"
            )
        return name

    def turn_model_name(self, name: str | None = None) -> str:
        """Name of the model that answers a turn naming ``name`` (the default when None).

        The override's name when one is set, since it answers every turn. ``name`` is not
        checked here: `model` refuses one that is not offered.
        """
        if self.model_override is not None:
            return self.model_override.model_name
        return self.model_name if name is None else name

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

    def model(self, dataset: str | None = None, model_name: str | None = None) -> Model:
        """Build the model for one turn (lazily, so a missing key fails the turn only).

        Args:
            dataset: The turn's dataset (the local analyst reads its vocabulary).
            model_name: One of `model_names`; the default model when None. The override,
                when one is set, answers whatever is named.

        Raises:
            BadRequestError: ``model_name`` is not offered.
            ModelConfigError: The model cannot be built (see `build_model`).

        """
        if self.model_override is not None:
            return self.model_override
        name = self.model_choice(model_name)
        if self.http_client is None and name != "local":
            self.http_client = provider_http_client(self.settings)
        lexicon = self.dataset(dataset).lexicon
        return build_model(self.settings, lexicon, self.http_client, name=name)

    def deps(self, dataset: str | None = None, conversation_id: str | None = None) -> TurnDeps:
        """Dependencies of one agent run against ``dataset`` (the default when None)."""
        context = self.dataset(dataset)
        return TurnDeps(
            sql=context.sql or self.sql,  # type: ignore[arg-type]
            jobs=self.jobs,
            dataset=context.definition.name,
            conversation_id=conversation_id,
            definition=context.definition,
            settings=self.settings,
            instructions=context.instructions,
        )

    def sql_for(self, dataset: str | None) -> SQLService | PostgresQueryService:
        """The service that runs a dataset's SQL (refresh of its artifacts); None means DuckDB.

        Raises:
            NotFoundError: The dataset is gone (a removed source): its SQL must not run on
                another engine, where a table of the same name may hold other data.

        """
        if dataset is None:
            return self.sql
        context = self.datasets.get(dataset)
        if context is None:
            raise NotFoundError(f"dataset {dataset!r} is no longer available; ask again")
        return context.sql or self.sql

    def add_dataset(self, name: str, context: DatasetContext) -> None:
        """Register a dataset at run time (a source added through the API)."""
        self.datasets[name] = context

    def remove_dataset(self, name: str) -> None:
        """Forget a dataset registered at run time."""
        self.datasets.pop(name, None)

    async def aclose_http_client(self) -> None:
        """Close the provider models' HTTP client, if a turn made one."""
        client, self.http_client = self.http_client, None
        if client is not None:
            await client.aclose()

    def close(self) -> None:
        """Cancel running Spark jobs and stop Spark, then release the data and the store."""
        try:
            self.jobs.close()
        finally:
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


def source_context(dataset: SourceDataset) -> DatasetContext:
    """A connected PostgreSQL source as a dataset whose SQL runs on the source."""
    return DatasetContext(
        dataset.definition,
        dataset.lexicon,
        dataset.instructions,
        sql=dataset.sql,
        kind="postgres",
    )


def _dataset_context(
    catalog: Catalog, definition: DatasetDefinition, settings: Settings
) -> DatasetContext:
    """Read the dataset's values once; the lexicon and the instructions both use them."""
    profile = profile_dataset(catalog, definition)
    lexicon = Lexicon.build(definition, profile.value_index)
    instructions = render_instructions(
        settings.prompts_dir, definition, max_rows=settings.max_rows, profile=profile
    )
    return DatasetContext(definition, lexicon, instructions)
