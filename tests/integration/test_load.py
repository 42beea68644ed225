"""Load: 200 concurrent SSE turns plus steady chat traffic on a real ``plotwise serve``.

The server runs as a child process (its memory measured alone, workers included) with the
local analyst. Every turn of both kinds must end with ``done`` after a ``data`` event, and the
server's memory (PSS of the server and its query workers) must stay bounded: below a ceiling
while the 200 streams are open, and not growing from one load to the next.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from plotwise.bench.command import SERVER_ENV
from plotwise.bench.memory import PeakSampler, tree_rss
from plotwise.bench.process import plotwise_process
from plotwise.bench.turns import QUESTIONS, TurnTiming, time_turn
from plotwise.settings import Settings
from support.served import served_env

CONCURRENT = 200
"""SSE connections open at once."""

STEADY_TURNS = 20
"""Turns sent one after another (one every 0.1 s) while the 200 streams are open."""

PEAK_GROWTH_MB = 400
"""Most the server and its workers may grow above their idle level during one load, in MiB:
200 turns' buffers, transcripts and result caches (measured: 125 to 160 MiB)."""

ROUNDS = 3
"""Identical loads run one after another."""

LEAK_MB = 100
"""Most a later load may leave behind beyond what the first left, in MiB. What stays after the
first (allocator arenas, caches) is reused: measured over 4 rounds, 397, 407, 440 and 402 MiB
after each. A leak of 250 KB per turn (440 turns a round) would pass this after 2 rounds."""


@pytest.fixture(scope="module")
def server(settings: Settings, tmp_path_factory: pytest.TempPathFactory):
    """``plotwise serve`` in a child process, limits raised so one test client may load it."""
    store: Path = tmp_path_factory.mktemp("load") / "store.db"
    with plotwise_process(served_env(settings, store, **SERVER_ENV)) as process:
        yield process


async def _steady(client: httpx.AsyncClient) -> list[TurnTiming]:
    timings = []
    for index in range(STEADY_TURNS):
        timings.append(await time_turn(client, QUESTIONS[index % len(QUESTIONS)]))
        await asyncio.sleep(0.1)
    return timings


async def _load(url: str) -> tuple[list[TurnTiming], list[TurnTiming]]:
    limits = httpx.Limits(max_connections=CONCURRENT + 1, max_keepalive_connections=CONCURRENT)
    async with (
        httpx.AsyncClient(base_url=url, timeout=180, limits=limits) as crowd,
        httpx.AsyncClient(base_url=url, timeout=180) as steady,
    ):
        await time_turn(steady, QUESTIONS[0])
        questions = [QUESTIONS[i % len(QUESTIONS)] for i in range(CONCURRENT)]
        crowd_run = asyncio.gather(*(time_turn(crowd, q) for q in questions))
        steady_run = _steady(steady)
        many, few = await asyncio.gather(crowd_run, steady_run)
    return list(many), few


def test_200_concurrent_streams_and_steady_chat_all_finish_with_bounded_memory(server) -> None:
    mib = 1024 * 1024
    idle = tree_rss(server.pid) / mib
    rounds = []
    for _ in range(ROUNDS):
        with PeakSampler(server.pid, interval_s=0.1) as sampler:
            many, few = asyncio.run(_load(server.url))
        failed = [t.error for t in [*many, *few] if t.error is not None]
        assert failed == []
        assert len(many) == CONCURRENT and len(few) == STEADY_TURNS
        rounds.append((sampler.peak_tree / mib, tree_rss(server.pid) / mib))
    peaks, afters = zip(*rounds, strict=True)
    figures = f"idle {idle:.0f} MiB, (peak, after) per round {rounds}"
    assert max(peaks) - idle < PEAK_GROWTH_MB, figures
    assert max(afters[1:]) - afters[0] < LEAK_MB, figures
    # The server still answers at once after the load.
    assert httpx.get(server.url + "/ready", timeout=5).status_code == 200
