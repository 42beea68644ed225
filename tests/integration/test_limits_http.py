"""Request limits over real HTTP: body size (413), chat and upload rates (429), turn cap (429)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import httpx
import pytest
from pydantic_ai.messages import ModelMessage
from pydantic_ai.models.function import AgentInfo, FunctionModel

from plotwise.app import create_app
from plotwise.settings import Settings
from support.live_server import live_server
from support.scripted import scripted
from support.sse import chat, parse_lines

StartServer = Callable[..., AbstractContextManager[str]]

CSV = ("n,label\n" + "".join(f"{i},row number {i}\n" for i in range(400))).encode()
"""An upload of about 7 KB: larger than the 1 KiB body limit of these tests."""


def _assert_error(response: httpx.Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    return error


@pytest.fixture(scope="module")
def small_bodies(app_settings: Settings) -> Iterator[str]:
    """A server whose request bodies may hold 1 KiB, with the scripted model."""

    model, _ = scripted(["Hello."])
    settings = app_settings.model_copy(update={"max_body_kb": 1})
    with live_server(create_app(settings, model=model)) as url:
        yield url


def test_a_large_json_body_with_a_length_is_refused(small_bodies: str):
    body = {"message": "x" * 2000}
    response = httpx.post(f"{small_bodies}/api/chat", json=body)
    error = _assert_error(response, 413, "payload_too_large")
    assert "PLOTWISE_MAX_BODY_KB" in error["message"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_large_streamed_body_without_a_length_is_refused(small_bodies: str):
    payload = json.dumps({"message": "x" * 3000}).encode()
    chunks = [payload[i : i + 512] for i in range(0, len(payload), 512)]
    response = httpx.post(
        f"{small_bodies}/api/chat",
        content=iter(chunks),
        headers={"Content-Type": "application/json"},
    )
    assert "content-length" not in response.request.headers
    assert response.request.headers["transfer-encoding"] == "chunked"
    _assert_error(response, 413, "payload_too_large")


def test_a_small_streamed_body_passes(small_bodies: str):
    payload = json.dumps({"message": "Say hello"}).encode()
    with httpx.stream(
        "POST",
        f"{small_bodies}/api/chat",
        content=iter([payload[:10], payload[10:]]),
        headers={"Content-Type": "application/json"},
    ) as response:
        assert response.status_code == 200
        events = list(parse_lines(response.iter_lines()))
    assert events[-1].event == "done"


def test_uploads_keep_their_own_limit(small_bodies: str):
    assert len(CSV) > 4 * 1024
    response = httpx.post(
        f"{small_bodies}/api/datasets", files={"file": ("numbers.csv", CSV, "text/csv")}
    )
    assert response.status_code == 201, response.text
    draft_id = response.json()["draft_id"]
    assert httpx.delete(f"{small_bodies}/api/datasets/drafts/{draft_id}").status_code == 204


def test_chat_turns_past_the_rate_answer_429(server_with: StartServer):
    model, _ = scripted(["Hello."])
    with server_with(model, chat_rate_per_minute=2) as url:
        for _ in range(2):
            assert chat(url, "Say hello")[-1].event == "done"
        refused = httpx.post(f"{url}/api/chat", json={"message": "Say hello"})
        error = _assert_error(refused, 429, "rate_limited")
        assert error["recoverable"] is True
        assert "2 per minute" in error["message"]
        # 2 per minute: one more turn in 30 s at most.
        assert 1 <= int(refused.headers["retry-after"]) <= 30
        # Another client (another peer address) has its own bucket.
        other = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"))
        with other:
            again = other.post(f"{url}/api/chat", json={"message": "Say hello"})
        assert again.status_code == 200


def test_uploads_past_the_rate_answer_429(server_with: StartServer):
    with server_with(upload_rate_per_minute=1) as url:
        files = {"file": ("numbers.csv", CSV, "text/csv")}
        first = httpx.post(f"{url}/api/datasets", files=files)
        assert first.status_code == 201, first.text
        refused = httpx.post(f"{url}/api/datasets", files=files)
        _assert_error(refused, 429, "rate_limited")
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        draft_id = first.json()["draft_id"]
        assert httpx.delete(f"{url}/api/datasets/drafts/{draft_id}").status_code == 204


def _held_model(gate: threading.Event) -> FunctionModel:
    """A model that starts answering, then waits for ``gate`` before it finishes."""

    async def stream(messages: list[ModelMessage], info: AgentInfo):
        yield "Working on it"
        while not gate.is_set():
            await asyncio.sleep(0.02)
        yield ", done."

    return FunctionModel(stream_function=stream, model_name="held")


def test_concurrent_turns_past_the_cap_answer_429(server_with: StartServer):
    gate = threading.Event()
    with server_with(_held_model(gate), max_turns_per_client=1) as url:
        with httpx.Client(timeout=30) as client:
            with client.stream("POST", f"{url}/api/chat", json={"message": "hi"}) as running:
                assert running.status_code == 200
                lines = running.iter_lines()
                first = next(parse_lines(lines))
                assert first.event == "meta"

                refused = client.post(f"{url}/api/chat", json={"message": "hi"})
                error = _assert_error(refused, 429, "rate_limited")
                assert "at once" in error["message"]
                assert int(refused.headers["retry-after"]) >= 1

                gate.set()
                rest = list(parse_lines(lines))
                assert rest[-1].event == "done"

            # The finished turn gave its slot back (just after its last byte was sent).
            deadline = time.monotonic() + 5
            while True:
                status = client.post(f"{url}/api/chat", json={"message": "hi"}).status_code
                if status != 429 or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            assert status == 200
