"""The compose file's spark-connect service, run here from the pip-installed pyspark: the same
Spark release as its image (test_compose_config checks that), so its command line, health check and
stop signal are tried on a real Spark Connect server without a Docker engine.

Differences from the container, each forced by the test machine: /opt/spark is pyspark's
SPARK_HOME, the server binds 127.0.0.1 on a free port instead of every interface of its own
container on 15002, and the process group is signalled directly (the container's tini does that
with TINI_KILL_PROCESS_GROUP).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pyspark
import pytest
from pyspark.sql import SparkSession

from support.compose import COMPOSE_BIN, INSTALL_HINT, Compose
from support.live_server import free_port

SPARK_HOME = Path(pyspark.__file__).parent
IMAGE_SPARK_HOME = "/opt/spark"
# Docker's default grace between the stop signal and SIGKILL.
DOCKER_STOP_GRACE_S = 10


def _seconds(duration: str) -> float:
    """A Compose duration as `config` prints it (``2m0s``, ``5s``) in seconds."""
    units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|h|m|s)", duration)
    assert parts, duration
    return sum(float(value) * units[unit] for value, unit in parts)


def _on_this_machine(argument: str, port: int) -> str:
    address = "spark.connect.grpc.binding.address="
    return (
        argument.replace(IMAGE_SPARK_HOME, str(SPARK_HOME))
        .replace(f"{address}0.0.0.0", f"{address}127.0.0.1")
        .replace("15002", str(port))
    )


@pytest.mark.spark
def test_spark_connect_service_serves_parquet_by_path_and_stops_on_signal(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    if not COMPOSE_BIN.exists():
        pytest.fail(INSTALL_HINT)
    if shutil.which("java") is None:
        pytest.fail("no java on PATH: run `make java`")
    service = Compose.standalone(tmp_path_factory.mktemp("docker-config")).resolved()["services"][
        "spark-connect"
    ]
    port = free_port()
    command = [_on_this_machine(argument, port) for argument in service["command"]]
    kind, *healthcheck = service["healthcheck"]["test"]
    assert kind == "CMD"
    healthcheck = [_on_this_machine(argument, port) for argument in healthcheck]
    assert subprocess.run(healthcheck, capture_output=True).returncode != 0, "healthy before start"

    env = {
        **os.environ,
        **service["environment"],
        "SPARK_HOME": str(SPARK_HOME),
        "SPARK_LOG_DIR": str(tmp_path / "logs"),
    }
    log = tmp_path / "spark-connect.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            command,
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + _seconds(service["healthcheck"]["start_period"])
        while subprocess.run(healthcheck, capture_output=True).returncode != 0:
            assert server.poll() is None, f"server exited: {log.read_text()[-2000:]}"
            assert time.monotonic() < deadline, f"never healthy: {log.read_text()[-2000:]}"
            time.sleep(0.5)
        # --wait: the script itself is the server, not a launcher that has already returned.
        assert server.poll() is None

        flights = pa.table({"carrier": ["UA", "AA", "UA", "DL"] * 250, "delay": list(range(1000))})
        path = tmp_path / "data" / "flights.parquet"
        path.parent.mkdir()
        pq.write_table(flights, path)
        session = SparkSession.builder.remote(f"sc://127.0.0.1:{port}").create()
        try:
            session.sql(f"CREATE OR REPLACE TEMP VIEW flights AS SELECT * FROM parquet.`{path}`")
            result = session.sql(
                "SELECT count(*) AS n, sum(delay) AS total FROM flights WHERE carrier = 'UA'"
            ).toArrow()
            assert (
                session.conf.get("spark.driver.memory")
                == service["environment"]["SPARK_DRIVER_MEMORY"]
            )
        finally:
            session.stop()
        united = flights.filter(pc.equal(flights["carrier"], "UA"))
        assert result.to_pylist() == [
            {"n": united.num_rows, "total": pc.sum(united["delay"]).as_py()}
        ]
    finally:
        stopped = _stop_group(server)
    assert stopped, f"Spark Connect ignored SIGTERM for {DOCKER_STOP_GRACE_S} s"


def _stop_group(server: subprocess.Popen[bytes]) -> bool:
    """SIGTERM the server's process group; True once every process in it (the JVM too) is gone
    within Docker's grace, else SIGKILL it and False."""
    try:
        os.killpg(server.pid, signal.SIGTERM)
    except ProcessLookupError:
        return True
    deadline = time.monotonic() + DOCKER_STOP_GRACE_S
    while time.monotonic() < deadline:
        server.poll()  # reap the script: a zombie still counts as a member of its group
        try:
            os.killpg(server.pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    os.killpg(server.pid, signal.SIGKILL)
    server.wait()
    return False
