"""Switching models per turn: ``models`` in ``GET /api/config`` and ``model`` in the chat body."""

from __future__ import annotations

import httpx
from pydantic_ai.models import override_allow_model_requests
from pydantic_ai.models.test import TestModel

from support.fake_openai import fake_openai_app
from support.live_server import live_server
from support.sse import chat

FAKE = "openai-compatible:fake-model"
ANSWER = "There are three origins."


def test_config_offers_the_default_model_alone_by_default(local_server):
    config = httpx.get(f"{local_server}/api/config").json()
    assert config["model"] == "local"
    assert config["models"] == ["local"]


def test_config_offers_the_default_first_then_the_others(server_with):
    with server_with(model=FAKE, models=["local", FAKE, "anthropic:claude-x"]) as url:
        config = httpx.get(f"{url}/api/config").json()
    assert config["model"] == FAKE
    assert config["models"] == [FAKE, "local", "anthropic:claude-x"]


def test_each_turn_answers_with_the_model_it_names(server_with):
    fake, requests = fake_openai_app("SELECT origin, count(*) AS n FROM flights GROUP BY 1", ANSWER)
    with live_server(fake) as llm_url, override_allow_model_requests(True):
        with server_with(
            models=["local", FAKE], llm_base_url=f"{llm_url}/v1", llm_api_key="sk-test"
        ) as url:
            chosen = chat(url, "Number of flights by origin", model=FAKE)
            conversation = chosen[0].data["conversation_id"]
            default = chat(url, "Number of flights by carrier", conversation, model=None)
            named = chat(url, "Number of flights by carrier", conversation, model="local")

    assert chosen[0].data["model"] == FAKE and chosen[-1].event == "done", chosen[-1].data
    assert ANSWER in "".join(e.data["delta"] for e in chosen if e.event == "text")
    assert [body["model"] for body in requests] == ["fake-model", "fake-model"]
    # The fake answered the first turn only: the later ones were the local analyst's.
    for events in (default, named):
        assert events[0].data["model"] == "local" and events[-1].event == "done"
        data = next(e.data for e in events if e.event == "data")
        assert data["row_count"] == 16
    assert len(requests) == 2


def test_an_unknown_model_is_refused_before_any_event(server_with, tmp_path):
    store = f"sqlite:///{tmp_path / 'store.db'}"
    with server_with(models=[FAKE], database_url=store) as url:
        response = httpx.post(f"{url}/api/chat", json={"message": "hi", "model": "openai:gpt-4.1"})
        conversations = httpx.get(f"{url}/api/conversations").json()
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) == {"code", "message", "stage", "recoverable", "trace_id"}
    assert error["code"] == "bad_request"
    assert "'openai:gpt-4.1'" in error["message"] and f"local, {FAKE}" in error["message"]
    assert conversations["total"] == 0


def test_an_override_answers_whichever_offered_model_is_named(server_with):
    override = TestModel(call_tools=[], custom_output_text="from the override")
    with server_with(override, models=["local"]) as url:
        config = httpx.get(f"{url}/api/config").json()
        events = chat(url, "hello", model="local")
        refused = httpx.post(f"{url}/api/chat", json={"message": "hi", "model": FAKE})
    assert config["model"] == "test" and config["models"] == ["test", "local"]
    assert events[0].data["model"] == "test"
    assert "".join(e.data["delta"] for e in events if e.event == "text") == "from the override"
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "bad_request"
