"""The registered datasets' contexts, changeable at run time, and merged contexts of several."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from plotwise.datasets.context import DatasetContext, merge_contexts
from plotwise.errors import BadRequestError, ConflictError, NotFoundError
from plotwise.settings import Settings


class DatasetContexts:
    """Dataset name -> context, thread-safe; the first registered is the default dataset."""

    def __init__(self, contexts: dict[str, DatasetContext], settings: Settings) -> None:
        self.by_name = contexts
        """The contexts, in registration order; change them only through `add` and `remove`."""
        self._settings = settings
        self._lock = threading.Lock()
        self._merged: dict[tuple[str, ...], DatasetContext] = {}

    def get(self, name: str | None = None) -> DatasetContext:
        """The named dataset's context, or the default one.

        Raises:
            BadRequestError: No dataset has that name; the message lists them.

        """
        with self._lock:
            if name is None:
                return next(iter(self.by_name.values()))
            if name not in self.by_name:
                raise BadRequestError(
                    f"unknown dataset {name!r}; available: {', '.join(self.by_name)}"
                )
            return self.by_name[name]

    def add(self, name: str, context: DatasetContext, *, replace: bool = False) -> None:
        """Register a context.

        Raises:
            ConflictError: A dataset has that name (and ``replace`` is False).

        """
        with self._lock:
            if name in self.by_name and not replace:
                raise ConflictError(f"a dataset named {name!r} already exists")
            self.by_name[name] = context
            self._forget(name)

    def remove(self, name: str) -> DatasetContext:
        """Unregister a context and return it.

        Raises:
            NotFoundError: No dataset has that name.
            ConflictError: It is the default dataset.

        """
        with self._lock:
            if name not in self.by_name:
                raise NotFoundError(
                    f"unknown dataset {name!r}; available: {', '.join(self.by_name)}"
                )
            if name == next(iter(self.by_name)):
                raise ConflictError(f"dataset {name!r} is the default dataset")
            self._forget(name)
            return self.by_name.pop(name)

    def combined(self, names: Sequence[str] | None) -> DatasetContext:
        """One context for the active datasets (see `plotwise.services.Services.context`).

        Raises:
            BadRequestError: A name is unknown, or a non-DuckDB dataset is combined.

        """
        unique = tuple(dict.fromkeys(names or ()))
        if len(unique) <= 1:
            return self.get(unique[0] if unique else None)
        contexts = [self.get(name) for name in unique]
        with self._lock:
            cached = self._merged.get(unique)
        if cached is not None:
            return cached
        merged = merge_contexts(contexts, self._settings)
        with self._lock:
            # Cache only if none of them changed meanwhile.
            if all(self.by_name.get(n) is c for n, c in zip(unique, contexts, strict=True)):
                self._merged[unique] = merged
        return merged

    def _forget(self, name: str) -> None:
        """Drop the merged contexts that include ``name`` (the lock is held)."""
        for key in [key for key in self._merged if name in key]:
            del self._merged[key]
