"""Turn latency with the local model over real HTTP: time to first SSE event and full turn."""

from __future__ import annotations

import time

import httpx

QUESTIONS = [
    "Number of flights by carrier",
    "Monthly number of flights",
    "Average departure delay by carrier",
    "Number of flights from JFK by month",
    "Top 10 destinations by average air time",
    "How many flights went to LAX?",
    "Average temperature by month",
    "Number of planes by manufacturer",
    "Total distance flown by origin airport",
    "Number of flights by airline name",
]


def time_turn(client: httpx.Client, question: str) -> tuple[float, float]:
    """Run one turn; return (ms to the first SSE event, ms to the end of the stream)."""
    started = time.perf_counter()
    first = None
    with client.stream("POST", "/api/chat", json={"message": question}) as response:
        response.raise_for_status()
        for line in response.iter_lines():
            if first is None and line.startswith("event:"):
                first = time.perf_counter()
    ended = time.perf_counter()
    return ((first or ended) - started) * 1000, (ended - started) * 1000


def measure_turns(base_url: str, turns: int) -> dict[str, list[float]]:
    """Run ``turns`` turns cycling through `QUESTIONS`; return the two series in ms."""
    first_event: list[float] = []
    full_turn: list[float] = []
    with httpx.Client(base_url=base_url, timeout=60) as client:
        time_turn(client, QUESTIONS[0])  # warm-up: first plans, imports, caches
        for i in range(turns):
            first, full = time_turn(client, QUESTIONS[i % len(QUESTIONS)])
            first_event.append(first)
            full_turn.append(full)
    return {"first_event_ms": first_event, "turn_ms": full_turn}
