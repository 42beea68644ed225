"""A connected PostgreSQL source as a dataset: what the agent and the local analyst see of it.

`open_source` connects (refusing a URL that fails or may write), drafts the definition from the
database's catalog (comments as descriptions), profiles the values on PostgreSQL itself with the
same queries as a DuckDB dataset (`plotwise.semantic.profile.profile_values`), and renders the
instructions with PostgreSQL as the SQL dialect. `Services` registers the result as one more
dataset whose SQL runs on the source (`SourceDataset.sql`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal

from plotwise.agent.prompts import render_instructions
from plotwise.datasets.context import DatasetContext
from plotwise.errors import SourceError
from plotwise.local.lexicon import Lexicon
from plotwise.semantic.definition import DatasetDefinition
from plotwise.semantic.profile import VALUE_INDEX_LIMIT, DatasetProfile, profile_values
from plotwise.settings import Settings
from plotwise.sources.postgres import PostgresSource
from plotwise.sources.service import PostgresQueryService
from plotwise.sql.cache import ResultCache

PROFILE_TIMEOUT_S: Final = 30.0
"""Longest a single profile query may run (the query time limit, if shorter): a field whose
query takes longer (a huge table) is left without values rather than holding up the start."""

PROFILE_BUDGET_S: Final = 120.0
"""Longest the whole profile of one source may take; the fields left then get no values."""


@dataclass(frozen=True)
class SourceDataset:
    """One connected source, ready to be registered as a dataset."""

    name: str
    source: PostgresSource
    definition: DatasetDefinition
    profile: DatasetProfile
    lexicon: Lexicon
    """The local analyst's vocabulary; it writes PostgreSQL (``dialect="postgres"``)."""
    instructions: str
    sql: PostgresQueryService
    origin: str
    """``host:port/database``: never the user or the password."""
    created_at: datetime | None
    """When it was added through the API; None for a ``PLOTWISE_SOURCES`` entry."""
    kind: Literal["postgres"] = "postgres"

    def context(self) -> DatasetContext:
        """The source as a registered dataset whose SQL runs on the source."""
        return DatasetContext(
            self.definition,
            self.lexicon,
            self.instructions,
            sql=self.sql,
            kind="postgres",
            profile=self.profile,
            origin=self.origin,
            created_at=self.created_at,
        )


def open_source(
    name: str,
    url: str,
    settings: Settings,
    cache: ResultCache,
    *,
    schema: str = "public",
    created_at: datetime | None = None,
) -> SourceDataset:
    """Connect a source and build everything the agent needs to answer about it.

    Blocks: connecting and profiling run queries on the server (run it in a thread).

    Args:
        name: The dataset name, ``[a-z][a-z0-9_]{0,62}``.
        url: ``postgresql://user:password@host:port/database``.
        settings: Limits, prompts folder and the connect timeout.
        cache: The result cache shared with the DuckDB service.
        schema: The schema whose readable tables are exposed.
        created_at: See `SourceDataset.created_at`.

    Raises:
        SourceError: The URL is malformed, the server does not answer or refuses the login,
            the role may write (the right is named), or no table is readable.

    """
    source = PostgresSource.connect(name, url, settings, schema=schema)
    definition = source.definition()
    deadline = time.monotonic() + PROFILE_BUDGET_S

    def query(sql: str) -> list[tuple[object, ...]]:
        left = deadline - time.monotonic()
        if left < 1:
            raise SourceError(f"profiling {name!r} took over {PROFILE_BUDGET_S:g} s; skipped")
        timeout_s = min(PROFILE_TIMEOUT_S, settings.query_timeout_s, left)
        return source.run(sql, max_rows=VALUE_INDEX_LIMIT + 2, timeout_s=timeout_s).rows

    profile = profile_values(query, definition, lenient=True)  # type: ignore[arg-type]
    instructions = render_instructions(
        settings.prompts_dir,
        definition,
        max_rows=settings.max_rows,
        profile=profile,
        dialect="postgres",
        point_budget=settings.point_budget,
    )
    return SourceDataset(
        name=name,
        source=source,
        definition=definition,
        profile=profile,
        lexicon=Lexicon.build(definition, profile.value_index, dialect="postgres"),
        instructions=instructions,
        sql=PostgresQueryService(source, cache, settings),
        origin=source.origin,
        created_at=created_at,
    )
