"""A protocol-accurate fake of Anthropic's Messages streaming API, for the real SDK client.

It plays the same script as `support.fake_openai`: the first request gets a ``run_sql`` tool
call (its JSON input streamed in pieces as ``input_json_delta``), the next ones get text
(``text_delta``), each framed by ``message_start`` ... ``message_stop`` with usage, as the API
documents (https://docs.anthropic.com/en/api/messages-streaming). Every request body is
recorded so tests can check what the model was sent.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse

INPUT_TOKENS = 13
"""Input tokens each fake message reports."""

OUTPUT_TOKENS = 9
"""Output tokens each fake message reports."""


def _event(kind: str, **body: Any) -> str:
    return f"event: {kind}\ndata: {json.dumps({'type': kind, **body})}\n\n"


def _message(model: str, blocks: list[tuple[dict[str, Any], list[dict[str, Any]]]], stop: str):
    """The events of one streamed message: its content blocks, then its stop reason and usage."""
    start = {
        "id": "msg_fake",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {"input_tokens": INPUT_TOKENS, "output_tokens": 1},
    }
    yield _event("message_start", message=start)
    yield _event("ping")
    for index, (block, deltas) in enumerate(blocks):
        yield _event("content_block_start", index=index, content_block=block)
        for delta in deltas:
            yield _event("content_block_delta", index=index, delta=delta)
        yield _event("content_block_stop", index=index)
    yield _event(
        "message_delta",
        delta={"stop_reason": stop, "stop_sequence": None},
        usage={"output_tokens": OUTPUT_TOKENS},
    )
    yield _event("message_stop")


def fake_anthropic_app(sql: str, answer: str) -> tuple[FastAPI, list[dict[str, Any]]]:
    """Return the fake server app (``POST /v1/messages``) and the list of request bodies."""
    app = FastAPI()
    requests: list[dict[str, Any]] = []

    @app.post("/v1/messages")
    async def messages(request: Request) -> StreamingResponse:
        body = await request.json()
        requests.append(body)
        model = body["model"]

        def stream() -> Iterator[str]:
            if len(requests) == 1:
                arguments = json.dumps({"sql": sql})
                block = {"type": "tool_use", "id": "toolu_fake1", "name": "run_sql", "input": {}}
                deltas = [
                    {"type": "input_json_delta", "partial_json": arguments[start : start + 16]}
                    for start in range(0, len(arguments), 16)
                ]
                yield from _message(model, [(block, deltas)], "tool_use")
            else:
                deltas = [
                    {"type": "text_delta", "text": answer[start : start + 20]}
                    for start in range(0, len(answer), 20)
                ]
                yield from _message(model, [({"type": "text", "text": ""}, deltas)], "end_turn")

        return StreamingResponse(stream(), media_type="text/event-stream")

    return app, requests
