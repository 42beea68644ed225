"""The three provider paths and their ordinary failures, through fake servers on 127.0.0.1.

Each test drives the real SDK client (openai, anthropic) inside a real Plotwise server through
``POST /api/chat``; the fakes speak each provider's streaming protocol (support.fake_openai,
support.fake_anthropic). Nothing here reaches the internet.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import httpx
import pytest
from pydantic_ai.models import override_allow_model_requests

from support import fake_anthropic
from support.fake_anthropic import fake_anthropic_app
from support.fake_openai import Step, fake_openai_app, tool_step
from support.live_server import live_server
from support.sse import Event, chat

SQL = "SELECT origin, count(*) AS n FROM flights GROUP BY origin"
ANSWER = (
    'Here are the flights by origin.\n\n```tsx\nimport { BarChart, Bar, XAxis } from "recharts";\n'
    "export default function A({ data }) {\n  return <BarChart width={400} height={300} "
    'data={data}><XAxis dataKey="origin" /><Bar dataKey="n" /></BarChart>;\n}\n```\n'
)
QUESTION = "Number of flights by origin"

Serve = Callable[..., AbstractContextManager[str]]


def assert_full_turn(events: list[Event], model: str) -> None:
    """The turn ran the query, showed the artifact bound to it, and ended with usage."""
    kinds = [e.event for e in events]
    assert kinds[0] == "meta" and kinds[-1] == "done", events[-1].data
    assert events[0].data["model"] == model
    data = next(e.data for e in events if e.event == "data")
    assert sorted(row[0] for row in data["rows"]) == ["EWR", "JFK", "LGA"]
    assert sum(row[1] for row in data["rows"]) == 336_776
    artifact = next(e.data for e in events if e.event == "artifact")
    assert artifact["query_id"] == data["query_id"] and 'dataKey="origin"' in artifact["code"]
    assert events[-1].data["usage"]["requests"] == 2


def turn_error(events: list[Event], code: str, *, recoverable: bool) -> dict[str, Any]:
    """The turn ended with exactly this error (code and recoverable); returns its body."""
    error = events[-1].data
    assert events[-1].event == "error", error
    assert (error["code"], error["recoverable"]) == (code, recoverable), error
    return error


@contextmanager
def openai_turns(
    server_with: Serve,
    monkeypatch: pytest.MonkeyPatch,
    steps: list[Step] | None = None,
    **settings: Any,
) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A Plotwise server on ``openai:gpt-fake`` whose SDK talks to the fake OpenAI server."""
    fake, requests = fake_openai_app(SQL, ANSWER, steps)
    with live_server(fake) as llm_url, override_allow_model_requests(True):
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        monkeypatch.setenv("OPENAI_BASE_URL", f"{llm_url}/v1")
        with server_with(model="openai:gpt-fake", **settings) as url:
            yield url, requests


def test_openai_turn_with_a_tool_call_and_an_artifact(server_with, monkeypatch):
    with openai_turns(server_with, monkeypatch) as (url, requests):
        events = chat(url, QUESTION)
        assert_full_turn(events, "openai:gpt-fake")
        assert events[-1].data["usage"]["input_tokens"] == 22
        assert events[-1].data["usage"]["output_tokens"] == 14
        conversation_id = events[0].data["conversation_id"]
        detail = httpx.get(f"{url}/api/conversations/{conversation_id}", timeout=10).json()
    first = requests[0]
    assert first["model"] == "gpt-fake" and first["stream"] is True
    assert {t["function"]["name"] for t in first["tools"]} == {
        "run_sql",
        "submit_spark",
        "describe_table",
    }
    # The turn's cost is stored with the conversation, as the done event reported it.
    answer = detail["messages"][-1]
    assert answer["role"] == "assistant" and answer["usage"] == {
        "model": "openai:gpt-fake",
        **events[-1].data["usage"],
    }


def test_openai_compatible_server_answers_through_the_same_turn(server_with):
    fake, requests = fake_openai_app(SQL, ANSWER)
    with live_server(fake) as llm_url, override_allow_model_requests(True):
        settings = {"llm_base_url": f"{llm_url}/v1", "llm_api_key": "sk-test"}
        with server_with(model="openai-compatible:fake-model", **settings) as url:
            events = chat(url, QUESTION)
    assert_full_turn(events, "openai-compatible:fake-model")
    assert events[-1].data["usage"]["input_tokens"] == 22
    first = requests[0]
    assert first["model"] == "fake-model" and first["stream"] is True
    assert {t["function"]["name"] for t in first["tools"]} == {
        "run_sql",
        "submit_spark",
        "describe_table",
    }
    system = " ".join(str(m.get("content")) for m in first["messages"] if m["role"] == "system")
    assert "flights" in system and "component" in system.lower()
    tool_reply = next(m for m in requests[1]["messages"] if m["role"] == "tool")
    assert tool_reply["tool_call_id"] == "call_fake1" and "EWR" in tool_reply["content"]


