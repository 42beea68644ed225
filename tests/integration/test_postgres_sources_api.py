"""A PostgreSQL source end to end: configured or added by URL, asked through /api/chat.

A real server (Debian's PostgreSQL) holds nycflights13; Plotwise runs with the default local
model. The same questions asked against the source and against the bundled Parquet data must
give the same artifact rows; a refresh goes back to PostgreSQL; URLs that fail or may write are
refused naming the problem; no password appears in any response or log line.
"""

from __future__ import annotations

import logging
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import httpx
import psycopg
import pyarrow as pa
import pytest

from plotwise.app import create_app
from plotwise.settings import Settings
from plotwise.sql.arrow_result import ARROW_STREAM
from support.live_server import live_server
from support.metrics import grew, scrape
from support.pg_flights import READER_PASSWORD, WRITER_PASSWORD, SeededDatabase, seed_flights
from support.postgres import PostgresServer
from support.sse import chat

SECRETS = (READER_PASSWORD, WRITER_PASSWORD, "wrong-secret-3", "dead-secret-4")
"""Every password the tests put in a URL: none may appear in a response or a log line."""

DEAD_URL = "postgresql://someone:dead-secret-4@127.0.0.1:1/nothing"

SAME_QUESTIONS = [
    "Average departure delay by carrier",
    "Average dep delay by carrier in July",
    "Number of flights from JFK by month",
]
"""Questions the local analyst reads the same way on both: the bundled definition's words, or
the source's column names and comments (``Synonyms:``); the second filters by a month."""


@pytest.fixture(scope="module")
def flights_db(
    postgres: PostgresServer, flights_parquet: dict[str, Path]
) -> Iterator[SeededDatabase]:
    """This module's own copy of nycflights13 on PostgreSQL (the refresh test changes it)."""
    seeded = seed_flights(postgres, flights_parquet)
    try:
        yield seeded
    finally:
        postgres.drop_database(seeded.name)


