"""docker-compose.yml checked by Docker's own Compose: `docker compose config` parses, interpolates
and validates the file against the Compose specification without a Docker engine. The binary comes
from the dev dependencies (see support.compose); with a `docker` CLI on PATH every test also runs
through that CLI, as `docker compose`.

Beyond validity, the resolved file must wire the app to Spark the way Spark jobs need: the app's
PLOTWISE_SPARK_REMOTE names the Spark Connect service and port, the Parquet data sits at the same
path in both containers, and the app waits for Spark Connect to listen.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pyspark
import pytest

from support.compose import COMPOSE_BIN, COMPOSE_FILE, INSTALL_HINT, REPO, Compose


def _data_dir_of_image() -> str:
    """PLOTWISE_DATA_DIR as the Dockerfile sets it for the app's container."""
    match = re.search(r"PLOTWISE_DATA_DIR=(\S+)", (REPO / "Dockerfile").read_text())
    assert match, "the Dockerfile sets no PLOTWISE_DATA_DIR"
    return match.group(1)


@pytest.fixture(scope="module", params=["docker-compose", "docker compose"])
def compose(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Compose:
    if not COMPOSE_BIN.exists():
        pytest.fail(INSTALL_HINT)
    home = tmp_path_factory.mktemp("docker-config")
    if request.param == "docker-compose":
        compose = Compose.standalone(home)
    else:
        docker = shutil.which("docker")
        if docker is None:
            pytest.skip("no docker CLI on PATH: Compose ran standalone only")
        compose = Compose.plugin(docker, home)
    version = compose.run("version", "--short")
    assert version.returncode == 0, version.stderr
    assert int(version.stdout.strip().lstrip("v").split(".")[0]) >= 2, "not Compose v2 or later"
    return compose


@pytest.fixture(scope="module")
def resolved(compose: Compose) -> dict:
    return compose.resolved()


def test_compose_file_is_valid_without_warnings(compose: Compose) -> None:
    done = compose.run("-f", str(COMPOSE_FILE), "config", "--quiet")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


@pytest.mark.parametrize(
    ("edit", "complaint"),
    [
        # A typo in a key fails the specification's schema.
        (lambda text: text.replace("healthcheck:", "healthchek:"), "healthchek"),
        # A dependency on a service that does not exist fails the project model.
        (lambda text: text.replace("\n  spark-connect:\n", "\n  spark:\n"), "spark-connect"),
    ],
    ids=["unknown-key", "missing-dependency"],
)
def test_compose_rejects_a_broken_file(compose: Compose, edit, complaint: str) -> None:
    broken = edit(COMPOSE_FILE.read_text())
    assert broken != COMPOSE_FILE.read_text()
    done = compose.run(
        "-f", "-", "--project-directory", str(REPO), "config", "--quiet", stdin=broken
    )
    assert done.returncode != 0
    assert complaint in done.stderr


def test_app_reaches_spark_connect_inside_the_compose_network(resolved: dict) -> None:
    services = resolved["services"]
    assert set(services) == {"plotwise", "spark-connect"}
    spark = services["spark-connect"]

    remote = urlsplit(services["plotwise"]["environment"]["PLOTWISE_SPARK_REMOTE"])
    assert remote.scheme == "sc"
    assert remote.hostname == "spark-connect"
    command = spark["command"]
    assert command[:2] == ["/opt/spark/sbin/start-connect-server.sh", "--wait"]
    assert f"spark.connect.grpc.binding.port={remote.port}" in command
    assert "spark.connect.grpc.binding.address=0.0.0.0" in command
    assert spark["expose"] == [str(remote.port)]
    # Not published on the host: the Spark Connect port takes no authentication.
    assert "ports" not in spark

    # The app starts once the server accepts connections on that port.
    assert services["plotwise"]["depends_on"]["spark-connect"]["condition"] == "service_healthy"
    assert f"/dev/tcp/127.0.0.1/{remote.port}" in " ".join(spark["healthcheck"]["test"])


def test_spark_image_is_the_release_of_the_pyspark_client(resolved: dict) -> None:
    assert resolved["services"]["spark-connect"]["image"] == f"apache/spark:{pyspark.__version__}"


def test_parquet_data_sits_at_the_same_path_in_both_containers(resolved: dict) -> None:
    data_dir = _data_dir_of_image()
    services = resolved["services"]
    app_mounts = {m["target"]: m for m in services["plotwise"]["volumes"]}
    spark_mounts = {m["target"]: m for m in services["spark-connect"]["volumes"]}

    assert app_mounts[data_dir]["type"] == spark_mounts[data_dir]["type"] == "volume"
    assert app_mounts[data_dir]["source"] == spark_mounts[data_dir]["source"]
    assert app_mounts[data_dir]["source"] in resolved["volumes"]
    assert not app_mounts[data_dir].get("read_only", False)
    assert spark_mounts[data_dir]["read_only"] is True


def test_database_has_a_volume_spark_does_not_mount(resolved: dict) -> None:
    services = resolved["services"]
    url = services["plotwise"]["environment"]["PLOTWISE_DATABASE_URL"]
    assert url.startswith("sqlite:////")
    database = Path(url.removeprefix("sqlite:///"))
    mount = next(m for m in services["plotwise"]["volumes"] if database.parent == Path(m["target"]))
    assert mount["type"] == "volume"
    assert mount["source"] in resolved["volumes"]
    assert mount["source"] not in {m["source"] for m in services["spark-connect"]["volumes"]}


def test_defaults_need_no_environment(resolved: dict) -> None:
    environment = resolved["services"]["plotwise"]["environment"]
    assert environment["OPENAI_API_KEY"] == environment["ANTHROPIC_API_KEY"] == ""
    assert environment["PLOTWISE_MODEL"] == "local"
