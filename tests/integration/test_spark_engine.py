"""The Spark Connect server Plotwise starts: it dies with Plotwise, and a failed start says why."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import plotwise
from plotwise.data.catalog import Catalog
from plotwise.settings import Settings
from plotwise.spark.jobs import JobManager
from plotwise.store import Database
from support.spark import follow

pytestmark = pytest.mark.spark

START_SERVER = """
import sys, time
from pathlib import Path
from plotwise.spark.server import ConnectServer
ConnectServer("local[1]", Path(sys.argv[1]), 120).start()
time.sleep(600)
"""


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie nobody reaped yet has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def test_the_server_dies_with_the_process_that_started_it(tmp_path: Path):
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    # The child runs in an empty folder: give it the package's location absolutely.
    package_root = str(Path(plotwise.__file__).resolve().parents[1])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([package_root, os.environ.get("PYTHONPATH", "")]),
    }
    parent = subprocess.Popen(
        [sys.executable, "-c", START_SERVER, str(tmp_path / "spark")], cwd=workdir, env=env
    )
    try:
        deadline = time.monotonic() + 60
        java = None
        while java is None:
            assert time.monotonic() < deadline, "no Spark Connect server process appeared"
            java = next(
                (p for p in children(parent.pid) if "SparkConnectServer" in cmdline(p)), None
            )
            time.sleep(0.1)
    finally:
        parent.kill()  # SIGKILL: no clean-up code of the parent runs
        parent.wait()
    deadline = time.monotonic() + 20
    while alive(java):
        assert time.monotonic() < deadline, "the Spark Connect server outlived its parent"
        time.sleep(0.1)
    assert list(workdir.iterdir()) == []
    assert (tmp_path / "spark" / "connect-server.log").exists()


@pytest.mark.anyio
async def test_a_failed_start_fails_the_job_with_the_logs_end(
    catalog: Catalog, settings: Settings, tmp_path: Path
):
    broken = settings.model_copy(
        update={
            "data_dir": tmp_path / "data",
            "spark_master": "no-such-master",
            "artifacts_dir": tmp_path / "artifacts",
            "database_url": f"sqlite:///{tmp_path / 'store.db'}",
        }
    )
    db = Database.open(broken.resolved_database_url())
    manager = JobManager.create(catalog, db, broken)
    try:
        job = await manager.submit("SELECT count(*) FROM airlines")
        final = (await follow(manager, job.job_id))[-1]
    finally:
        manager.close()
        db.close()
    assert final.state == "failed" and final.error is not None
    assert (final.error.code, final.error.stage, final.error.recoverable) == (
        "spark_unavailable",
        "starting",
        True,
    )
    log = tmp_path / "data" / "spark" / "connect-server.log"
    assert "Spark exited with status" in final.error.message
    assert str(log) in final.error.message
    # Spark's own reason, quoted from the log, without the Java stack trace under it.
    assert "Master must either be yarn or start with spark, k8s, or local" in final.error.message
    assert "\tat org.apache" not in final.error.message
    assert "\tat org.apache" in log.read_text()
