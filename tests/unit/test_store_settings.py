"""Where the store lives, and what the test suite says when PostgreSQL is missing."""

from __future__ import annotations

import pytest

from plotwise.settings import Settings
from plotwise.store.engine import create_store_engine
from support import postgres


def test_default_database_is_a_sqlite_file_in_the_data_dir(tmp_path):
    settings = Settings(data_dir=tmp_path / "d")
    assert settings.resolved_database_url() == f"sqlite:///{tmp_path.resolve()}/d/plotwise.db"


def test_database_url_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("PLOTWISE_DATABASE_URL", "postgresql+psycopg://u@db/plotwise")
    assert Settings().resolved_database_url() == "postgresql+psycopg://u@db/plotwise"


def test_bare_postgresql_urls_use_psycopg_and_others_are_refused():
    engine = create_store_engine("postgresql://u@localhost/x")
    assert engine.dialect.driver == "psycopg"
    engine.dispose()
    with pytest.raises(ValueError, match="unsupported database 'mysql'"):
        create_store_engine("mysql://u@localhost/x")


def test_missing_postgresql_says_make_postgres(monkeypatch):
    monkeypatch.setattr(postgres, "find_bin_dir", lambda: None)
    with pytest.raises(RuntimeError, match="make postgres"):
        postgres.start_postgres()
