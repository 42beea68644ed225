"""Resumable chat streams: a dropped reader reconnects with Last-Event-ID and misses nothing."""

from __future__ import annotations

import asyncio
import random
import threading
import time

import httpx
import pytest
from pydantic_ai.models.function import AgentInfo, FunctionModel

from plotwise.app import create_app
from plotwise.bench.server import live_plotwise_app
from support.live_server import live_server
from support.sse import Event, parse_lines

WORDS = [f"w{i} " for i in range(400)]


def _slow_words(delay_s: float) -> FunctionModel:
    """A model that answers ``WORDS``, one text delta each ``delay_s`` seconds."""

    async def stream(messages, info: AgentInfo):
        for word in WORDS:
            await asyncio.sleep(delay_s)
            yield word

    return FunctionModel(stream_function=stream, model_name="slow-words")


def _resume_headers(meta: Event, last_id: str | None = None) -> dict[str, str]:
    headers = {"X-Resume-Token": meta.data["resume_token"]}
    if last_id is not None:
        headers["Last-Event-ID"] = last_id
    return headers


def _read(response: httpx.Response, keep: list[Event], limit: int | None = None) -> bool:
    """Append the stream's events to ``keep``; stop after ``limit`` of them. True: it ended."""
    for count, event in enumerate(parse_lines(response.iter_lines()), start=1):
        keep.append(event)
        if limit is not None and count >= limit:
            return False
    return True


def test_a_hundred_dropped_connections_resume_without_loss_or_duplicates(server_with):
    rng = random.Random(12)
    drops = 0
    with server_with(_slow_words(0.004)) as url, httpx.Client(base_url=url, timeout=30) as client:
        received: list[Event] = []
        with client.stream("POST", "/api/chat", json={"message": "words"}) as response:
            assert response.status_code == 200
            ended = _read(response, received, limit=2)
        meta = received[0]
        assert meta.event == "meta" and meta.data["resume_token"]
        turn_id = meta.data["turn_id"]
        while not ended:
            drops += 1
            # Leaving the block closes the connection mid-stream: a forced disconnect.
            headers = _resume_headers(meta, received[-1].id)
            with client.stream("GET", f"/api/turns/{turn_id}/events", headers=headers) as response:
                assert response.status_code == 200, response.read()
                limit = rng.randint(1, 6) if drops < 100 else None
                ended = _read(response, received, limit=limit)
        # The uninterrupted transcript: the whole turn replayed from the start.
        with client.stream(
            "GET", f"/api/turns/{turn_id}/events", headers=_resume_headers(meta)
        ) as response:
            whole: list[Event] = []
            assert _read(response, whole)

    assert drops >= 100
    assert [(e.event, e.id, e.data) for e in received] == [(e.event, e.id, e.data) for e in whole]
    assert [e.id for e in received] == [f"{turn_id}:{n}" for n in range(len(received))]
    assert "".join(e.data["delta"] for e in received if e.event == "text") == "".join(WORDS)
    assert received[-1].event == "done"


def test_a_resume_needs_the_turns_token(server_with):
    with server_with(_slow_words(0)) as url, httpx.Client(base_url=url, timeout=30) as client:
        with client.stream("POST", "/api/chat", json={"message": "words"}) as response:
            events: list[Event] = []
            _read(response, events)
        meta = events[0]
        turn_id = meta.data["turn_id"]
        wrong = {"X-Resume-Token": "not-the-token"}
        for method, path, headers in [
            ("GET", f"/api/turns/{turn_id}/events", wrong),
            ("GET", f"/api/turns/{turn_id}/events", {}),
            ("GET", "/api/turns/0123456789abcdef/events", _resume_headers(meta)),
            ("DELETE", f"/api/turns/{turn_id}", wrong),
        ]:
            answer = client.request(method, path, headers=headers)
            assert answer.status_code == 404, (method, path, headers)
            assert answer.json()["error"]["code"] == "not_found"
        other = client.get(
            f"/api/turns/{turn_id}/events", headers=_resume_headers(meta, "another-turn:3")
        )
        assert other.status_code == 400
        assert other.json()["error"]["code"] == "bad_request"
        # With the token, the finished turn's events are all there, and after an id, the rest.
        tail = client.get(
            f"/api/turns/{turn_id}/events", headers=_resume_headers(meta, events[-3].id)
        )
        assert [e.id for e in parse_lines(iter(tail.text.splitlines()))] == [
            e.id for e in events[-2:]
        ]


