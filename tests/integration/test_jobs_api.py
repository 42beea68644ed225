"""The Spark job endpoints over real HTTP: a job's state, cancellation, result downloads, errors.

The server is the whole app (`create_app`); its jobs run on the session's local Spark, which
the app reaches through ``PLOTWISE_SPARK_REMOTE``. Jobs are submitted through the app's own
`JobManager` (the chat's ``submit_spark`` tool is another module's), then read over HTTP.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator

import httpx
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest
from fastapi import FastAPI

from plotwise.app import create_app
from plotwise.data.catalog import Catalog
from plotwise.settings import Settings
from plotwise.spark.engine import SparkEngine
from plotwise.spark.jobs import JobManager
from support.live_server import live_server
from support.metrics import grew, scrape
from support.spark import FILTER, LONG, follow, wait_until

pytestmark = [pytest.mark.anyio, pytest.mark.spark]

SPARK_JOBS = "plotwise_spark_jobs_total"

ERROR_FIELDS = {"code", "message", "stage", "recoverable", "trace_id"}


@pytest.fixture(scope="module")
def jobs_settings(
    app_settings: Settings, spark_engine: SparkEngine, tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    folder = tmp_path_factory.mktemp("jobs_api")
    return app_settings.model_copy(
        update={
            "spark_remote": spark_engine.url,
            "artifacts_dir": folder / "artifacts",
            "database_url": f"sqlite:///{folder / 'store.db'}",
        }
    )


@pytest.fixture(scope="module")
def app_with_jobs(jobs_settings: Settings) -> Iterator[tuple[str, FastAPI]]:
    app = create_app(jobs_settings)
    with live_server(app) as url:
        yield url, app


@pytest.fixture
def url(app_with_jobs: tuple[str, FastAPI]) -> str:
    return app_with_jobs[0]


@pytest.fixture
def jobs(app_with_jobs: tuple[str, FastAPI]) -> JobManager:
    return app_with_jobs[1].state.services.jobs


def assert_error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == ERROR_FIELDS
    assert body["error"]["code"] == code and body["error"]["message"]


async def test_a_succeeded_job_and_its_files(url: str, jobs: JobManager, catalog: Catalog):
    [(count,)] = (
        catalog.cursor().execute("SELECT count(*) FROM flights WHERE dep_delay > 180").fetchall()
    )
    job = await jobs.submit(FILTER, output_format="csv")
    final = (await follow(jobs, job.job_id))[-1]
    assert final.state == "succeeded", final.error
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        got = await client.get(f"/api/jobs/{job.job_id}")
        assert got.status_code == 200 and got.json() == final.model_dump(mode="json")

        parquet = await client.get(f"/api/jobs/{job.job_id}/files/parquet")
        assert parquet.status_code == 200
        assert parquet.headers["content-type"] == "application/vnd.apache.parquet"
        assert parquet.headers["content-disposition"] == (
            f'attachment; filename="{job.job_id}.parquet"'
        )
        assert pq.read_table(io.BytesIO(parquet.content)).num_rows == final.row_count == count

        csv = await client.get(final.files[0].url)
        assert final.files[0].format == "csv" and csv.status_code == 200
        assert csv.headers["content-type"] == "text/csv; charset=utf-8"
        assert csv.headers["content-disposition"] == f'attachment; filename="{job.job_id}.csv"'
        assert int(csv.headers["content-length"]) == final.files[0].bytes
        assert pa_csv.read_csv(io.BytesIO(csv.content)).num_rows == count

        # Cancelling a finished job changes nothing.
        again = await client.post(f"/api/jobs/{job.job_id}/cancel")
        assert again.status_code == 200 and again.json() == got.json()


async def test_cancelling_over_http(url: str, jobs: JobManager, jobs_settings: Settings):
    job = await jobs.submit(LONG)
    await wait_until(jobs, job.job_id, lambda j: j.progress.tasks_total > 0)
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        unfinished = await client.get(f"/api/jobs/{job.job_id}/files/parquet")
        assert_error(unfinished, 409, "conflict")
        assert "running" in unfinished.json()["error"]["message"]

        cancelled = await client.post(f"/api/jobs/{job.job_id}/cancel")
        assert cancelled.status_code == 200, cancelled.text
        body = cancelled.json()
        assert (body["state"], body["stage"], body["files"]) == ("cancelled", "done", [])
        assert (await client.get(f"/api/jobs/{job.job_id}")).json() == body
        assert (await client.post(f"/api/jobs/{job.job_id}/cancel")).json() == body
        assert_error(await client.get(f"/api/jobs/{job.job_id}/files/csv"), 409, "conflict")
    # The app's jobs folder holds no trace of it.
    folder = jobs_settings.resolved_artifacts_dir() / "jobs"
    assert not (folder / job.job_id).exists()
    assert not any(p.name.startswith(f".{job.job_id}") for p in folder.glob(".*"))
    # Spark stopped working on it: a small job is done in seconds.
    async with asyncio.timeout(30):
        small = await follow(jobs, (await jobs.submit("SELECT count(*) FROM airlines")).job_id)
    assert small[-1].state == "succeeded"


async def test_unknown_jobs_and_formats(url: str):
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        assert_error(await client.get("/api/jobs/job_0123456789abcdef"), 404, "not_found")
        assert_error(await client.post("/api/jobs/job_0123456789abcdef/cancel"), 404, "not_found")
        assert_error(await client.get("/api/jobs/job_0123456789abcdef/files/csv"), 404, "not_found")
        assert_error(
            await client.get("/api/jobs/job_0123456789abcdef/files/xlsx"), 422, "invalid_request"
        )


async def test_finished_jobs_are_counted_by_outcome(url: str, jobs: JobManager):
    before = scrape(url)
    job = await jobs.submit(FILTER)
    final = (await follow(jobs, job.job_id))[-1]
    assert final.state == "succeeded", final.error
    # The job's thread counts it just after publishing its final state.
    deadline = asyncio.get_running_loop().time() + 10
    while grew(before, after := scrape(url), SPARK_JOBS, outcome="succeeded") < 1:
        assert asyncio.get_running_loop().time() < deadline, "the job was not counted"
        await asyncio.sleep(0.05)
    assert grew(before, after, SPARK_JOBS, outcome="succeeded") == 1
    assert grew(before, after, SPARK_JOBS, outcome="failed") == 0
