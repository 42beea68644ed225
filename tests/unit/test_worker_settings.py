"""Query worker settings: DuckDB's memory limit must fit inside the worker's address space."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from plotwise.settings import Settings, size_in_bytes


def test_defaults_leave_duckdb_room_inside_the_worker():
    settings = Settings()
    assert (settings.sql_workers, settings.sql_worker_memory_mb) == (2, 6144)
    assert size_in_bytes(settings.duckdb_memory_limit) < settings.sql_worker_memory_mb * 2**20


@pytest.mark.parametrize(
    ("text", "expected"),
    [("4GB", 4 * 10**9), ("512MiB", 512 * 2**20), ("1.5 GB", 15 * 10**8), ("100kb", 100_000)],
)
def test_sizes_read_in_duckdbs_notation(text, expected):
    assert size_in_bytes(text) == expected


@pytest.mark.parametrize("text", ["lots", "4 parsecs", "-1GB", ""])
def test_unreadable_sizes_are_refused(text):
    with pytest.raises(ValueError, match="not a size"):
        size_in_bytes(text)


def test_duckdb_limit_above_the_worker_limit_is_refused():
    with pytest.raises(ValidationError, match="must leave at least 1024 MiB"):
        Settings(duckdb_memory_limit="6GB", sql_worker_memory_mb=6144)
    Settings(duckdb_memory_limit="512MB", sql_worker_memory_mb=1536)


def test_worker_settings_from_the_environment(monkeypatch):
    monkeypatch.setenv("PLOTWISE_SQL_WORKERS", "4")
    monkeypatch.setenv("PLOTWISE_SQL_WORKER_MEMORY_MB", "8192")
    settings = Settings()
    assert (settings.sql_workers, settings.sql_worker_memory_mb) == (4, 8192)