def test_a_dropped_turn_stops_after_the_grace_period(app_settings):
    settings = app_settings.model_copy(update={"resume_grace_s": 0.3})
    app = create_app(settings, model=_slow_words(0.05))
    with live_server(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        events: list[Event] = []
        with client.stream("POST", "/api/chat", json={"message": "words"}) as response:
            _read(response, events, limit=3)
        meta = events[0]
        turn = app.state.turns.get(meta.data["turn_id"], meta.data["resume_token"])
        time.sleep(0.15)
        assert not turn.finished, "the turn stopped before its grace period ended"
        deadline = time.monotonic() + 5
        while not turn.finished and time.monotonic() < deadline:
            time.sleep(0.01)
        assert turn.finished
        path = f"/api/turns/{meta.data['turn_id']}/events"
        rest = client.get(path, headers=_resume_headers(meta, events[-1].id))
        last = list(parse_lines(iter(rest.text.splitlines())))[-1]
        assert last.event == "error" and last.data["code"] == "cancelled"


def test_shutdown_sends_open_streams_a_final_event(app_settings):
    events: list[Event] = []
    outcome: dict[str, object] = {}
    started = threading.Event()

    def reader(url: str) -> None:
        try:
            with httpx.Client(base_url=url, timeout=30) as client:
                with client.stream("POST", "/api/chat", json={"message": "words"}) as response:
                    for event in parse_lines(response.iter_lines()):
                        events.append(event)
                        if event.event == "text":
                            started.set()
            outcome["ended_at"] = time.monotonic()
        except httpx.HTTPError as exc:
            outcome["error"] = exc
        finally:
            started.set()

    with live_plotwise_app(app_settings, model=_slow_words(0.2)) as (url, _app):
        thread = threading.Thread(target=reader, args=(url,), daemon=True)
        thread.start()
        assert started.wait(20)
        stopping_at = time.monotonic()
    thread.join(10)
    assert "error" not in outcome, outcome
    assert events[-1].event == "error", [e.event for e in events]
    assert events[-1].data["code"] == "shutting_down"
    assert events[-1].data["recoverable"] is True
    assert float(outcome["ended_at"]) - stopping_at < 2.0  # type: ignore[arg-type]


@pytest.mark.parametrize("grace", [0.0, 10.0])
def test_stop_ends_the_turn_for_its_readers(server_with, grace):
    with server_with(_slow_words(0.05), resume_grace_s=grace) as url:
        with httpx.Client(base_url=url, timeout=30) as client:
            events: list[Event] = []
            with client.stream("POST", "/api/chat", json={"message": "words"}) as response:
                for event in parse_lines(response.iter_lines()):
                    events.append(event)
                    if event.event == "text" and len(events) == 4:
                        meta = events[0]
                        stopped = client.delete(
                            f"/api/turns/{meta.data['turn_id']}", headers=_resume_headers(meta)
                        )
                        assert stopped.status_code == 204
    assert events[-1].event == "error" and events[-1].data["code"] == "cancelled"
    assert "".join(e.data["delta"] for e in events if e.event == "text") != "".join(WORDS)


def test_a_reader_that_stops_reading_is_dropped(app_settings):
    chunk = "x" * 262144

    async def flood(messages, info: AgentInfo):
        while True:
            await asyncio.sleep(0.01)
            yield chunk

    settings = app_settings.model_copy(
        update={
            "sse_send_timeout_s": 0.5,
            "resume_grace_s": 0,
            "turn_transcript_max_bytes": 512 * 1024 * 1024,
        }
    )
    app = create_app(settings, model=FunctionModel(stream_function=flood, model_name="flood"))
    with live_server(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        with client.stream("POST", "/api/chat", json={"message": "flood"}) as response:
            # Kept referenced: a collected line iterator would close the response.
            stream = parse_lines(response.iter_lines())
            meta = next(stream)
            turn = app.state.turns.get(meta.data["turn_id"], meta.data["resume_token"])
            # Reading no further: the socket's buffers fill, and the server's writes block.
            deadline = time.monotonic() + 20
            while not turn.finished and time.monotonic() < deadline:
                time.sleep(0.05)
            assert turn.finished, "the stalled reader kept its turn running"
            assert turn.size > 1024 * 1024, "the turn ended before the reader stalled"
            stream.close()
        last = turn.events[-1]
        assert last.event == "error" and '"code":"cancelled"' in (last.data or "")
