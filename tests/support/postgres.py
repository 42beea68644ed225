"""A throwaway PostgreSQL server from Debian's packages, for the store tests.

`start_postgres` runs ``initdb`` into a fresh directory and starts the server on a free
127.0.0.1 port with its socket in that directory; `PostgresServer.stop` stops it and removes the
directory. PostgreSQL refuses to run as root: as root, the directory belongs to the ``postgres``
user (made by the Debian package) and the binaries run through ``runuser -u postgres --``.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from support.live_server import free_port

INSTALL_HINT = (
    "PostgreSQL is not installed (no pg_ctl under /usr/lib/postgresql/*/bin): run `make postgres`"
)


def find_bin_dir() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` holding ``pg_ctl`` and ``initdb``."""
    found = [
        Path(p).parent
        for p in glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")
        if (Path(p).parent / "initdb").exists()
    ]
    return max(found, key=lambda p: int(p.parent.name), default=None) if found else None


@dataclass
class PostgresServer:
    bin_dir: Path
    root: Path
    port: int
    prefix: list[str] = field(default_factory=list)
    """``runuser -u postgres --`` when running as root, else nothing."""

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def admin_dsn(self) -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """Create an empty database and return its name."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.admin_dsn(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        with psycopg.connect(self.admin_dsn(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def run(self, *args: str) -> None:
        subprocess.run(
            [*self.prefix, *args], check=True, capture_output=True, text=True, timeout=120
        )

    def stop(self) -> None:
        try:
            self.run(str(self.bin_dir / "pg_ctl"), "stop", "-D", str(self.data_dir), "-m", "fast")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def start_postgres() -> PostgresServer:
    """Initialise and start a server; raises RuntimeError with `INSTALL_HINT` if not installed."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise RuntimeError(INSTALL_HINT)
    # Not under pytest's tmp dirs: as root those are 0700, and the postgres user must enter it.
    root = Path(tempfile.mkdtemp(prefix="plotwise-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    server = PostgresServer(bin_dir, root, free_port(), prefix)
    try:
        server.run(
            str(bin_dir / "initdb"), "-D", str(server.data_dir), "-U", "postgres",
            "--auth=trust", "--encoding=UTF8", "--no-sync",
        )  # fmt: skip
        options = (
            f"-p {server.port} -k {root} -c listen_addresses=127.0.0.1 "
            # A test server: speed over crash safety of the server itself.
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            # No background writes: autovacuum's ANALYZE of freshly seeded tables takes a
            # transaction id, which moves pg_current_snapshot() (a source's data version)
            # between two queries of a test that expects the second to hit the cache.
            "-c autovacuum=off"
        )
        server.run(
            str(bin_dir / "pg_ctl"), "start", "-w", "-t", "60", "-D", str(server.data_dir),
            "-l", str(root / "server.log"), "-o", options,
        )  # fmt: skip
    except subprocess.CalledProcessError as exc:
        log = root / "server.log"
        detail = log.read_text() if log.exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {exc.stderr}\n{detail}") from exc
    return server
