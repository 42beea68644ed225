"""``GET /metrics`` over real HTTP: what a chat turn adds to the Prometheus metrics."""

from __future__ import annotations

import json

import httpx
from prometheus_client import CONTENT_TYPE_LATEST
from prometheus_client.parser import text_string_to_metric_families
from pydantic_ai.messages import ModelMessage
from pydantic_ai.models import override_allow_model_requests
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, FunctionModel

from support.fake_openai import fake_openai_app
from support.live_server import live_server
from support.metrics import grew, scrape, value
from support.scripted import scripted
from support.sse import chat

TURNS = "plotwise_turn_duration_seconds_count"
MODEL_REQUESTS = "plotwise_model_request_duration_seconds_count"
TOKENS = "plotwise_tokens_total"
TOOL_CALLS = "plotwise_tool_calls_total"


def test_a_turn_of_the_local_model_is_counted(local_server):
    before = scrape(local_server)
    events = chat(local_server, "Number of flights by origin")
    after = scrape(local_server)

    assert events[-1].event == "done"
    usage = events[-1].data["usage"]
    assert grew(before, after, TURNS, outcome="done") == 1
    assert grew(before, after, TURNS, outcome="error") == 0
    assert grew(before, after, "plotwise_turn_duration_seconds_sum", outcome="done") > 0
    assert grew(before, after, MODEL_REQUESTS, model="local") == usage["requests"] >= 1
    assert usage["input_tokens"] > 0 and usage["output_tokens"] > 0
    assert grew(before, after, TOKENS, model="local", kind="input") == usage["input_tokens"]
    assert grew(before, after, TOKENS, model="local", kind="output") == usage["output_tokens"]
    ok_results = [e for e in events if e.event == "tool_result" and e.data["ok"]]
    assert ok_results
    assert grew(before, after, TOOL_CALLS, tool="run_sql", outcome="ok") == len(ok_results)
    assert grew(before, after, TOOL_CALLS, tool="run_sql", outcome="error") == 0


def test_a_provider_models_streamed_usage_is_counted(server_with, monkeypatch):
    fake, _ = fake_openai_app(
        "SELECT origin, count(*) AS n FROM flights GROUP BY origin", "Flights by origin."
    )
    with live_server(fake) as llm_url, override_allow_model_requests(True):
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        monkeypatch.setenv("OPENAI_BASE_URL", f"{llm_url}/v1")
        with server_with(model="openai:gpt-fake") as url:
            events = chat(url, "Number of flights by origin")
            samples = scrape(url)
    assert events[-1].event == "done"
    usage = events[-1].data["usage"]
    assert usage["input_tokens"] > 0 and usage["output_tokens"] > 0
    # The fake reports its usage in the stream's last chunk, after the text and tool calls.
    assert value(samples, TOKENS, model="openai:gpt-fake", kind="input") == usage["input_tokens"]
    assert value(samples, TOKENS, model="openai:gpt-fake", kind="output") == usage["output_tokens"]
    assert value(samples, MODEL_REQUESTS, model="openai:gpt-fake") == usage["requests"] == 2


def test_failing_sql_counts_as_a_tool_error(server_with):
    model, _ = scripted([("sql", "SELECT nope FROM flights"), "That column does not exist."])
    with server_with(model) as url:
        events = chat(url, "how many nopes?")
        samples = scrape(url)
    assert [e.data["ok"] for e in events if e.event == "tool_result"] == [False]
    assert events[-1].event == "done"
    # Each app counts only its own turns, although other apps ran turns in this process.
    assert value(samples, TURNS, outcome="done") == 1
    assert value(samples, TOOL_CALLS, tool="run_sql", outcome="error") == 1
    assert value(samples, TOOL_CALLS, tool="run_sql", outcome="ok") == 0
    assert value(samples, MODEL_REQUESTS, model="scripted") == 2


def test_a_failed_turn_counts_as_an_error_with_its_model_request(server_with):
    model, _ = scripted([RuntimeError("provider exploded")])
    with server_with(model) as url:
        events = chat(url, "anything")
        samples = scrape(url)
    assert events[-1].event == "error"
    assert value(samples, TURNS, outcome="error") == 1
    assert value(samples, TURNS, outcome="done") == 0
    assert value(samples, MODEL_REQUESTS, model="scripted") == 1


def test_a_tool_the_agent_lacks_is_counted_as_unknown(server_with):
    async def stream(messages: list[ModelMessage], info: AgentInfo):
        if len(messages) == 1:
            call = DeltaToolCall(
                name="drop_everything", json_args=json.dumps({}), tool_call_id="c1"
            )
            yield {0: call}
        else:
            yield "No such tool."

    with server_with(FunctionModel(stream_function=stream, model_name="scripted")) as url:
        events = chat(url, "drop it")
        samples = scrape(url)
    assert events[-1].event == "done"
    assert value(samples, TOOL_CALLS, tool="unknown", outcome="error") == 1
    assert not any(labels for name, labels in samples if ("tool", "drop_everything") in labels)


def test_metrics_are_text_outside_the_api_with_the_security_headers(server_with, tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><title>built</title>")
    with server_with(frontend_dist=tmp_path) as url:
        response = httpx.get(f"{url}/metrics")
        under_api = httpx.get(f"{url}/api/metrics")
        page = httpx.get(f"{url}/")
    assert page.status_code == 200 and "built" in page.text
    assert response.status_code == 200
    assert response.headers["content-type"] == CONTENT_TYPE_LATEST
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" in response.headers
    names = {family.name for family in text_string_to_metric_families(response.text)}
    assert {
        "plotwise_turn_duration_seconds",
        "plotwise_model_request_duration_seconds",
        "plotwise_tokens",
        "plotwise_tool_calls",
    } <= names
    assert under_api.status_code == 404
