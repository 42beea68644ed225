"""Downsampling over real HTTP: a 100,000-row flights series reaches the chart as 2,000 points.

The chat's ``data`` event and the artifact data endpoint (JSON and Arrow) carry the reduced
rows with ``downsampled``, ``original_row_count`` and ``downsample``; ``?full=true`` answers
every row, and the model still sees the whole result's count.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pyarrow as pa
import pytest
from pydantic_ai.messages import ToolReturnPart

from plotwise.app import create_app
from plotwise.settings import Settings
from plotwise.sql.arrow_result import ARROW_STREAM, read_metadata
from support.live_server import live_server
from support.scripted import COMPONENT, scripted
from support.sse import chat

SERIES_SQL = """SELECT time_hour, dep_delay, arr_delay FROM flights
WHERE dep_delay IS NOT NULL ORDER BY time_hour, carrier, flight LIMIT 100000"""
"""100,000 departures in time order: one series, two measures."""

BUDGET = 2000


@pytest.fixture(scope="module")
def turn(app_settings: Settings) -> Iterator[tuple[str, dict, dict, list]]:
    """One chat turn running `SERIES_SQL`: the server's URL, its data event, artifact, and what
    the model was sent."""
    model, seen = scripted([("sql", SERIES_SQL), "Delays over time.\n\n" + COMPONENT])
    settings = app_settings.model_copy(update={"max_rows": 200_000, "point_budget": BUDGET})
    with live_server(create_app(settings, model=model)) as url:
        events = chat(url, "Departure delays over time")
        data = next(e.data for e in events if e.event == "data")
        artifact = next(e.data for e in events if e.event == "artifact")
        yield url, data, artifact, seen


def post_data(url: str, artifact_id: str, *, full: bool = False, accept: str | None = None):
    response = httpx.post(
        f"{url}/api/artifacts/{artifact_id}/data",
        params={"full": "true"} if full else None,
        json={},
        headers={"Accept": accept} if accept else None,
        timeout=60,
    )
    assert response.status_code == 200, response.text
    return response


def test_the_data_event_carries_the_budget_of_points_and_the_flags(turn):
    _, data, _, seen = turn
    assert data["downsampled"] is True and data["downsample"] == "lttb"
    assert data["original_row_count"] == 100_000
    # Two measures: their LTTB points overlap, so the union comes close to the budget.
    assert 0.95 * BUDGET <= data["row_count"] == len(data["rows"]) <= BUDGET
    times = [row[0] for row in data["rows"]]
    assert times == sorted(times)
    # The model read the whole result's count, not the chart's.
    [tool_return] = [part for part in seen[1][-1].parts if isinstance(part, ToolReturnPart)]
    assert '"row_count":100000' in tool_return.model_response_str().replace(" ", "")


def test_the_json_answer_is_downsampled_and_full_true_answers_every_row(turn):
    url, data, artifact, _ = turn
    reduced = post_data(url, artifact["artifact_id"]).json()
    assert reduced["downsampled"] is True and reduced["downsample"] == "lttb"
    assert reduced["original_row_count"] == 100_000 == data["original_row_count"]
    assert len(reduced["rows"]) == reduced["row_count"] == data["row_count"]
    full = post_data(url, artifact["artifact_id"], full=True).json()
    assert full["downsampled"] is False and full["downsample"] is None
    assert full["row_count"] == 100_000 == full["original_row_count"] == len(full["rows"])
    assert reduced["rows"][0] == full["rows"][0] and reduced["rows"][-1] == full["rows"][-1]
    # The reduced rows are rows of the full result (the first and last of each kept).
    assert {tuple(row) for row in reduced["rows"]} <= {tuple(row) for row in full["rows"]}


def test_the_arrow_answer_is_downsampled_with_the_flags_in_its_schema(turn):
    url, data, artifact, _ = turn
    for _ in range(2):  # fresh, then from the cache (its stored stream holds every row)
        response = post_data(url, artifact["artifact_id"], accept=ARROW_STREAM)
        assert response.headers["content-type"] == ARROW_STREAM
        table = pa.ipc.open_stream(response.content).read_all()
        meta = read_metadata(table.schema)
        assert table.num_rows == meta["row_count"] == data["row_count"]
        assert meta["downsampled"] is True and meta["downsample"] == "lttb"
        assert meta["original_row_count"] == 100_000
    full = post_data(url, artifact["artifact_id"], full=True, accept=ARROW_STREAM)
    table = pa.ipc.open_stream(full.content).read_all()
    meta = read_metadata(table.schema)
    assert table.num_rows == 100_000 == meta["original_row_count"]
    assert meta["downsampled"] is False


def test_a_small_result_is_sent_whole_with_its_count(local_server):
    events = chat(local_server, "Number of flights by carrier")
    data = next(e.data for e in events if e.event == "data")
    assert data["downsampled"] is False and data["downsample"] is None
    assert data["original_row_count"] == data["row_count"] == len(data["rows"]) == 16
