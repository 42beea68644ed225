"""``openai-compatible:<model>`` drives the real OpenAI SDK against a fake server on 127.0.0.1."""

from __future__ import annotations

from pydantic_ai.models import override_allow_model_requests

from support.fake_openai import fake_openai_app
from support.live_server import live_server
from support.sse import chat

ANSWER = (
    'Here are the flights by origin.\n\n```tsx\nimport { BarChart, Bar, XAxis } from "recharts";\n'
    "export default function A({ data }) {\n  return <BarChart width={400} height={300} "
    'data={data}><XAxis dataKey="origin" /><Bar dataKey="n" /></BarChart>;\n}\n```\n'
)


def test_openai_compatible_server_answers_through_the_same_turn(server_with):
    fake, requests = fake_openai_app(
        "SELECT origin, count(*) AS n FROM flights GROUP BY origin", ANSWER
    )
    with live_server(fake) as llm_url, override_allow_model_requests(True):
        with server_with(
            model="openai-compatible:fake-model",
            llm_base_url=f"{llm_url}/v1",
            llm_api_key="sk-test",
        ) as url:
            events = chat(url, "Number of flights by origin")
    kinds = [e.event for e in events]
    assert kinds[0] == "meta" and kinds[-1] == "done", events[-1].data
    assert events[0].data["model"] == "openai-compatible:fake-model"
    data = next(e.data for e in events if e.event == "data")
    assert sorted(row[0] for row in data["rows"]) == ["EWR", "JFK", "LGA"]
    assert sum(row[1] for row in data["rows"]) == 336_776
    artifact = next(e.data for e in events if e.event == "artifact")
    assert artifact["query_id"] == data["query_id"] and 'dataKey="origin"' in artifact["code"]
    assert events[-1].data["usage"]["input_tokens"] == 22

    assert len(requests) == 2
    first = requests[0]
    assert first["model"] == "fake-model" and first["stream"] is True
    assert {t["function"]["name"] for t in first["tools"]} == {"run_sql", "describe_table"}
    system = " ".join(str(m.get("content")) for m in first["messages"] if m["role"] == "system")
    assert "flights" in system and "component" in system.lower()
    tool_reply = next(m for m in requests[1]["messages"] if m["role"] == "tool")
    assert tool_reply["tool_call_id"] == "call_fake1" and "EWR" in tool_reply["content"]
