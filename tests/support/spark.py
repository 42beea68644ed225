"""Spark for tests: a Spark Connect server started by Spark's own ``sbin`` scripts, and helpers
to follow jobs.

`sbin_connect_server` is the deployment path an operator uses for a cluster's Connect server
(``start-connect-server.sh``, which daemonizes, and ``stop-connect-server.sh``), from the
pip-installed PySpark, with its logs, pid file and scratch space under a temporary folder.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic_ai.messages import ModelMessage
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, FunctionModel

from plotwise.spark.jobs import JobManager
from plotwise.spark.models import FINAL_STATES, Job
from plotwise.spark.server import accepts, spark_home
from support.live_server import free_port

FILTER = "SELECT * FROM flights WHERE dep_delay > 180"
"""The issue's export: every flight that left more than 3 hours late (a few thousand rows)."""

LONG = "SELECT count(*) AS n FROM flights a CROSS JOIN flights b WHERE a.dep_delay < b.arr_delay"
"""A job that runs for minutes on Spark: long enough to cancel or leave running."""

CONNECT_PORT = 15002
"""Spark Connect's default port, used when free (another Spark on this machine may hold it)."""


def _is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@contextmanager
def sbin_connect_server(folder: Path, *, timeout_s: float = 180) -> Iterator[str]:
    """Run ``sbin/start-connect-server.sh`` on 127.0.0.1:15002 (or, if taken, a free port);
    yield its ``sc://`` URL.

    Raises:
        RuntimeError: The server did not listen within ``timeout_s`` (the message quotes its
            log).

    """
    home = spark_home()
    port = CONNECT_PORT if _is_free(CONNECT_PORT) else free_port()
    folder.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "SPARK_HOME": str(home),
        "SPARK_LOG_DIR": str(folder / "logs"),
        "SPARK_PID_DIR": str(folder / "pids"),
        "SPARK_LOCAL_IP": "127.0.0.1",
    }
    conf = {
        "spark.connect.grpc.binding.address": "127.0.0.1",
        "spark.connect.grpc.binding.port": str(port),
        "spark.ui.enabled": "false",
        "spark.local.dir": str(folder / "local"),
        "spark.sql.warehouse.dir": str(folder / "warehouse"),
        "spark.sql.catalogImplementation": "in-memory",
    }
    command = [str(home / "sbin" / "start-connect-server.sh"), "--master", "local[1]"]
    for key, value in conf.items():
        command += ["--conf", f"{key}={value}"]
    subprocess.run(command, env=env, cwd=folder, check=True, capture_output=True, timeout=60)
    try:
        deadline = time.monotonic() + timeout_s
        while not accepts("127.0.0.1", port):
            if time.monotonic() > deadline:
                logs = "\n".join(p.read_text()[-2000:] for p in (folder / "logs").glob("*.out"))
                raise RuntimeError(f"the Spark Connect server did not start:\n{logs}")
            time.sleep(0.2)
        yield f"sc://127.0.0.1:{port}"
    finally:
        subprocess.run(
            [str(home / "sbin" / "stop-connect-server.sh")],
            env=env,
            cwd=folder,
            check=False,
            capture_output=True,
            timeout=60,
        )


async def follow(jobs: JobManager, job_id: str) -> list[Job]:
    """Every snapshot `JobManager.watch` yields for a job, up to its final state."""
    return [job async for job in jobs.watch(job_id)]


async def wait_until(
    jobs: JobManager, job_id: str, ready: Callable[[Job], bool], *, timeout_s: float = 120
) -> Job:
    """Follow a job until ``ready`` holds for a snapshot (or it is final); return that one.

    Raises:
        TimeoutError: Not within ``timeout_s``.

    """
    async with asyncio.timeout(timeout_s):
        async for job in jobs.watch(job_id):
            if ready(job) or job.state in FINAL_STATES:
                return job
    raise AssertionError("watch() ended without a final state")


def long_job_model() -> FunctionModel:
    """A model that submits `LONG` to Spark, then answers in one sentence."""

    async def stream(messages: list[ModelMessage], info: AgentInfo):
        if len(messages) == 1:
            yield {
                0: DeltaToolCall(
                    name="submit_spark",
                    json_args=json.dumps({"query": LONG}),
                    tool_call_id="call_long",
                )
            }
        else:
            yield "The job ended."

    return FunctionModel(stream_function=stream, model_name="long-job")
