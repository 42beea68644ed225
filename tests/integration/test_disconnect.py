"""A client that goes away cancels the agent run and stops the running query in its worker."""

from __future__ import annotations

import json
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


def test_disconnect_interrupts_the_query(app_settings):
    model = _long_query_model()
    settings = app_settings.model_copy(update={"query_timeout_s": 600, "resume_grace_s": 0})
    app = create_app(settings, model=model)
    with live_server(app) as url:
        workers = app.state.services.catalog.workers
        with httpx.Client(base_url=url, timeout=30) as client:
            with client.stream("POST", "/api/chat", json={"message": "slow"}) as response:
                for event in parse_lines(response.iter_lines()):
                    if event.event == "tool_call":
                        # Leaving the loop closes the stream: first see the query running.
                        deadline = time.monotonic() + 10
                        while not workers.busy() and time.monotonic() < deadline:
                            time.sleep(0.005)
                        assert workers.busy() == 1, "the query never reached a worker"
                        [running] = workers.busy_pids()
                        break
            closed_at = time.monotonic()
        while workers.busy() and time.monotonic() - closed_at < 5:
            time.sleep(0.005)
        assert not workers.busy(), "the query kept running after the client left"
        stopped_s = time.monotonic() - closed_at
        # The bound: the turn and its query stop within 100 ms of the client leaving.
        assert stopped_s <= 0.1, f"the query stopped {stopped_s * 1000:.0f} ms after the disconnect"
        # Interrupted, not killed: the worker answered and is still the same process.
        assert running in workers.worker_pids()


def test_stop_interrupts_the_query_at_once(app_settings):
    """Stop (``DELETE /api/turns/{id}``) ends the turn and its query within 100 ms, even while
    the turn would otherwise wait ``resume_grace_s`` for its reader to come back."""

    model = _long_query_model()
    settings = app_settings.model_copy(update={"query_timeout_s": 600, "resume_grace_s": 60})
    app = create_app(settings, model=model)
    with live_server(app) as url:
        workers = app.state.services.catalog.workers
        with httpx.Client(base_url=url, timeout=30) as client:
            events = []
            with client.stream("POST", "/api/chat", json={"message": "slow"}) as response:
                for event in parse_lines(response.iter_lines()):
                    events.append(event)
                    if event.event == "tool_call":
                        break
            # The reader left, but the grace period keeps the turn and its query running.
            deadline = time.monotonic() + 10
            while not workers.busy() and time.monotonic() < deadline:
                time.sleep(0.005)
            time.sleep(0.2)
            assert workers.busy() == 1, "the query is not running during the grace period"
            meta = events[0].data
            stop_at = time.monotonic()
            stopped = client.delete(
                f"/api/turns/{meta['turn_id']}", headers={"X-Resume-Token": meta["resume_token"]}
            )
            assert stopped.status_code == 204
            while workers.busy() and time.monotonic() - stop_at < 5:
                time.sleep(0.005)
            stopped_s = time.monotonic() - stop_at
        assert not workers.busy(), "the query kept running after Stop"
        assert stopped_s <= 0.1, f"the query stopped {stopped_s * 1000:.0f} ms after Stop"
