"""``sources.json``: owner-only, replaced atomically, a damaged file named without its text."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from plotwise.errors import DatasetError
from plotwise.sources.stored import StoredSource, load_sources, save_sources, sources_file

URL = "postgresql://reader:file-secret-9@db.example:5432/warehouse"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_round_trip_owner_only_and_no_temporary_file_left(tmp_path: Path) -> None:
    path = sources_file(tmp_path / "data")
    added = datetime(2026, 11, 2, 10, tzinfo=UTC)
    save_sources(path, {"warehouse": StoredSource(url=URL, schema_="sales", added_at=added)})
    assert _mode(path) == 0o600
    assert os.listdir(path.parent) == ["sources.json"]
    loaded = load_sources(path)
    assert loaded["warehouse"].url == URL and loaded["warehouse"].schema_ == "sales"
    assert loaded["warehouse"].added_at == added
    assert '"schema": "sales"' in path.read_text()
    save_sources(path, {})
    assert load_sources(path) == {} and _mode(path) == 0o600


def test_absent_file_holds_nothing_and_loose_permissions_are_tightened(tmp_path: Path) -> None:
    path = tmp_path / "sources.json"
    assert load_sources(path) == {}
    path.write_text(json.dumps({"a": {"url": URL}}))
    path.chmod(0o644)
    assert load_sources(path)["a"].schema_ == "public"
    assert _mode(path) == 0o600


@pytest.mark.parametrize(
    "text", [json.dumps({"a": {"url": URL}})[:-2], json.dumps([URL]), '{"a": {}}']
)
def test_a_damaged_file_stops_the_start_without_repeating_it(tmp_path: Path, text: str) -> None:
    path = tmp_path / "sources.json"
    path.write_text(text)
    with pytest.raises(DatasetError, match="damaged") as caught:
        load_sources(path)
    assert "file-secret-9" not in caught.value.message
