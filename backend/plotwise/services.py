"""The long-lived parts of a running Plotwise, built once per app (or CLI command)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx2
from pydantic_ai import Agent
from pydantic_ai.models import Model
from pydantic_ai.toolsets import FunctionToolset

from plotwise.agent.core import build_agent
from plotwise.agent.deps import TurnDeps
from plotwise.agent.http import provider_http_client
from plotwise.agent.models import build_model
from plotwise.data.catalog import Catalog
from plotwise.datasets.context import DatasetContext
from plotwise.datasets.contexts import DatasetContexts
from plotwise.datasets.loading import load_contexts, open_catalog
from plotwise.errors import BadRequestError, NotFoundError
from plotwise.metrics import Metrics
from plotwise.semantic.definition import DatasetDefinition
from plotwise.settings import Settings
from plotwise.sources.registry import SourceRegistry
from plotwise.spark.jobs import JobManager
from plotwise.sql.metered import MeteredQueryService
from plotwise.sql.service import QueryService, SQLService
from plotwise.store.artifacts import ArtifactStore
from plotwise.store.conversations import ConversationStore
from plotwise.store.database import Database
from plotwise.store.templates import TemplateStore

if TYPE_CHECKING:
    from plotwise.datasets.manager import DatasetManager

__all__ = ["DatasetContext", "Services"]


@dataclass
class Services:
    """Catalog, dataset definition, agent and the durable store of one Plotwise process."""

    settings: Settings
    catalog: Catalog
    sql: SQLService
    contexts: DatasetContexts
    """The datasets' contexts (`datasets` reads them)."""
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
    model_override: Model | None = None
    """A model used instead of ``settings.model`` and ``settings.models`` (tests, embedding)."""
    http_client: httpx2.AsyncClient | None = field(default=None, repr=False)
    """The provider models' HTTP client (`plotwise.agent.http`), made at the first turn that
    needs one; `aclose_http_client` closes it."""
    sources: SourceRegistry | None = field(default=None, repr=False)
    """The PostgreSQL sources (``PLOTWISE_SOURCES`` and ``POST /api/sources``)."""
    uploads: DatasetManager | None = field(default=None, repr=False)
    """Commits, renames and deletes uploaded datasets (`plotwise.datasets.manager`)."""

    @classmethod
    def open(cls, settings: Settings, *, model: Model | None = None) -> Services:
        """Load the data (converting it on first start), the definition, and build the agent.

        Also opens the store and applies its pending schema migrations.

        Raises:
            DatasetError: The data or its definition cannot be loaded.
            sqlalchemy.exc.OperationalError: The database cannot be reached or migrated.

        """
        catalog, uploads = open_catalog(settings)
        sql = SQLService.create(catalog, settings)
        try:
            datasets = load_contexts(catalog, settings, sql, uploads)
            # A source that fails is listed with its error (GET /api/sources), not fatal.
            sources = SourceRegistry.open(settings, sql.cache, taken=list(datasets))
            datasets.update({n: d.context() for n, d in sources.connected().items()})
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
        services = cls(
            settings,
            catalog,
            sql,
            DatasetContexts(datasets, settings),
            agent,
            store=store,
            conversations=ConversationStore(store),
            artifacts=ArtifactStore(store),
            templates=TemplateStore(store),
            jobs=jobs,
            metrics=Metrics(_function_tool_names(agent)),
            model_override=model,
            sources=sources,
        )
        jobs.on_job_ended = services.metrics.spark_job
        from plotwise.datasets.manager import DatasetManager  # it drives these services

        services.uploads = DatasetManager(services)
        return services

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

    @property
    def datasets(self) -> dict[str, DatasetContext]:
        """The datasets by name: bundled first (the first is the default), then the others.

        Change them only through `add_dataset` and `remove_dataset`.
        """
        return self.contexts.by_name

    def dataset(self, name: str | None = None) -> DatasetContext:
        """The named dataset, or the default one (the first bundled).

        Raises:
            BadRequestError: No dataset has that name; the message lists them.

        """
        return self.contexts.get(name)

    @property
    def default_dataset(self) -> str:
        """Name of the dataset turns use when they name none."""
        return self.dataset().definition.name

    @property
    def definition(self) -> DatasetDefinition:
        """Definition of the default dataset."""
        return self.dataset().definition

    def add_dataset(self, name: str, context: DatasetContext, *, replace: bool = False) -> None:
        """Register a dataset at run time (an upload, a PostgreSQL source).

        Its tables must already be queryable through ``context.sql`` (for DuckDB: registered
        in the catalog).

        Raises:
            ConflictError: A dataset has that name (and ``replace`` is False).

        """
        self.contexts.add(name, context, replace=replace)

    def remove_dataset(self, name: str) -> DatasetContext:
        """Unregister a dataset and return its context.

        Raises:
            NotFoundError: No dataset has that name.
            ConflictError: It is the default dataset.

        """
        return self.contexts.remove(name)

    def context(self, names: Sequence[str] | None = None) -> DatasetContext:
        """The context of a turn's active datasets; the default dataset's for None or [].

        One name gives that dataset's context; several DuckDB datasets a merged one (cached
        per tuple of names). Duplicates are ignored.

        Raises:
            BadRequestError: A name is unknown, or a PostgreSQL source is combined with
                another dataset (it is named).

        """
        return self.contexts.combined(names)

    def sql_for(self, dataset: str | None) -> QueryService:
        """The SQL service that refreshes an artifact or runs a template of ``dataset``.

        Args:
            dataset: A dataset name, several joined by ``+``, or None (stored before datasets
                were recorded: any DuckDB table).

        Raises:
            NotFoundError: The dataset no longer exists (deleted or renamed).

        """
        if dataset is None:
            return MeteredQueryService(self.sql, self.metrics)
        try:
            return MeteredQueryService(self.context(dataset.split("+")).sql, self.metrics)
        except BadRequestError as error:
            raise NotFoundError(
                f"dataset {dataset!r} no longer exists (deleted or renamed): {error.message}"
            ) from error

    def model(self, datasets: Sequence[str] | None = None, model_name: str | None = None) -> Model:
        """Build the model for one turn (lazily, so a missing key fails the turn only).

        Args:
            datasets: The turn's active datasets (the local analyst reads their vocabulary);
                the default dataset when None or empty.
            model_name: One of `model_names`; the default model when None. The override,
                when one is set, answers whatever is named.

        Raises:
            BadRequestError: ``model_name`` is not offered, or the datasets cannot be used.
            ModelConfigError: The model cannot be built (see `build_model`).

        """
        if self.model_override is not None:
            return self.model_override
        name = self.model_choice(model_name)
        if self.http_client is None and name != "local":
            self.http_client = provider_http_client(self.settings)
        lexicon = self.context(datasets).lexicon
        return build_model(self.settings, lexicon, self.http_client, name=name)

    def deps(
        self, datasets: Sequence[str] | None = None, conversation_id: str | None = None
    ) -> TurnDeps:
        """Dependencies of one agent run against the active ``datasets`` (default: None)."""
        context = self.context(datasets)
        return TurnDeps(
            sql=MeteredQueryService(context.sql, self.metrics),
            jobs=self.jobs,
            dataset=context.definition.name,
            conversation_id=conversation_id,
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
