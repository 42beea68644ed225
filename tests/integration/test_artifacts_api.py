"""Artifacts over real HTTP: query parameters, refresh, cache, and new data after appends."""

from __future__ import annotations

import os

import duckdb
import httpx
import pytest

from plotwise.data.nycflights13 import parquet_paths
from support.sse import chat


def make_artifact(url: str, question: str) -> tuple[dict, dict]:
    events = chat(url, question)
    artifact = next(e.data for e in events if e.event == "artifact")
    data = next(e.data for e in events if e.event == "data")
    return artifact, data


def post_data(url: str, artifact_id: str, **body) -> httpx.Response:
    return httpx.post(f"{url}/api/artifacts/{artifact_id}/data", json=body, timeout=30)


def test_filter_question_exposes_a_query_parameter(local_server):
    artifact, data = make_artifact(local_server, "Number of flights from JFK by month")
    assert data["params"] == {"origin": "JFK"}
    [spec] = data["param_specs"]
    assert spec["name"] == "origin" and spec["type"] == "select"
    assert spec["options"] == ["EWR", "JFK", "LGA"]
    record = httpx.get(f"{local_server}/api/artifacts/{artifact['artifact_id']}").json()
    assert "$origin" in record["sql"] and record["code"] == artifact["code"]
    assert record["param_specs"] == data["param_specs"]


def test_changing_a_query_parameter_reruns_the_sql(local_server):
    artifact, data = make_artifact(local_server, "Number of flights from JFK by month")
    response = post_data(local_server, artifact["artifact_id"], params={"origin": "LGA"})
    assert response.status_code == 200, response.text
    lga = response.json()
    assert lga["params"] == {"origin": "LGA"} and lga["artifact_id"] == artifact["artifact_id"]
    assert sum(row[1] for row in lga["rows"]) == 104_662
    assert sum(row[1] for row in data["rows"]) == 111_279
    assert lga["sql"] == data["sql"]


def test_cache_hits_and_refresh_bypasses_it(local_server):
    artifact, _ = make_artifact(local_server, "Number of flights from JFK by month")
    first = post_data(local_server, artifact["artifact_id"], params={"origin": "EWR"}).json()
    again = post_data(local_server, artifact["artifact_id"], params={"origin": "EWR"}).json()
    assert not first["cache"]["hit"] and again["cache"]["hit"]
    assert again["cache"]["key"] == first["cache"]["key"]
    assert again["fetched_at"] == first["fetched_at"] and again["rows"] == first["rows"]
    fresh = post_data(
        local_server, artifact["artifact_id"], params={"origin": "EWR"}, refresh=True
    ).json()
    assert not fresh["cache"]["hit"] and fresh["fetched_at"] > first["fetched_at"]
    assert fresh["rows"] == first["rows"]


@pytest.mark.parametrize(
    ("body", "status", "code", "problem"),
    [
        ({"params": {"carrier": "UA"}}, 400, "bad_request", "carrier"),
        ({"params": {"origin": "BOS"}}, 400, "bad_request", "origin"),
        ({"params": "JFK"}, 422, "invalid_request", "params"),
    ],
)
def test_bad_parameter_values_name_the_problem(local_server, body, status, code, problem):
    artifact, _ = make_artifact(local_server, "Number of flights from JFK by month")
    response = post_data(local_server, artifact["artifact_id"], **body)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code and problem in error["message"]


def test_unknown_artifact_is_404(local_server):
    response = post_data(local_server, "art_nope")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert httpx.get(f"{local_server}/api/artifacts/art_nope").status_code == 404


def test_endpoint_is_in_the_openapi_schema(local_server):
    schema = httpx.get(f"{local_server}/openapi.json").json()
    assert "/api/artifacts/{artifact_id}/data" in schema["paths"]
    assert "post" in schema["paths"]["/api/artifacts/{artifact_id}/data"]


def append_rows(data_dir, carrier: str, count: int) -> None:
    """Append ``count`` copies of flights with another carrier code, atomically."""
    path = parquet_paths(data_dir)["flights"]
    tmp = path.with_suffix(".tmp.parquet")
    duckdb.sql(
        f"COPY (SELECT * FROM read_parquet('{path}') UNION ALL "
        f"(SELECT * REPLACE ('{carrier}' AS carrier) FROM read_parquet('{path}') LIMIT {count})) "
        f"TO '{tmp}' (FORMAT parquet)"
    )
    os.replace(tmp, path)


def test_refresh_after_appending_rows_shows_new_data(server_with, tmp_path):
    with server_with(data_dir=tmp_path) as url:
        artifact, data = make_artifact(url, "Number of flights by carrier")
        assert data["row_count"] == 16
        append_rows(tmp_path, "ZZ", 5)
        fresh = post_data(url, artifact["artifact_id"], refresh=True).json()
    assert fresh["row_count"] == 17 and ["ZZ", 5] in fresh["rows"]
    assert fresh["data_version"] != data["data_version"]