def _settings(app_settings: Settings, data_dir: Path, parquet: dict[str, Path], **more) -> Settings:
    """Settings over a fresh data directory holding the bundled nycflights13 Parquet files."""
    folder = data_dir / "nycflights13"
    if not folder.exists():
        folder.mkdir(parents=True)
        for path in parquet.values():
            shutil.copy(path, folder / path.name)
    return app_settings.model_copy(
        update={"data_dir": data_dir, "datasets": ["nycflights13"], "database_url": None, **more}
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sources-data")


@pytest.fixture(scope="module")
def server(
    app_settings: Settings,
    data_dir: Path,
    flights_parquet: dict[str, Path],
    flights_db: SeededDatabase,
) -> Iterator[str]:
    """Plotwise with ``PLOTWISE_SOURCES=flightsdb=<reader URL>`` and the bundled nycflights13."""
    settings = _settings(
        app_settings, data_dir, flights_parquet, sources={"flightsdb": flights_db.reader}
    )
    with live_server(create_app(settings)) as url:
        yield url


def _ask(url: str, question: str, dataset: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The turn's data event and artifact event."""
    events = chat(url, question, dataset=dataset)
    _no_secret(events)
    errors = [e.data for e in events if e.event == "error"]
    assert not errors, errors
    data = next(e.data for e in events if e.event == "data")
    artifact = next(e.data for e in events if e.event == "artifact")
    return data, artifact


def _same_rows(got: list[list[Any]], want: list[list[Any]]) -> None:
    """Order-insensitive equality; floats to 1e-9 (relative, or absolute near zero)."""
    assert len(got) == len(want) > 0

    def key(row: list[Any]) -> tuple[str, ...]:
        return tuple(str(v) if not isinstance(v, float) else "" for v in row)

    for left, right in zip(sorted(got, key=key), sorted(want, key=key), strict=True):
        assert left == [
            pytest.approx(v, rel=1e-9, abs=1e-9) if isinstance(v, float) else v for v in right
        ]


def _no_secret(value: object) -> None:
    text = str(value)
    for secret in SECRETS:
        assert secret not in text


def test_the_source_is_a_dataset(server: str) -> None:
    config = httpx.get(f"{server}/api/config").json()
    assert config["datasets"] == ["nycflights13", "flightsdb"]
    listing = httpx.get(f"{server}/api/sources").json()
    [source] = listing["items"]
    assert source["name"] == "flightsdb" and source["connected"] and source["error"] is None
    assert source["configured_in"] == "settings" and source["schema"] == "public"
    _no_secret(listing)


@pytest.mark.parametrize("question", SAME_QUESTIONS)
def test_same_question_same_rows_as_the_bundled_data(server: str, question: str) -> None:
    pg_data, pg_artifact = _ask(server, question, "flightsdb")
    duck_data, _ = _ask(server, question, "nycflights13")
    assert pg_data["data_version"].startswith("postgres:flightsdb:")
    assert not duck_data["data_version"].startswith("postgres:")
    assert [c["name"] for c in pg_data["columns"]] == [c["name"] for c in duck_data["columns"]]
    assert pg_data["params"] == duck_data["params"]
    _same_rows(pg_data["rows"], duck_data["rows"])
    # The artifact's own data endpoint serves the same rows, from PostgreSQL's result.
    served = httpx.post(f"{server}/api/artifacts/{pg_artifact['artifact_id']}/data", json={})
    assert served.status_code == 200
    _same_rows(served.json()["rows"], duck_data["rows"])


def test_a_template_saved_from_a_source_artifact_reopens_on_postgres(server: str) -> None:
    question = "Number of flights per carrier since 2013-06-01"
    pg_data, pg_artifact = _ask(server, question, "flightsdb")
    saved = httpx.post(
        f"{server}/api/templates",
        json={"artifact_id": pg_artifact["artifact_id"], "name": "carriers on postgres"},
    )
    assert saved.status_code == 201, saved.text
    template = saved.json()
    assert template["engine"] == "postgres" and template["dataset"] == "flightsdb"
    opened = httpx.post(f"{server}/api/templates/{template['id']}/open", json={})
    assert opened.status_code == 200, opened.text
    data = opened.json()["data"]
    assert data["data_version"].startswith("postgres:flightsdb:")
    _same_rows(data["rows"], pg_data["rows"])


def test_a_date_filter_binds_a_date_on_postgres(
    server: str, flights_parquet: dict[str, Path]
) -> None:
    data, _ = _ask(server, "Number of flights per carrier since 2013-06-01", "flightsdb")
    [spec] = data["param_specs"]
    assert spec["type"] == "date" and data["params"] == {spec["name"]: "2013-06-01"}
    duck = duckdb.connect()
    for table, path in flights_parquet.items():
        duck.execute(f"CREATE VIEW {table} AS SELECT * FROM '{path}'")
    expected = duck.execute(data["sql"], data["params"]).fetchall()
    _same_rows(data["rows"], [list(row) for row in expected])


def test_exports_list_rows_on_postgres_not_on_spark(server: str) -> None:
    events = chat(server, "Export all flights with a departure delay over 180", dataset="flightsdb")
    assert not [e for e in events if e.event == "error"]
    assert not [e for e in events if e.event == "job"]
    text = "".join(e.data.get("delta", "") for e in events if e.event == "text")
    assert "listing **flights** with PostgreSQL" in text
    data = next(e.data for e in events if e.event == "data")
    assert data["data_version"].startswith("postgres:flightsdb:")
    at = [c["name"] for c in data["columns"]].index("dep_delay")
    assert data["row_count"] > 0 and all(row[at] > 180 for row in data["rows"])


def test_refresh_goes_back_to_postgres(server: str, flights_db: SeededDatabase) -> None:
    data, artifact = _ask(server, "Average dep delay by carrier", "flightsdb")
    endpoint = f"{server}/api/artifacts/{artifact['artifact_id']}/data"
    before = {row[0]: row[1] for row in data["rows"]}
    with psycopg.connect(flights_db.admin) as conn:
        conn.execute("UPDATE flights SET dep_delay = dep_delay + 1000 WHERE carrier = 'UA'")
    try:
        fresh = httpx.post(endpoint, json={"refresh": True}).json()
        assert not fresh["cache"]["hit"] and fresh["data_version"] != data["data_version"]
        after = {row[0]: row[1] for row in fresh["rows"]}
        assert after["UA"] == pytest.approx(before["UA"] + 1000, rel=1e-9)
        assert after["AA"] == pytest.approx(before["AA"], rel=1e-9)
        # The Arrow answer comes from the same PostgreSQL rows.
        arrow = httpx.post(endpoint, json={"refresh": True}, headers={"Accept": ARROW_STREAM})
        assert arrow.headers["content-type"].startswith(ARROW_STREAM)
        table = pa.ipc.open_stream(arrow.content).read_all()
        values = dict(zip(table.column(0).to_pylist(), table.column(1).to_pylist(), strict=True))
        assert float(values["UA"]) == pytest.approx(after["UA"], rel=1e-9)
    finally:
        with psycopg.connect(flights_db.admin) as conn:
            conn.execute("UPDATE flights SET dep_delay = dep_delay - 1000 WHERE carrier = 'UA'")


def test_queries_on_postgres_are_counted_by_engine(server: str) -> None:
    _, artifact = _ask(server, "Number of flights by origin", "flightsdb")
    endpoint = f"{server}/api/artifacts/{artifact['artifact_id']}/data"
    before = scrape(server)
    assert httpx.post(endpoint, json={"refresh": True}).status_code == 200
    assert httpx.post(endpoint, json={}).json()["cache"]["hit"]
    after = scrape(server)
    assert grew(before, after, "plotwise_sql_queries_total", engine="postgres", outcome="ok") == 1
    cached = {"engine": "postgres", "outcome": "cached"}
    assert grew(before, after, "plotwise_sql_queries_total", **cached) == 1
    assert grew(before, after, "plotwise_sql_queries_total", engine="duckdb", outcome="ok") == 0


def test_urls_that_fail_or_may_write_are_refused(
    server: str, flights_db: SeededDatabase, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    where = flights_db.reader.rsplit("@", 1)[1]
    cases = {
        flights_db.writer: ["INSERT", "airlines, flights", where, "writer"],
        flights_db.admin: ["superuser", where],
        flights_db.bad: ["nobody", "does not exist", where],
        DEAD_URL: ["127.0.0.1:1/nothing"],
        "postgresql://u:dead-secret-4@[bad/x": ["malformed"],
        "mysql://u:dead-secret-4@h/db": ["postgresql://"],
    }
    for url, named in cases.items():
        response = httpx.post(f"{server}/api/sources", json={"name": "extra", "url": url})
        assert response.status_code == 400, response.text
        error = response.json()["error"]
        assert error["code"] == "source_error"
        for part in named:
            assert part in error["message"]
        _no_secret(response.text)
    assert "extra" not in httpx.get(f"{server}/api/config").json()["datasets"]
    _no_secret([record.getMessage() for record in caplog.records])


def test_names_must_be_free_identifiers(server: str, flights_db: SeededDatabase) -> None:
    post = lambda name: httpx.post(  # noqa: E731
        f"{server}/api/sources", json={"name": name, "url": flights_db.reader}
    )
    for taken in ("nycflights13", "flightsdb"):
        response = post(taken)
        assert response.status_code == 409 and taken in response.json()["error"]["message"]
    response = post("Bad-Name")
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_request"
    assert httpx.delete(f"{server}/api/sources/flightsdb").status_code == 409
    assert httpx.delete(f"{server}/api/sources/nothing").status_code == 404


def test_added_sources_persist_and_can_be_removed(
    app_settings: Settings,
    data_dir: Path,
    flights_parquet: dict[str, Path],
    server: str,
    flights_db: SeededDatabase,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    body = {"name": "warehouse", "url": flights_db.reader, "schema": "public"}
    response = httpx.post(f"{server}/api/sources", json=body, timeout=60)
    assert response.status_code == 201, response.text
    summary = response.json()
    assert summary["kind"] == "postgres" and summary["engine"] == "postgres"
    assert summary["origin"] == flights_db.reader.rsplit("@", 1)[1]
    assert summary["created_at"] and not summary["is_default"]
    tables = {t["name"]: t for t in summary["tables"]}
    assert set(tables) == {"airlines", "airports", "flights", "planes", "weather"}
    assert tables["flights"] == {"name": "flights", "row_count": None, "column_count": 19}
    _no_secret(response.text)
    stored = data_dir / "sources.json"
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    text = stored.read_text()
    assert '"warehouse"' in text and READER_PASSWORD in text and "flightsdb" not in text
    data, _ = _ask(server, "Average dep delay by carrier", "warehouse")
    assert data["data_version"].startswith("postgres:warehouse:")

    settings = _settings(app_settings, data_dir, flights_parquet)  # no PLOTWISE_SOURCES now
    with live_server(create_app(settings)) as again:
        assert "warehouse" in httpx.get(f"{again}/api/config").json()["datasets"]
        [source] = httpx.get(f"{again}/api/sources").json()["items"]
        assert source["name"] == "warehouse" and source["configured_in"] == "api"
        assert source["connected"]
        assert httpx.delete(f"{again}/api/sources/warehouse").status_code == 204
        assert "warehouse" not in httpx.get(f"{again}/api/config").json()["datasets"]
        refused = httpx.post(
            f"{again}/api/chat",
            json={"message": "Average dep delay by carrier", "datasets": ["warehouse"]},
        )
        assert refused.status_code == 400 and "'warehouse'" in refused.json()["error"]["message"]
    assert "warehouse" not in stored.read_text()
    _no_secret([record.getMessage() for record in caplog.records])


def test_the_app_starts_with_a_failing_source_and_lists_its_error(
    app_settings: Settings,
    tmp_path: Path,
    flights_parquet: dict[str, Path],
    flights_db: SeededDatabase,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    sources = {"down": DEAD_URL, "writes": flights_db.writer, "flightsdb": flights_db.reader}
    settings = _settings(app_settings, tmp_path, flights_parquet, sources=sources)
    with live_server(create_app(settings)) as url:
        assert httpx.get(f"{url}/api/config").json()["datasets"] == ["nycflights13", "flightsdb"]
        listing = httpx.get(f"{url}/api/sources").json()
        states = {item["name"]: item for item in listing["items"]}
        assert not states["down"]["connected"] and "127.0.0.1:1/nothing" in states["down"]["error"]
        assert not states["writes"]["connected"] and "INSERT" in states["writes"]["error"]
        assert states["flightsdb"]["connected"]
        _no_secret(listing)
        retry = httpx.post(f"{url}/api/sources/down/reconnect", timeout=30)
        assert retry.status_code == 400 and retry.json()["error"]["code"] == "source_error"
        _no_secret(retry.text)
    messages = [record.getMessage() for record in caplog.records]
    assert any("down" in m and "127.0.0.1:1/nothing" in m for m in messages)
    _no_secret(messages)
