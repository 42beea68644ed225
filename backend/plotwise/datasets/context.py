"""What the agent sees of a dataset: definition, vocabulary, instructions and its SQL engine.

`build_context` reads a DuckDB dataset's values once (`plotwise.semantic.profile`), so the local
analyst's lexicon and a real model's instructions see the same data. `merge_contexts` combines
several DuckDB datasets into one turn's context: their tables side by side, one SQL service
limited to exactly those tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from plotwise.agent.prompts import render_instructions
from plotwise.data.catalog import Catalog
from plotwise.errors import BadRequestError
from plotwise.local.lexicon import Lexicon
from plotwise.semantic.definition import DatasetDefinition
from plotwise.semantic.profile import DatasetProfile, profile_dataset
from plotwise.settings import Settings
from plotwise.sql.service import QueryService, SQLService

Kind = Literal["bundled", "upload", "postgres"]
"""Where a dataset comes from: shipped with Plotwise, uploaded, or an external database."""


@dataclass(frozen=True)
class DatasetContext:
    """One dataset as the agent sees it: its definition, vocabulary and rendered instructions."""

    definition: DatasetDefinition
    lexicon: Lexicon
    instructions: str
    sql: QueryService
    """The engine that runs this dataset's SQL, limited to its tables."""
    kind: Kind = "bundled"
    profile: DatasetProfile | None = None
    """The values behind the definition (merging contexts reuses them)."""
    origin: str | None = None
    """The uploaded file's name, or ``host:port/db`` of a source (never a password)."""
    created_at: datetime | None = None
    """When an upload was committed (or a source added); None for bundled data."""

    @property
    def engine(self) -> str:
        """``duckdb`` or ``postgres``."""
        return self.sql.engine


def build_context(
    catalog: Catalog,
    definition: DatasetDefinition,
    settings: Settings,
    sql: SQLService,
    *,
    kind: Kind = "bundled",
    origin: str | None = None,
    created_at: datetime | None = None,
    profile: DatasetProfile | None = None,
) -> DatasetContext:
    """Profile a DuckDB dataset and build its context.

    Args:
        catalog: Holds the dataset's tables.
        definition: The dataset's definition.
        settings: Uses ``prompts_dir`` and ``max_rows``.
        sql: The DuckDB service; the context gets it limited to the definition's tables.
        kind: ``bundled`` or ``upload``.
        origin: See `DatasetContext.origin`.
        created_at: See `DatasetContext.created_at`.
        profile: The dataset's values when known (a renamed dataset's); read from the
            catalog if None.

    Raises:
        DatasetError: The values cannot be read (the definition names a missing column) or a
            prompt file is missing.

    """
    if profile is None:
        profile = profile_dataset(catalog, definition)
    return DatasetContext(
        definition=definition,
        lexicon=Lexicon.build(definition, profile.value_index),
        instructions=_instructions(definition, profile, settings),
        sql=sql.scoped(definition.tables),
        kind=kind,
        profile=profile,
        origin=origin,
        created_at=created_at,
    )


def merge_contexts(contexts: Sequence[DatasetContext], settings: Settings) -> DatasetContext:
    """One context over several DuckDB datasets (named ``a+b``), in the given order.

    The first dataset's default table stays the default; relationships stay within their
    dataset. The SQL service may read exactly the tables of all of them.

    Raises:
        BadRequestError: One of them is not a DuckDB dataset (it is named).

    """
    for context in contexts:
        if not isinstance(context.sql, SQLService):
            raise BadRequestError(
                f"dataset {context.definition.name!r} is a {context.sql.engine} source and "
                "cannot be combined with other datasets; make it the only active dataset"
            )
    first = contexts[0]
    names = [c.definition.name for c in contexts]
    tables = {name: table for c in contexts for name, table in c.definition.tables.items()}
    definition = DatasetDefinition(
        name="+".join(names),
        title=" + ".join(c.definition.title for c in contexts),
        description=" ".join(f"{c.definition.name}: {c.definition.description}" for c in contexts),
        default_table=first.definition.default_table,
        tables=tables,
        relationships=[r for c in contexts for r in c.definition.relationships],
    )
    profile = DatasetProfile(
        columns={k: v for c in contexts if c.profile for k, v in c.profile.columns.items()},
        value_index={k: v for c in contexts if c.profile for k, v in c.profile.value_index.items()},
    )
    assert isinstance(first.sql, SQLService)
    return DatasetContext(
        definition=definition,
        lexicon=Lexicon.build(definition, profile.value_index),
        instructions=_instructions(definition, profile, settings),
        sql=first.sql.scoped(tables),
        kind=first.kind,
        profile=profile,
    )


def _instructions(
    definition: DatasetDefinition, profile: DatasetProfile, settings: Settings
) -> str:
    return render_instructions(
        settings.prompts_dir,
        definition,
        max_rows=settings.max_rows,
        profile=profile,
        point_budget=settings.point_budget,
    )
