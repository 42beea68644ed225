"""A client that goes away cancels the agent run and stops the running query in its worker."""

from __future__ import annotations

import json
import statistics
import time

import httpx
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, FunctionModel

from plotwise.app import create_app
from support.live_server import live_server
from support.sse import parse_lines

LONG_QUERY = "SELECT count(*) FROM range(100000000000) a WHERE a.range % 7 = 3"


def _long_query_model() -> FunctionModel:
    """A model whose one tool call runs `LONG_QUERY`."""

    async def stream(messages, info: AgentInfo):
        yield {
            0: DeltaToolCall(
                name="run_sql", json_args=json.dumps({"sql": LONG_QUERY}), tool_call_id="call_long"
            )
        }

    return FunctionModel(stream_function=stream, model_name="slow")


ROUNDS = 3
"""Cancellations timed per test; the median is held to the issue's 100 ms, as the bench reports
figures. One alone can exceed it on a loaded machine (CI once saw 116 ms among runs of 10-18 ms)."""

BOUND_S = 0.1
"""Issue 7's bound: the turn and its query stop within 100 ms."""

ALONE_MAX_S = 1.0
"""Longest any one cancellation may take: past this the query was not interrupted promptly."""


def _wait_busy(workers) -> int:
    """Wait for the turn's query to reach a worker; return that worker's pid."""
    deadline = time.monotonic() + 10
    while not workers.busy() and time.monotonic() < deadline:
        time.sleep(0.005)
    assert workers.busy() == 1, "the query never reached a worker"
    [running] = workers.busy_pids()
    return running


def _seconds_until_idle(workers, since: float) -> float:
    """Seconds from ``since`` until no worker is busy (at most 5 s)."""
    while workers.busy() and time.monotonic() - since < 5:
        time.sleep(0.005)
    assert not workers.busy(), "the query kept running after the cancellation"
    return time.monotonic() - since


def _assert_prompt(stops_s: list[float], what: str) -> None:
    figures = ", ".join(f"{s * 1000:.0f}" for s in stops_s)
    print(f"{what} -> worker idle: {figures} ms")
    assert max(stops_s) <= ALONE_MAX_S, f"a query stopped only after {figures} ms ({what})"
    median = statistics.median(stops_s)
    assert median <= BOUND_S, f"the query stopped a median {median * 1000:.0f} ms after {what}"


def test_disconnect_interrupts_the_query(app_settings):
    model = _long_query_model()
    settings = app_settings.model_copy(update={"query_timeout_s": 600, "resume_grace_s": 0})
    app = create_app(settings, model=model)
    stops_s = []
    with live_server(app) as url:
        workers = app.state.services.catalog.workers
        for _ in range(ROUNDS):
            running = None
            with httpx.Client(base_url=url, timeout=30) as client:
                with client.stream("POST", "/api/chat", json={"message": "slow"}) as response:
                    for event in parse_lines(response.iter_lines()):
                        if event.event == "tool_call":
                            # Leaving the loop closes the stream: first see the query running.
                            running = _wait_busy(workers)
                            break
                closed_at = time.monotonic()
            assert running is not None, "the turn made no tool call"
            stops_s.append(_seconds_until_idle(workers, closed_at))
            # Interrupted, not killed: the worker answered and is still the same process.
            assert running in workers.worker_pids()
    _assert_prompt(stops_s, "the disconnect")


def test_stop_interrupts_the_query_at_once(app_settings):
    """Stop (``DELETE /api/turns/{id}``) ends the turn and its query within 100 ms, even while
    the turn would otherwise wait ``resume_grace_s`` for its reader to come back."""

    model = _long_query_model()
    settings = app_settings.model_copy(update={"query_timeout_s": 600, "resume_grace_s": 60})
    app = create_app(settings, model=model)
    stops_s = []
    with live_server(app) as url:
        workers = app.state.services.catalog.workers
        with httpx.Client(base_url=url, timeout=30) as client:
            for _ in range(ROUNDS):
                events = []
                with client.stream("POST", "/api/chat", json={"message": "slow"}) as response:
                    for event in parse_lines(response.iter_lines()):
                        events.append(event)
                        if event.event == "tool_call":
                            break
                # The reader left, but the grace period keeps the turn and its query running.
                _wait_busy(workers)
                time.sleep(0.2)
                assert workers.busy() == 1, "the query is not running during the grace period"
                meta = events[0].data
                stop_at = time.monotonic()
                stopped = client.delete(
                    f"/api/turns/{meta['turn_id']}",
                    headers={"X-Resume-Token": meta["resume_token"]},
                )
                assert stopped.status_code == 204
                stops_s.append(_seconds_until_idle(workers, stop_at))
    _assert_prompt(stops_s, "Stop")
