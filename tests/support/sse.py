"""Reading Plotwise's SSE stream in tests: a real HTTP client, parsed into (event, id, data)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass
class Event:
    event: str
    id: str | None
    data: dict[str, Any]


def parse_lines(lines: Iterator[str]) -> Iterator[Event]:
    """Parse SSE lines (without newlines) into events; comments (pings) are skipped."""
    name, ident, data = "message", None, []
    for line in lines:
        if line == "":
            if data:
                yield Event(name, ident, json.loads("\n".join(data)))
            name, ident, data = "message", None, []
        elif line.startswith(":"):
            continue
        else:
            field, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if field == "event":
                name = value
            elif field == "id":
                ident = value
            elif field == "data":
                data.append(value)


def chat(
    base_url: str,
    message: str,
    conversation_id: str | None = None,
    timeout: float = 60,
    **fields: Any,
) -> list[Event]:
    """POST one chat turn (with any further body ``fields``, e.g. ``fix``); return its events."""
    body: dict[str, Any] = {"message": message, **fields}
    if conversation_id:
        body["conversation_id"] = conversation_id
    with httpx.Client(base_url=base_url, timeout=timeout) as client:
        with client.stream("POST", "/api/chat", json=body) as response:
            assert response.status_code == 200, response.read()
            assert response.headers["content-type"].startswith("text/event-stream")
            return list(parse_lines(response.iter_lines()))
