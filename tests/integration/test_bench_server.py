"""The bench's own server: ``plotwise serve`` in a child process, measured from /proc."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import httpx

from plotwise.bench.command import SERVER_ENV
from plotwise.bench.memory import status, tree_rss
from plotwise.bench.process import plotwise_process
from plotwise.bench.tpch import QUESTIONS as TPCH_QUESTIONS
from plotwise.bench.tpch import measure_tpch
from plotwise.bench.turns import measure_concurrent, time_turn
from plotwise.cli import _scale_list
from support.served import served_env


def test_served_child_answers_a_turn_and_its_memory_is_its_own(settings, tmp_path):
    env = served_env(settings, tmp_path / "store.db")
    with plotwise_process(env) as server:
        assert server.pid != os.getpid()
        assert status(server.pid)["VmRSS"] > 0
        assert tree_rss(server.pid) >= status(server.pid)["VmRSS"] // 4

        async def ask():
            async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
                return await time_turn(client, "Number of flights by carrier")

        turn = asyncio.run(ask())
        assert turn.error is None
        assert 0 < turn.first_ms <= turn.total_ms
        pid = server.pid
    # The child was stopped with the block.
    assert not os.path.exists(f"/proc/{pid}") or "Z" in open(f"/proc/{pid}/stat").read().split()[2]


def test_a_failed_turn_is_recorded_not_raised(settings, tmp_path):
    env = served_env(settings, tmp_path / "store.db")
    with plotwise_process(env) as server:

        async def ask():
            async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
                return await time_turn(client, "")

        turn = asyncio.run(ask())
    assert turn.error is not None and turn.error.startswith("http 4")


def test_tpch_command_generates_a_scale_factor_and_names_the_setting(tmp_path):
    env = {**os.environ, "PLOTWISE_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "plotwise.cli", "tpch", "--scale", "0.002"],
        env=env,
        text=True,
        capture_output=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "PLOTWISE_TPCH_SCALE_FACTOR=0.002" in done.stdout
    assert (tmp_path / "tpch" / ".scale_factor").read_text().strip() == "0.002"
    assert (tmp_path / "tpch" / "lineitem.parquet").stat().st_size > 0


def test_tpch_scales_flag_parses_lists_and_none():
    assert _scale_list("0.1,1") == [0.1, 1.0]
    assert _scale_list("none") == []


def test_concurrent_turns_all_end_done(settings, tmp_path):
    env = served_env(settings, tmp_path / "store.db", **SERVER_ENV)
    with plotwise_process(env) as server:
        turns = measure_concurrent(server.url, 4)
    assert len(turns) == 4
    assert [t.error for t in turns] == [None] * 4


def test_tpch_questions_are_answered_by_the_local_analyst_at_each_scale(settings):
    rows = measure_tpch(settings, [0.002, 0.004], runs=1)
    assert [(r["scale"], r["label"]) for r in rows] == [
        (scale, label) for scale in (0.002, 0.004) for label in TPCH_QUESTIONS
    ]
    assert all(r["errors"] == [] and len(r["samples"]) == 1 for r in rows)
    assert (
        settings.resolved_data_dir() / "bench" / "tpch-sf0.004" / "tpch" / ".scale_factor"
    ).is_file()
