from pathlib import Path

import pytest
from pydantic import ValidationError

from plotwise.settings import PROJECT_ROOT, Settings


def test_spark_defaults(monkeypatch):
    for name in ("REMOTE", "MASTER", "MAX_JOBS", "MAX_ROWS", "WAIT_S"):
        monkeypatch.delenv(f"PLOTWISE_SPARK_{name}", raising=False)
    monkeypatch.delenv("PLOTWISE_ARTIFACTS_DIR", raising=False)
    settings = Settings(data_dir=Path("/srv/plotwise"))
    assert settings.spark_remote is None and settings.spark_master == "local[*]"
    assert (settings.spark_start_timeout_s, settings.spark_max_jobs) == (120, 2)
    assert (settings.spark_max_rows, settings.spark_preview_rows) == (10_000_000, 1000)
    assert settings.spark_wait_s == 300
    assert settings.resolved_artifacts_dir() == Path("/srv/plotwise/artifacts")


def test_spark_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PLOTWISE_SPARK_REMOTE", " sc://spark.example.com:15002 ")
    monkeypatch.setenv("PLOTWISE_SPARK_MASTER", "spark://master:7077")
    monkeypatch.setenv("PLOTWISE_SPARK_MAX_JOBS", "4")
    monkeypatch.setenv("PLOTWISE_ARTIFACTS_DIR", str(tmp_path / "out"))
    settings = Settings()
    assert settings.spark_remote == "sc://spark.example.com:15002"
    assert settings.spark_master == "spark://master:7077" and settings.spark_max_jobs == 4
    assert settings.resolved_artifacts_dir() == tmp_path / "out"


@pytest.mark.parametrize("url", ["http://spark:15002", "spark:15002", "sc://"])
def test_spark_remote_must_be_a_spark_connect_url(url):
    with pytest.raises(ValidationError, match="Spark Connect URL"):
        Settings(spark_remote=url)


def test_an_empty_spark_remote_means_none():
    assert Settings(spark_remote="").spark_remote is None


def test_every_setting_is_in_the_readme_table():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    missing = [f for f in Settings.model_fields if f"`PLOTWISE_{f.upper()}`" not in readme]
    assert missing == []