def test_anthropic_turn_with_a_tool_call_and_an_artifact(server_with, monkeypatch):
    fake, requests = fake_anthropic_app(SQL, ANSWER)
    with live_server(fake) as llm_url, override_allow_model_requests(True):
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", llm_url)
        with server_with(model="anthropic:claude-fake") as url:
            events = chat(url, QUESTION)
    assert_full_turn(events, "anthropic:claude-fake")
    usage = events[-1].data["usage"]
    assert usage["input_tokens"] == 2 * fake_anthropic.INPUT_TOKENS
    assert usage["output_tokens"] == 2 * fake_anthropic.OUTPUT_TOKENS
    first = requests[0]
    assert first["model"] == "claude-fake" and first["stream"] is True
    assert {t["name"] for t in first["tools"]} == {"run_sql", "submit_spark", "describe_table"}
    assert "flights" in str(first["system"])
    tool_result = requests[1]["messages"][-1]["content"][0]
    assert tool_result["type"] == "tool_result" and tool_result["tool_use_id"] == "toolu_fake1"
    assert "EWR" in str(tool_result["content"])


def test_a_missing_key_fails_the_turn_not_the_server(server_with, monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with server_with(model="anthropic:claude-fake") as url:
        events = chat(url, QUESTION)
        assert chat(url, QUESTION)[-1].event == "error"
    error = turn_error(events, "model_config", recoverable=False)
    assert "ANTHROPIC_API_KEY" in error["message"]


def test_429_with_retry_after_is_waited_out_and_retried(server_with, monkeypatch):
    steps = [
        Step("status", status=429, headers={"Retry-After": "1"}),
        tool_step(SQL),
        Step("text", text=ANSWER),
    ]
    with openai_turns(server_with, monkeypatch, steps) as (url, requests):
        started = time.monotonic()
        events = chat(url, QUESTION)
        elapsed = time.monotonic() - started
    assert_full_turn(events, "openai:gpt-fake")
    assert len(requests) == 3 and elapsed >= 1.0


def test_500_then_503_are_retried(server_with, monkeypatch):
    steps = [
        Step("status", status=500),
        Step("status", status=503),
        tool_step(SQL),
        Step("text", text=ANSWER),
    ]
    with openai_turns(server_with, monkeypatch, steps) as (url, requests):
        events = chat(url, QUESTION)
    assert_full_turn(events, "openai:gpt-fake")
    assert len(requests) == 4


def test_a_provider_that_keeps_failing_ends_the_turn_within_its_retry_budget(
    server_with, monkeypatch
):
    steps = [Step("status", status=503)]
    with openai_turns(server_with, monkeypatch, steps, llm_max_retry_wait_s=2.0) as (url, requests):
        started = time.monotonic()
        events = chat(url, QUESTION)
        elapsed = time.monotonic() - started
    error = turn_error(events, "model_error", recoverable=True)
    assert "503" in error["message"]
    assert 2 <= len(requests) <= 5 and elapsed < 2.0 + 3.0


@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_refused_requests_are_not_retried(server_with, monkeypatch, status):
    with openai_turns(server_with, monkeypatch, [Step("status", status=status)]) as (url, requests):
        events = chat(url, QUESTION)
    error = turn_error(events, "model_rejected", recoverable=False)
    assert str(status) in error["message"]
    assert len(requests) == 1


def test_a_stream_that_stalls_after_its_headers_is_stopped(server_with, monkeypatch):
    steps = [tool_step(SQL), Step("stall", text=ANSWER, seconds=30)]
    with openai_turns(server_with, monkeypatch, steps, llm_stall_s=1.0) as (url, _):
        started = time.monotonic()
        events = chat(url, QUESTION)
        elapsed = time.monotonic() - started
    error = turn_error(events, "model_error", recoverable=True)
    assert "sent nothing for 1 s" in error["message"]
    assert elapsed < 1.0 + 4.0
    # The text that arrived before the stall was streamed, and the data kept.
    assert any(e.event == "text" for e in events) and any(e.event == "data" for e in events)


def test_a_truncated_stream_ends_the_turn_with_a_recoverable_error(server_with, monkeypatch):
    steps = [tool_step(SQL), Step("truncate", text=ANSWER)]
    with openai_turns(server_with, monkeypatch, steps) as (url, _):
        events = chat(url, QUESTION)
    turn_error(events, "model_error", recoverable=True)


@pytest.mark.parametrize(
    "bad_call",
    [
        Step("tool", tool="run_sql", arguments='{"sql": "SELECT 1'),
        Step("tool", tool="drop_everything", arguments="{}"),
    ],
    ids=["malformed-arguments", "unknown-tool"],
)
def test_a_bad_tool_call_goes_back_to_the_model_which_recovers(server_with, monkeypatch, bad_call):
    steps = [bad_call, tool_step(SQL), Step("text", text=ANSWER)]
    with openai_turns(server_with, monkeypatch, steps) as (url, requests):
        events = chat(url, QUESTION)
    assert events[-1].event == "done", events[-1].data
    assert any(e.event == "artifact" for e in events)
    # The model was told what was wrong with its call, as a reply to that call.
    reply = next(m for m in requests[1]["messages"] if m["role"] == "tool")
    assert reply["tool_call_id"] == "call_fake1"
    assert len(requests) == 3


def test_an_endless_tool_call_loop_is_stopped_by_the_request_limit(server_with, monkeypatch):
    with openai_turns(server_with, monkeypatch, [tool_step(SQL)], turn_max_requests=4) as (
        url,
        requests,
    ):
        events = chat(url, QUESTION)
    error = turn_error(events, "model_error", recoverable=True)
    assert "request_limit" in error["message"]
    assert len(requests) == 4
