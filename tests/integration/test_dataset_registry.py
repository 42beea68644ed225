"""Uploaded datasets on disk and in the running services: round trip, and no half datasets.

Real files, real DuckDB, a real SQLite store: each test opens `Services` over a data directory of
its own (penguins bundled) and commits the messy sales CSV through the dataset manager.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from plotwise.datasets import manager as manager_module
from plotwise.datasets.drafts import MAX_DRAFT_AGE_S
from plotwise.datasets.registry import DEFINITION_FILE
from plotwise.errors import ConflictError, DatasetError, NotFoundError
from plotwise.semantic.definition import load_definition
from plotwise.services import Services
from plotwise.settings import Settings
from support.datasets import form, sales_csv, settings_for

pytestmark = pytest.mark.anyio


@pytest.fixture
def own_settings(tmp_path: Path) -> Settings:
    return settings_for(tmp_path / "data")


@pytest.fixture
def services(own_settings: Settings) -> Iterator[Services]:
    opened = Services.open(own_settings)
    try:
        yield opened
    finally:
        opened.close()


def uploads_dir(settings: Settings) -> Path:
    return settings.resolved_data_dir() / "uploads"


def listing(settings: Settings) -> list[str]:
    return sorted(p.name for p in uploads_dir(settings).iterdir() if p.name != ".staging")


def staged(settings: Settings) -> list[str]:
    staging = uploads_dir(settings) / ".staging"
    return sorted(p.name for p in staging.iterdir()) if staging.exists() else []


async def commit_sales(services: Services, name: str = "sales", **options):
    assert services.uploads is not None
    draft = await services.uploads.upload(*form(sales_csv(), "Sales 2024.csv"))
    return await services.uploads.commit(draft.draft_id, name, **options)


async def test_a_committed_upload_survives_a_restart(own_settings, services):
    context = await commit_sales(
        services, description="Sales of 2024.", descriptions={"amount": "Sale amount in EUR"}
    )
    assert context.kind == "upload" and context.origin == "Sales 2024.csv"
    assert listing(own_settings) == ["sales"]
    assert staged(own_settings) == []  # the draft went with the commit
    stored = load_definition(uploads_dir(own_settings) / "sales" / DEFINITION_FILE)
    assert stored == context.definition
    columns = stored.tables["sales"].columns
    assert columns["amount"].description == "Sale amount in EUR"
    assert (columns["amount"].role, columns["sold_on"].type) == ("measure", "DATE")
    assert stored.description == "Sales of 2024."
    services.close()

    reopened = Services.open(own_settings)
    try:
        assert list(reopened.datasets) == ["penguins", "sales"]
        again = reopened.dataset("sales")
        assert (again.kind, again.origin, again.definition) == ("upload", "Sales 2024.csv", stored)
        result = await reopened.sql_for("sales").execute(
            "SELECT count(*), count(amount), count(sold_on) FROM sales"
        )
        rows = [line.split(",") for line in sales_csv().decode().splitlines()[1:]]
        present = [sum(row[i] not in ("", "NA") for row in rows) for i in (2, 3)]
        assert result.rows == [[60, *present]] and present[0] < 60 and present[1] < 60
        assert "### sales" in again.instructions and "Sale amount in EUR" in again.instructions
    finally:
        reopened.close()


@pytest.mark.parametrize("failing", ["catalog", "context"])
async def test_a_failed_commit_leaves_no_half_dataset(own_settings, services, monkeypatch, failing):
    def fail(*args, **kwargs):
        raise DatasetError("injected failure")

    if failing == "catalog":
        monkeypatch.setattr(type(services.catalog), "add_dataset", fail)
    else:
        monkeypatch.setattr(manager_module, "upload_context", fail)
    tables = services.catalog.tables
    with pytest.raises(DatasetError, match="injected failure"):
        await commit_sales(services)
    assert listing(own_settings) == []
    assert list(services.datasets) == ["penguins"]
    assert services.catalog.tables == tables
    monkeypatch.undo()
    await commit_sales(services)  # the name is free again
    assert listing(own_settings) == ["sales"]


async def test_a_failed_rename_keeps_the_dataset_as_it_was(own_settings, services, monkeypatch):
    await commit_sales(services)
    before = load_definition(uploads_dir(own_settings) / "sales" / DEFINITION_FILE)

    def fail(*args, **kwargs):
        raise DatasetError("injected failure")

    monkeypatch.setattr(type(services.catalog), "rename_dataset", fail)
    assert services.uploads is not None
    with pytest.raises(DatasetError, match="injected failure"):
        await services.uploads.rename("sales", "revenue")
    assert listing(own_settings) == ["sales"]
    assert load_definition(uploads_dir(own_settings) / "sales" / DEFINITION_FILE) == before
    assert "sales" in services.datasets and "revenue" not in services.datasets
    result = await services.sql_for("sales").execute("SELECT count(*) FROM sales")
    assert result.rows == [[60]]


async def test_rename_moves_the_folder_and_renames_the_table(own_settings, services):
    await commit_sales(services)
    assert services.uploads is not None
    context = await services.uploads.rename("sales", "revenue")
    assert context.definition.name == "revenue" and list(context.definition.tables) == ["revenue"]
    assert "revenue_count" in context.definition.tables["revenue"].measures
    assert "sales" not in services.datasets
    assert (await services.sql_for("revenue").execute("SELECT count(*) FROM revenue")).rows == [
        [60]
    ]
    deadline = time.monotonic() + 30
    while listing(own_settings) != ["revenue"]:  # the old folder goes once its queries drained
        assert time.monotonic() < deadline, listing(own_settings)
        time.sleep(0.05)
    stored = load_definition(uploads_dir(own_settings) / "revenue" / DEFINITION_FILE)
    assert stored == context.definition
    with pytest.raises(ConflictError, match="penguins"):
        await services.uploads.rename("revenue", "penguins")


async def test_delete_removes_the_folder_and_the_dataset(own_settings, services):
    await commit_sales(services)
    assert services.uploads is not None
    await services.uploads.delete("sales", confirm=False)
    assert "sales" not in services.datasets and "sales" not in services.catalog.tables
    deadline = time.monotonic() + 30
    while listing(own_settings):
        assert time.monotonic() < deadline, listing(own_settings)
        time.sleep(0.05)
    with pytest.raises(NotFoundError):
        await services.uploads.delete("sales", confirm=True)
    with pytest.raises(ConflictError, match="ships with Plotwise"):
        await services.uploads.delete("penguins", confirm=True)


def test_start_sweeps_old_drafts_and_half_written_folders(own_settings):
    staging = uploads_dir(own_settings) / ".staging"
    old, fresh = staging / ("a" * 32), staging / ("b" * 32)
    for folder in (old, fresh):
        folder.mkdir(parents=True)
        (folder / "source").write_bytes(b"x,y\n1,2\n")
    past = time.time() - MAX_DRAFT_AGE_S - 60
    for path in (old / "source", old):
        os.utime(path, (past, past))
    half = uploads_dir(own_settings) / "half"
    half.mkdir()
    (half / "half.parquet").write_bytes(b"PAR1")  # a commit that died before its definition
    opened = Services.open(own_settings)
    try:
        assert staged(own_settings) == ["b" * 32]
        assert listing(own_settings) == []
        assert list(opened.datasets) == ["penguins"]
    finally:
        opened.close()


async def test_a_new_upload_sweeps_drafts_older_than_an_hour(own_settings, services):
    assert services.uploads is not None
    first = await services.uploads.upload(*form(sales_csv(), "first.csv"))
    second = await services.uploads.upload(*form(sales_csv(), "second.csv"))
    folder = uploads_dir(own_settings) / ".staging" / first.draft_id
    past = time.time() - MAX_DRAFT_AGE_S - 60
    for path in [*folder.iterdir(), folder]:
        os.utime(path, (past, past))
    third = await services.uploads.upload(*form(sales_csv(), "third.csv"))
    assert staged(own_settings) == sorted([second.draft_id, third.draft_id])
    with pytest.raises(NotFoundError, match="older than an hour"):
        await services.uploads.commit(first.draft_id, "first")
