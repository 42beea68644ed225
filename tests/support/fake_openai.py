"""A protocol-accurate fake of OpenAI's chat-completions streaming API, for the real SDK client.

It plays a script: the first request gets a ``run_sql`` tool call, the next ones get text. Every
request body is recorded so tests can check what the model was sent.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse


def _chunk(delta: dict[str, Any], finish: str | None = None) -> str:
    body = {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": "fake-model",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
    }
    return f"data: {json.dumps(body)}\n\n"


def _usage() -> str:
    body = {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": "fake-model",
        "choices": [],
        "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18},
    }
    return f"data: {json.dumps(body)}\n\n"


def fake_openai_app(sql: str, answer: str) -> tuple[FastAPI, list[dict[str, Any]]]:
    """Return the fake server app and the list it records request bodies into."""
    app = FastAPI()
    requests: list[dict[str, Any]] = []

    @app.post("/v1/chat/completions")
    async def completions(request: Request) -> StreamingResponse:
        body = await request.json()
        requests.append(body)

        def stream() -> Iterator[str]:
            if len(requests) == 1:
                call = {
                    "index": 0,
                    "id": "call_fake1",
                    "type": "function",
                    "function": {"name": "run_sql", "arguments": ""},
                }
                yield _chunk({"role": "assistant", "content": None, "tool_calls": [call]})
                arguments = json.dumps({"sql": sql})
                for start in range(0, len(arguments), 16):
                    part = {"index": 0, "function": {"arguments": arguments[start : start + 16]}}
                    yield _chunk({"tool_calls": [part]})
                yield _chunk({}, finish="tool_calls")
            else:
                yield _chunk({"role": "assistant", "content": ""})
                for start in range(0, len(answer), 20):
                    yield _chunk({"content": answer[start : start + 20]})
                yield _chunk({}, finish="stop")
            yield _usage()
            yield "data: [DONE]\n\n"

        return StreamingResponse(stream(), media_type="text/event-stream")

    return app, requests
