"""Which bundled datasets load, and at which TPC-H scale factor: PLOTWISE_DATASETS and friends."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from plotwise.settings import Settings


def test_all_three_datasets_by_default(monkeypatch):
    monkeypatch.delenv("PLOTWISE_DATASETS", raising=False)
    monkeypatch.delenv("PLOTWISE_TPCH_SCALE_FACTOR", raising=False)
    settings = Settings()
    assert settings.datasets == ["nycflights13", "penguins", "tpch"]
    assert settings.tpch_scale_factor == 0.01


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('["penguins", "tpch"]', ["penguins", "tpch"]),
        ("penguins,tpch", ["penguins", "tpch"]),
        (" nycflights13 , TPCH ", ["nycflights13", "tpch"]),
        ("tpch", ["tpch"]),
        ("tpch,tpch,", ["tpch"]),
    ],
)
def test_datasets_from_the_environment_as_json_or_commas(monkeypatch, raw, expected):
    monkeypatch.setenv("PLOTWISE_DATASETS", raw)
    assert Settings().datasets == expected


@pytest.mark.parametrize("raw", ["", " , ", "[]", '["penguins"'])
def test_empty_or_broken_dataset_lists_are_refused(monkeypatch, raw):
    monkeypatch.setenv("PLOTWISE_DATASETS", raw)
    with pytest.raises(ValidationError, match="datasets"):
        Settings()


def test_scale_factor_from_the_environment_and_its_bounds(monkeypatch):
    monkeypatch.setenv("PLOTWISE_TPCH_SCALE_FACTOR", "0.1")
    assert Settings().tpch_scale_factor == 0.1
    for bad in ("0", "-1", "1000"):
        monkeypatch.setenv("PLOTWISE_TPCH_SCALE_FACTOR", bad)
        with pytest.raises(ValidationError, match="tpch_scale_factor"):
            Settings()
