"""The chat SSE endpoint over real HTTP, with the local model and scripted FunctionModels."""

from __future__ import annotations

import httpx
import pytest
from pydantic_ai.messages import ModelRequest, ToolReturnPart
from pydantic_ai.models.test import TestModel

from support.scripted import COMPONENT, scripted
from support.sse import chat


def types(events):
    return [e.event for e in events]


def test_local_model_answers_flights_by_carrier(local_server):
    events = chat(local_server, "Number of flights by carrier")
    kinds = types(events)
    assert kinds[0] == "meta" and kinds[-1] == "done"
    assert {"stage", "text", "tool_call", "tool_result", "data", "artifact"} <= set(kinds)
    assert kinds.index("tool_call") < kinds.index("data") < kinds.index("artifact")
    meta = events[0].data
    assert meta["model"] == "local"
    ids = [e.id for e in events]
    assert ids == [f"{meta['turn_id']}:{i}" for i in range(len(events))]

    data = next(e.data for e in events if e.event == "data")
    assert data["row_count"] == 16 and not data["truncated"]
    assert [c["name"] for c in data["columns"]] == ["carrier", "flights"]
    assert sum(row[1] for row in data["rows"]) == 336_776
    assert dict(data["rows"])["UA"] == 58_665

    call = next(e.data for e in events if e.event == "tool_call")
    assert call["tool"] == "run_sql" and "FROM flights" in call["args"]["sql"]
    artifact = next(e.data for e in events if e.event == "artifact")
    assert artifact["query_id"] == data["query_id"]
    assert "export default function" in artifact["code"]
    text = "".join(e.data["delta"] for e in events if e.event == "text")
    assert "```sql" in text and artifact["code"] in text
    done = events[-1].data
    assert done["usage"]["requests"] == 2 and done["usage"]["tool_calls"] == 1


def test_unreadable_question_gets_a_plain_answer_without_a_query(local_server):
    events = chat(local_server, "Tell me a joke")
    assert types(events)[-1] == "done"
    assert "tool_call" not in types(events)
    text = "".join(e.data["delta"] for e in events if e.event == "text")
    assert "could not match" in text


def test_bad_sql_is_sent_back_to_the_model_which_repairs_it(server_with):
    model, seen = scripted(
        [
            ("sql", "SELECT nope FROM flights"),
            ("sql", "SELECT count(*) AS n FROM flights"),
            "There are many flights.\n\n" + COMPONENT,
        ]
    )
    with server_with(model) as url:
        events = chat(url, "how many flights?")
    results = [e.data for e in events if e.event == "tool_result"]
    assert [r["ok"] for r in results] == [False, True]
    assert "nope" in results[0]["error"]
    retry = [p for p in seen[1][-1].parts if isinstance(p, ToolReturnPart)]
    assert retry and retry[0].outcome == "retried" and "nope" in retry[0].model_response_str()
    data = next(e.data for e in events if e.event == "data")
    assert data["rows"] == [[336_776]]
    assert types(events)[-1] == "done"
    artifact = next(e.data for e in events if e.event == "artifact")
    assert artifact["query_id"] == data["query_id"]


@pytest.mark.parametrize(
    ("sql", "rule"),
    [
        ("DROP VIEW flights", "select_only"),
        ("SELECT 1; SELECT 2", "single_statement"),
        ("SELECT * FROM read_csv('/etc/passwd')", "denied_function"),
    ],
)
def test_refused_sql_reaches_the_model_with_the_rule(server_with, sql, rule):
    model, _ = scripted([("sql", sql), "I cannot do that."])
    with server_with(model) as url:
        events = chat(url, "do something bad")
    result = next(e.data for e in events if e.event == "tool_result")
    assert result["ok"] is False and rule in result["error"]
    assert "data" not in types(events)
    assert types(events)[-1] == "done"


def test_follow_up_turn_sends_the_history(server_with):
    model, seen = scripted(["First answer."])
    with server_with(model) as url:
        first = chat(url, "first question")
        conversation = first[0].data["conversation_id"]
        second = chat(url, "second question", conversation_id=conversation)
    assert second[0].data["conversation_id"] == conversation
    prompts = [
        p.content
        for m in seen[-1]
        if isinstance(m, ModelRequest)
        for p in m.parts
        if getattr(p, "part_kind", "") == "user-prompt"
    ]
    assert prompts == ["first question", "second question"]


def test_failure_after_the_first_byte_is_an_error_event(server_with):
    model, _ = scripted([RuntimeError("provider exploded")])
    with server_with(model) as url:
        events = chat(url, "anything")
    assert types(events)[0] == "meta" and "text" in types(events)
    error = events[-1]
    assert error.event == "error"
    assert set(error.data) == {"type", "code", "message", "stage", "recoverable", "trace_id"}
    assert error.data["code"] == "internal_error"
    assert error.data["trace_id"] == events[0].data["turn_id"]


def test_test_model_runs_through_the_same_pipeline(server_with):
    with server_with(TestModel(call_tools=[], custom_output_text="plain text")) as url:
        events = chat(url, "hello")
    assert "".join(e.data["delta"] for e in events if e.event == "text") == "plain text"
    assert types(events)[-1] == "done"


def test_missing_provider_key_fails_the_turn_not_the_server(server_with, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with server_with(model="openai:gpt-4o") as url:
        config = httpx.get(f"{url}/api/config").json()
        events = chat(url, "Number of flights by carrier")
    assert config["model"] == "openai:gpt-4o"
    assert events[-1].event == "error"
    assert events[-1].data["code"] == "model_config"
    assert "OPENAI_API_KEY" in events[-1].data["message"]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"message": "   "}, "message"),
        ({}, "message"),
        ({"message": "x" * 5000}, "message"),
        ({"message": "hi", "conversation_id": "../etc"}, "conversation_id"),
    ],
)
def test_bad_requests_get_the_one_error_shape(local_server, body, problem):
    response = httpx.post(f"{local_server}/api/chat", json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert set(error) == {"code", "message", "stage", "recoverable", "trace_id"}
    assert error["code"] == "invalid_request" and problem in error["message"]


def test_unknown_api_route_uses_the_error_shape(local_server):
    response = httpx.get(f"{local_server}/api/nope")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
