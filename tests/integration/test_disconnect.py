"""A client that goes away cancels the agent run and interrupts the running query."""

from __future__ import annotations

import json
import threading
import time

import httpx
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, FunctionModel

from plotwise.sql import runner
from support.sse import parse_lines

LONG_QUERY = "SELECT count(*) FROM range(100000000000) a WHERE a.range % 7 = 3"


def test_disconnect_interrupts_the_query(server_with, monkeypatch):
    finished = threading.Event()
    outcome: list[BaseException | None] = []
    original = runner._fetch

    def spy(*args):
        try:
            result = original(*args)
            outcome.append(None)
            return result
        except BaseException as exc:
            outcome.append(exc)
            raise
        finally:
            finished.set()

    monkeypatch.setattr(runner, "_fetch", spy)

    async def stream(messages, info: AgentInfo):
        yield {
            0: DeltaToolCall(
                name="run_sql", json_args=json.dumps({"sql": LONG_QUERY}), tool_call_id="call_long"
            )
        }

    model = FunctionModel(stream_function=stream, model_name="slow")
    with server_with(model, query_timeout_s=600) as url:
        with httpx.Client(base_url=url, timeout=30) as client:
            with client.stream("POST", "/api/chat", json={"message": "slow"}) as response:
                for event in parse_lines(response.iter_lines()):
                    if event.event == "tool_call":
                        break
            closed_at = time.monotonic()
        assert finished.wait(timeout=10), "the query kept running after the client left"
        assert time.monotonic() - closed_at < 5
        assert outcome and outcome[0] is not None, "the query completed instead of stopping"
        assert "interrupt" in str(outcome[0]).lower(), outcome[0]
