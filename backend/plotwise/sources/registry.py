"""The PostgreSQL sources of one Plotwise: from ``PLOTWISE_SOURCES`` and from the API.

At start every source is connected (in parallel). One that fails, or whose role may write, does
NOT stop the start: a database that is down, or a role that gained a write right, must not take
the bundled and uploaded data offline with it, nor lock the user out of the API that removes it.
It is logged (a warning naming ``host:port/db`` and the problem, never the password), listed by
``GET /api/sources`` with its error, and `reconnect` tries again. A source added through the API
(`add`) must connect first: a failing or writable URL is refused with a `SourceError` (400), and
nothing is kept.

API sources are kept in ``<data dir>/sources.json`` (`plotwise.sources.stored`) and reconnected
at start; ``PLOTWISE_SOURCES`` ones are not written there and cannot be removed through the API.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final, Literal

from plotwise.errors import BadRequestError, ConflictError, NotFoundError, SourceError
from plotwise.settings import Settings
from plotwise.sources.context import SourceDataset, open_source
from plotwise.sources.pg_catalog import describe_url
from plotwise.sources.stored import StoredSource, load_sources, save_sources, sources_file
from plotwise.sql.cache import ResultCache

logger = logging.getLogger(__name__)

NAME_PATTERN: Final = re.compile(r"[a-z][a-z0-9_]{0,62}")
"""A dataset name: a lower-case identifier, unique across bundled, uploaded and source data."""

Origin = Literal["settings", "api"]
"""Where a source is configured: ``PLOTWISE_SOURCES``, or added through the API."""


@dataclass
class SourceState:
    """One configured source: its settings, and its dataset once connected (else its error)."""

    name: str
    url: str
    schema: str
    origin: Origin
    added_at: datetime | None = None
    dataset: SourceDataset | None = None
    error: str | None = None
    kept: bool = False
    """Whether it belongs in ``sources.json`` (an API source that was added, or read from it)."""

    @property
    def where(self) -> str:
        """``host:port/database`` of its URL (never the password); ``?`` if malformed."""
        try:
            return describe_url(self.url)
        except SourceError:
            return "?"


class SourceRegistry:
    """The configured sources, their connections and ``sources.json``. Thread-safe."""

    def __init__(self, settings: Settings, cache: ResultCache) -> None:
        """An empty registry; `open` fills it from the settings and the file."""
        self._settings = settings
        self._cache = cache
        self._file = sources_file(settings.resolved_data_dir())
        self._states: dict[str, SourceState] = {}
        self._lock = threading.Lock()

    @classmethod
    def open(
        cls, settings: Settings, cache: ResultCache, *, taken: Collection[str] = ()
    ) -> SourceRegistry:
        """Read ``PLOTWISE_SOURCES`` and ``sources.json`` and connect every source.

        Args:
            settings: ``sources``, the data directory, limits.
            cache: The result cache shared with the DuckDB service.
            taken: Names of the other datasets; a source with one of them is not connected.

        Raises:
            DatasetError: ``sources.json`` is damaged (see `plotwise.sources.stored`).

        """
        registry = cls(settings, cache)
        for name, url in settings.sources.items():
            registry._states[name] = SourceState(name, url, "public", "settings")
        for name, stored in load_sources(registry._file).items():
            state = SourceState(name, stored.url, stored.schema_, "api", stored.added_at, kept=True)
            if name in registry._states:
                state.error = f"the name {name!r} is also in PLOTWISE_SOURCES, which wins"
                logger.warning("source %r in %s ignored: %s", name, registry._file, state.error)
                continue
            registry._states[name] = state
        pending = []
        for state in registry._states.values():
            if state.name in taken or not NAME_PATTERN.fullmatch(state.name):
                state.error = f"the name {state.name!r} is taken or not a lower-case identifier"
                logger.warning("source %r not connected: %s", state.name, state.error)
            else:
                pending.append(state)
        if pending:
            with ThreadPoolExecutor(min(8, len(pending)), "plotwise-pg-open") as pool:
                list(pool.map(registry._connect, pending))
        return registry

    def connected(self) -> dict[str, SourceDataset]:
        """The sources connected now, by name."""
        with self._lock:
            return {n: s.dataset for n, s in self._states.items() if s.dataset is not None}

    def states(self) -> list[SourceState]:
        """Every configured source, connected or not, in name order."""
        with self._lock:
            return [self._states[name] for name in sorted(self._states)]

    def state(self, name: str) -> SourceState:
        """One configured source.

        Raises:
            NotFoundError: No source has that name.

        """
        with self._lock:
            if name not in self._states:
                raise NotFoundError(f"no PostgreSQL source is named {name!r}")
            return self._states[name]

    def add(
        self, name: str, url: str, *, schema: str = "public", taken: Collection[str] = ()
    ) -> SourceDataset:
        """Connect a new source and keep it in ``sources.json``. Blocks (run it in a thread).

        Args:
            name: Its dataset name, ``[a-z][a-z0-9_]{0,62}``.
            url: ``postgresql://user:password@host:port/database``.
            schema: The schema whose readable tables it exposes.
            taken: Names of the other datasets.

        Returns:
            The connected source.

        Raises:
            BadRequestError: The name is not a lower-case identifier.
            ConflictError: A dataset or source already has that name.
            SourceError: The URL is malformed, fails, or its role may write; nothing is kept.
            DatasetError: ``sources.json`` could not be written; nothing is kept.

        """
        if not NAME_PATTERN.fullmatch(name):
            raise BadRequestError(
                f"source name {name!r} is not allowed: use lower-case letters, digits and _, "
                "starting with a letter (at most 63)"
            )
        state = SourceState(name, url, schema, "api", datetime.now(UTC))
        with self._lock:
            if name in taken or name in self._states:
                raise ConflictError(f"the name {name!r} is already in use; choose another")
            self._states[name] = state  # reserved while it connects
        try:
            state.dataset = open_source(
                name, url, self._settings, self._cache, schema=schema, created_at=state.added_at
            )
            with self._lock:
                state.kept = True
                self._save()
        except Exception:
            with self._lock:
                del self._states[name]
            raise
        logger.info("source %r added (%s)", name, state.where)
        return state.dataset

    def remove(self, name: str) -> None:
        """Forget an API source and remove it from ``sources.json``.

        Raises:
            NotFoundError: No source has that name.
            ConflictError: It comes from ``PLOTWISE_SOURCES`` (remove it there).
            DatasetError: ``sources.json`` could not be written; the source stays.

        """
        with self._lock:
            state = self._states.get(name)
            if state is None:
                raise NotFoundError(f"no PostgreSQL source is named {name!r}")
            if state.origin == "settings":
                raise ConflictError(
                    f"source {name!r} is configured in PLOTWISE_SOURCES; remove it there"
                )
            del self._states[name]
            try:
                self._save()
            except Exception:
                self._states[name] = state
                raise
        logger.info("source %r removed", name)

    def reconnect(self, name: str) -> SourceDataset:
        """Connect a configured source again (after a failure, or to see new tables).

        Raises:
            NotFoundError: No source has that name.
            SourceError: It still fails; the error is kept for the listing.

        """
        state = self.state(name)
        self._connect(state)
        if state.dataset is None:
            raise SourceError(state.error or f"source {name!r} could not be connected")
        return state.dataset

    def _connect(self, state: SourceState) -> None:
        """Connect one source, recording its dataset or its error (logged, no password)."""
        try:
            dataset = open_source(
                state.name,
                state.url,
                self._settings,
                self._cache,
                schema=state.schema,
                created_at=state.added_at,
            )
        except SourceError as error:
            state.dataset, state.error = None, error.message
            logger.warning("source %r not connected: %s", state.name, error.message)
            return
        state.dataset, state.error = dataset, None

    def _save(self) -> None:
        """Write the API sources to ``sources.json`` (call with the lock held)."""
        stored = {
            name: StoredSource(url=s.url, schema_=s.schema, added_at=s.added_at)
            for name, s in sorted(self._states.items())
            if s.origin == "api" and s.kept
        }
        save_sources(self._file, stored)
