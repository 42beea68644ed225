"""Stored conversations over real HTTP, on SQLite and PostgreSQL: transcripts, restarts, deletes."""

from __future__ import annotations

import asyncio
import time

import httpx
from pydantic_ai.messages import ModelRequest
from pydantic_ai.models.function import AgentInfo, FunctionModel

from support.scripted import COMPONENT, scripted
from support.sse import chat, parse_lines


def user_prompts(messages) -> list[str]:
    return [
        part.content
        for message in messages
        if isinstance(message, ModelRequest)
        for part in message.parts
        if part.part_kind == "user-prompt"
    ]


def follow_up_after_restart(server_with, **settings) -> None:
    """Ask, stop the server, start a new one on the same store, follow up: context is kept."""
    model, seen = scripted(
        [("sql", "SELECT count(*) AS n FROM flights"), "There are 336,776 flights.\n\n" + COMPONENT]
    )
    with server_with(model, **settings) as url:
        first = chat(url, "how many flights?")
    conversation = first[0].data["conversation_id"]
    assert first[-1].event == "done"
    artifact = next(e.data for e in first if e.event == "artifact")

    follow_up, seen_after = scripted(["Still 336,776."])
    with server_with(follow_up, **settings) as url:  # a new app and store, same database
        second = chat(url, "and last year?", conversation_id=conversation)
        record = httpx.get(f"{url}/api/artifacts/{artifact['artifact_id']}").json()
        messages = httpx.get(f"{url}/api/conversations/{conversation}").json()["messages"]
    assert second[0].data["conversation_id"] == conversation and second[-1].event == "done"
    sent = seen_after[0]
    assert user_prompts(sent) == ["how many flights?", "and last year?"]
    assert any(
        part.part_kind == "tool-call" and "count(*)" in str(part.args)
        for message in sent
        for part in getattr(message, "parts", [])
    ), "the earlier tool call is part of the context"
    assert record["artifact_id"] == artifact["artifact_id"]  # artifacts survive the restart too
    assert record["prompt"] == "how many flights?" and record["conversation_id"] == conversation
    assert [m["content"] for m in messages][-2:] == ["and last year?", "Still 336,776."]
    assert len(seen) == 2


def test_a_follow_up_after_a_restart_keeps_the_context(server_with, store_url):
    follow_up_after_restart(server_with, database_url=store_url)


def test_by_default_the_store_is_a_sqlite_file_in_the_data_dir(server_with, app_settings):
    assert app_settings.database_url is None
    follow_up_after_restart(server_with)
    assert (app_settings.resolved_data_dir() / "plotwise.db").is_file()


def test_list_get_and_delete_conversations(server_with, store_url):
    model, _ = scripted(
        [("sql", "SELECT count(*) AS n FROM flights"), "Many flights.\n\n" + COMPONENT]
    )
    with server_with(model, database_url=store_url) as url, httpx.Client(base_url=url) as api:
        assert api.get("/api/conversations").json() == {"items": [], "total": 0}
        one = chat(url, "first conversation")[0].data["conversation_id"]
        two = chat(url, "second conversation")[0].data["conversation_id"]
        chat(url, "a follow-up", conversation_id=one)

        listing = api.get("/api/conversations").json()
        assert listing["total"] == 2
        assert [(c["id"], c["title"], c["message_count"]) for c in listing["items"]] == [
            (one, "first conversation", 4),  # updated last: first
            (two, "second conversation", 2),
        ]
        page = api.get("/api/conversations?limit=1&offset=1").json()
        assert [c["id"] for c in page["items"]] == [two] and page["total"] == 2

        detail = api.get(f"/api/conversations/{one}").json()
        assert detail["title"] == "first conversation"
        messages = detail["messages"]
        assert [m["role"] for m in messages] == ["user", "assistant", "user", "assistant"]
        assert [m["content"] for m in messages[::2]] == ["first conversation", "a follow-up"]
        answer = messages[1]
        assert answer["content"].startswith("Many flights.") and "```tsx" in answer["content"]
        assert answer["sql"] == ["SELECT count(*) AS n FROM flights"]
        assert answer["error"] is None
        [artifact] = answer["artifacts"]
        assert artifact["prompt"] == "first conversation" and artifact["conversation_id"] == one
        assert messages[0]["artifacts"] == [] and messages[0]["sql"] == []
        assert messages[0]["created_at"] <= messages[1]["created_at"]

        assert api.delete(f"/api/conversations/{one}").status_code == 204
        assert api.get(f"/api/conversations/{one}").status_code == 404
        assert api.get(f"/api/artifacts/{artifact['artifact_id']}").status_code == 404
        assert api.delete(f"/api/conversations/{one}").status_code == 404
        assert [c["id"] for c in api.get("/api/conversations").json()["items"]] == [two]


def test_a_failed_turn_is_recorded_with_its_error(server_with, store_url):
    model, _ = scripted([RuntimeError("provider exploded")])
    with server_with(model, database_url=store_url) as url:
        events = chat(url, "anything")
        conversation = events[0].data["conversation_id"]
        detail = httpx.get(f"{url}/api/conversations/{conversation}").json()
    assert events[-1].event == "error"
    user, assistant = detail["messages"]
    assert user["content"] == "anything"
    assert assistant["content"] == "partial answer "
    assert assistant["error"]["code"] == "internal_error"
    assert assistant["error"]["trace_id"] == events[-1].data["trace_id"]


def test_unknown_conversation_is_404(server_with, store_url):
    with server_with(database_url=store_url) as url:
        response = httpx.get(f"{url}/api/conversations/nope")
    assert response.status_code == 404
    assert "nope" in response.json()["error"]["message"]


def test_a_turn_the_client_leaves_is_recorded_as_cancelled(server_with, store_url):
    async def stream(messages, info: AgentInfo):
        yield "Thinking about it... "
        await asyncio.sleep(60)
        yield "never sent"

    model = FunctionModel(stream_function=stream, model_name="slow")
    # No grace period: the turn is cancelled as soon as its only reader leaves.
    with (
        server_with(model, database_url=store_url, resume_grace_s=0) as url,
        httpx.Client(base_url=url) as api,
    ):
        with api.stream("POST", "/api/chat", json={"message": "slow one"}) as response:
            for event in parse_lines(response.iter_lines()):
                if event.event == "meta":
                    conversation = event.data["conversation_id"]
                if event.event == "text":
                    break
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            messages = api.get(f"/api/conversations/{conversation}").json()["messages"]
            if len(messages) == 2:
                break
            time.sleep(0.05)
    assert [m["role"] for m in messages] == ["user", "assistant"]
    assert messages[1]["content"] == "Thinking about it... "
    assert messages[1]["error"]["code"] == "cancelled"
