"""Operations over real HTTP: liveness, readiness, request/SQL/error metrics, turn trace ids."""

from __future__ import annotations

import logging
import time

import httpx

from plotwise.app import create_app
from plotwise.logs import TraceFilter
from plotwise.sql import worker_slot
from support.live_server import live_server, wait_ready
from support.metrics import grew, scrape, value
from support.scripted import scripted
from support.sse import chat

REQUESTS = "plotwise_http_requests_total"
DURATIONS = "plotwise_http_request_duration_seconds_count"
ERRORS = "plotwise_errors_total"
SQL = "plotwise_sql_queries_total"


def test_health_and_ready_answer_outside_the_api_schema(local_server):
    health = httpx.get(f"{local_server}/health")
    ready = httpx.get(f"{local_server}/ready")
    assert (health.status_code, health.json()) == (200, {"status": "ok"})
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ready",
        "checks": {"catalog": "ok", "store": "ok", "workers": "ok"},
    }
    assert httpx.get(f"{local_server}/api/health").json() == {"status": "ok"}
    paths = httpx.get(f"{local_server}/openapi.json").json()["paths"]
    assert "/health" not in paths and "/ready" not in paths and "/metrics" not in paths


def test_ready_names_what_is_not_ready_in_the_one_error_shape(app_settings):
    app = create_app(app_settings)
    with live_server(app) as url:
        wait_ready(url)
        before = scrape(url)
        app.state.services.catalog.close()
        answer = httpx.get(f"{url}/ready")
        after = scrape(url)
    assert answer.status_code == 503
    error = answer.json()["error"]
    assert error["code"] == "not_ready"
    assert error["recoverable"] is True
    assert "catalog: DatasetError: the catalog is closed" in error["message"]
    assert "workers: DatasetError: the catalog is closed" in error["message"]
    assert "store" not in error["message"]
    assert grew(before, after, ERRORS, code="not_ready") == 1


def test_ready_waits_for_every_worker_to_open_its_engine(app_settings, tmp_path, monkeypatch):
    # A "worker" that starts but never answers its hello: its process is up, its engine is not.
    silent = tmp_path / "silent-worker"
    silent.write_text("#!/bin/sh\nexec sleep 60\n")
    silent.chmod(0o755)
    monkeypatch.setattr(worker_slot, "WORKER_COMMAND", (str(silent),))
    monkeypatch.setattr(worker_slot, "START_TIMEOUT_S", 2.0)
    app = create_app(app_settings)
    with live_server(app) as url:
        pool = app.state.services.catalog.workers
        while pool.started() < pool.size():
            time.sleep(0.01)
        answer = httpx.get(f"{url}/ready")
    assert answer.status_code == 503
    error = answer.json()["error"]
    assert error["code"] == "not_ready"
    size = app_settings.sql_workers
    assert f"workers: RuntimeError: 0 of {size} query workers ready" in error["message"]
    assert "catalog" not in error["message"] and "store" not in error["message"]


def test_requests_are_counted_by_route_template_and_errors_by_code(local_server):
    before = scrape(local_server)
    assert httpx.get(f"{local_server}/api/conversations/nope-1").status_code == 404
    assert httpx.get(f"{local_server}/api/conversations/nope-2").status_code == 404
    assert httpx.get(f"{local_server}/no/such/page").status_code == 404
    assert httpx.get(f"{local_server}/api/conversations?limit=0").status_code == 422
    after = scrape(local_server)

    route = "/api/conversations/{conversation_id}"
    assert grew(before, after, REQUESTS, method="GET", route=route, status="404") == 2
    assert grew(before, after, DURATIONS, method="GET", route=route) == 2
    assert grew(before, after, REQUESTS, method="GET", route="unmatched", status="404") == 1
    listing = {"method": "GET", "route": "/api/conversations", "status": "422"}
    assert grew(before, after, REQUESTS, **listing) == 1
    assert grew(before, after, ERRORS, code="not_found") == 3
    assert grew(before, after, ERRORS, code="invalid_request") == 1
    # No label holds a raw path.
    assert not any("nope" in str(labels) for _, labels in after)


def test_sql_queries_are_counted_by_engine_and_outcome(server_with):
    model, _ = scripted(
        [
            ("sql", "SELECT nope FROM flights"),
            ("sql", "SELECT origin, count(*) AS n FROM flights GROUP BY origin"),
            "Flights by origin.",
        ]
    )
    with server_with(model) as url:
        events = chat(url, "flights by origin")
        samples = scrape(url)
    assert [e.data["ok"] for e in events if e.event == "tool_result"] == [False, True]
    assert value(samples, SQL, engine="duckdb", outcome="sql_error") == 1
    ran = value(samples, SQL, engine="duckdb", outcome="ok")
    cached = value(samples, SQL, engine="duckdb", outcome="cached")
    assert ran + cached == 1
    assert value(samples, "plotwise_sql_query_duration_seconds_count", engine="duckdb") == 2


def test_a_failed_turns_log_lines_and_error_event_share_its_trace_id(server_with, caplog):
    caplog.handler.addFilter(TraceFilter())
    model, _ = scripted([ZeroDivisionError("model code divided by zero")])
    with caplog.at_level(logging.ERROR, logger="plotwise"), server_with(model) as url:
        events = chat(url, "anything")
        samples = scrape(url)
    error = events[-1]
    assert error.event == "error"
    turn_id = next(e.data["turn_id"] for e in events if e.event == "meta")
    assert error.data["trace_id"] == turn_id
    failed = [r for r in caplog.records if r.name == "plotwise.turn"]
    assert failed and all(record.trace_id == turn_id for record in failed)
    assert value(samples, ERRORS, code=error.data["code"]) == 1


def test_a_wrong_method_on_an_api_path_is_405_with_the_ui_mounted(app_settings, tmp_path):
    # The built chat UI is served from "/": its 404 must not hide an API path's 405.
    (tmp_path / "index.html").write_text("<!doctype html><title>ui</title>")
    app = create_app(app_settings.model_copy(update={"frontend_dist": tmp_path}))
    with live_server(app) as url:
        wrong = httpx.get(f"{url}/api/chat")
        assert wrong.status_code == 405
        assert wrong.headers["allow"] == "POST"
        assert wrong.json()["error"]["code"] == "method_not_allowed"
        assert httpx.get(f"{url}/no/such/page.js").status_code == 404
        assert httpx.get(f"{url}/").status_code == 200
