"""The ``plotwise`` command in a real subprocess, against the real bundled data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from plotwise.data.nycflights13 import parquet_paths


def run_cli(args: list[str], data_dir: Path, **kwargs) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PLOTWISE_DATA_DIR": str(data_dir), "PLOTWISE_MODEL": "local"}
    return subprocess.run(
        [sys.executable, "-m", "plotwise.cli", *args],
        env=env,
        text=True,
        capture_output=True,
        timeout=120,
        **kwargs,
    )


@pytest.fixture(scope="module")
def cli_data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("cli-data")


def test_ask_json_prints_the_rows_of_the_data(cli_data_dir):
    done = run_cli(["ask", "--format", "json", "Number of flights by carrier"], cli_data_dir)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert set(out) >= {"answer", "sql", "columns", "rows", "row_count", "truncated", "code"}
    assert out["row_count"] == 16 and len(out["rows"]) == 16 and out["truncated"] is False
    flights = parquet_paths(cli_data_dir)["flights"]
    expected = dict(
        duckdb.sql(
            f"SELECT carrier, count(*) FROM read_parquet('{flights}') GROUP BY carrier"
        ).fetchall()
    )
    assert dict(out["rows"]) == expected
    assert "export default function" in out["code"]


def test_ask_text_prints_answer_sql_and_rows(cli_data_dir):
    done = run_cli(["ask", "How many flights went to LAX?"], cli_data_dir)
    assert done.returncode == 0, done.stderr
    assert "SQL:" in done.stdout and "dest = $dest" in done.stdout
    assert "Parameters: $dest = 'LAX'" in done.stdout
    assert "16,174" in done.stdout or "16174" in done.stdout


def test_eval_reports_execution_accuracy(cli_data_dir, tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        json.dumps(
            {
                "id": "a",
                "question": "Number of flights by carrier",
                "gold_sql": "SELECT carrier, count(*) FROM flights GROUP BY carrier",
            }
        )
        + "\n"
        + json.dumps(
            {
                "id": "b",
                "question": "Number of flights by carrier",
                "gold_sql": "SELECT carrier, count(*) + 1 FROM flights GROUP BY carrier",
            }
        )
        + "\n"
        + json.dumps({"id": "c", "question": "Tell me a joke"})
        + "\n"
    )
    done = run_cli(["eval", str(questions)], cli_data_dir)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["id"] for r in records] == ["a", "b", "c"]
    assert [r["correct"] for r in records] == [True, False, None]
    assert set(records[0]) == {"id", "question", "sql", "columns", "rows", "error", "correct"}
    assert records[2]["sql"] is None
    assert "execution accuracy: 1/2 (50.0%)" in done.stderr


@pytest.mark.parametrize(
    ("content", "problem"),
    [("not json\n", "q.jsonl:1"), ('{"id": "x"}\n', "q.jsonl:1")],
)
def test_eval_names_the_bad_line(cli_data_dir, tmp_path, content, problem):
    questions = tmp_path / "q.jsonl"
    questions.write_text(content)
    done = run_cli(["eval", str(questions)], cli_data_dir)
    assert done.returncode == 2
    assert problem in done.stderr


def test_eval_of_a_missing_file_is_a_clear_error(cli_data_dir, tmp_path):
    done = run_cli(["eval", str(tmp_path / "missing.jsonl")], cli_data_dir)
    assert done.returncode == 2 and "does not exist" in done.stderr
