"""A protocol-accurate fake of OpenAI's chat-completions streaming API, for the real SDK client.

It plays a script, one step per request: by default a ``run_sql`` tool call (its arguments
streamed in pieces), then text. Steps can also be provider faults: an HTTP error status with
headers, a stream that stalls after its headers, a stream cut off mid-way. Every request body
is recorded so tests can check what the model was sent.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse


@dataclass(frozen=True)
class Step:
    """What the fake answers to one request.

    Attributes:
        kind: ``tool`` (a tool call named ``tool`` with raw ``arguments``), ``text``,
            ``status`` (an error answer), ``stall`` (headers and one chunk, then silence for
            ``seconds``) or ``truncate`` (a few chunks, then the connection is dropped).

    """

    kind: str
    tool: str = "run_sql"
    arguments: str = ""
    text: str = ""
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    seconds: float = 30.0


def tool_step(sql: str, tool: str = "run_sql") -> Step:
    """A well-formed tool call running ``sql``."""
    return Step("tool", tool=tool, arguments=json.dumps({"sql": sql}))


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


async def _play(step: Step, call_number: int) -> AsyncIterator[str]:
    if step.kind == "tool":
        call = {
            "index": 0,
            "id": f"call_fake{call_number}",
            "type": "function",
            "function": {"name": step.tool, "arguments": ""},
        }
        yield _chunk({"role": "assistant", "content": None, "tool_calls": [call]})
        for start in range(0, len(step.arguments), 16):
            part = {"index": 0, "function": {"arguments": step.arguments[start : start + 16]}}
            yield _chunk({"tool_calls": [part]})
        yield _chunk({}, finish="tool_calls")
    else:
        yield _chunk({"role": "assistant", "content": ""})
        for start in range(0, len(step.text), 20):
            yield _chunk({"content": step.text[start : start + 20]})
            if step.kind == "truncate" and start >= 40:
                # Uvicorn drops the connection mid-body: the client reads an incomplete stream.
                raise ConnectionAbortedError("the fake provider cut the stream")
            if step.kind == "stall":
                await asyncio.sleep(step.seconds)
        yield _chunk({}, finish="stop")
    yield _usage()
    yield "data: [DONE]\n\n"


def fake_openai_app(
    sql: str, answer: str, steps: list[Step] | None = None
) -> tuple[FastAPI, list[dict[str, Any]]]:
    """Return the fake server app and the list it records request bodies into.

    Args:
        sql: The default script's query.
        answer: The default script's text.
        steps: One step per request, in order; past the end, the last step repeats. The
            default is a ``run_sql`` call with ``sql``, then ``answer``.

    """
    script = steps or [tool_step(sql), Step("text", text=answer)]
    app = FastAPI()
    requests: list[dict[str, Any]] = []

    @app.post("/v1/chat/completions")
    async def completions(request: Request) -> Response:
        body = await request.json()
        requests.append(body)
        step = script[min(len(requests), len(script)) - 1]
        if step.kind == "status":
            error = {"error": {"message": f"fake {step.status}", "type": "fake", "code": None}}
            return JSONResponse(error, status_code=step.status, headers=step.headers)
        return StreamingResponse(_play(step, len(requests)), media_type="text/event-stream")

    return app, requests
