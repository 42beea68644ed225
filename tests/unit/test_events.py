from datetime import UTC, datetime

import pytest

from plotwise.api.events import (
    ArtifactEvent,
    DataEvent,
    ErrorEvent,
    TextEvent,
    encode_event,
    turn_event_adapter,
)
from plotwise.sql.result import ColumnSchema


def test_encoding_names_the_event_and_numbers_it():
    message = encode_event(TextEvent(delta="hi"), turn_id="t1", sequence=7).encode().decode()
    assert "event: text" in message
    assert "id: t1:7" in message


def test_multiline_markdown_stays_one_data_line():
    delta = "line one\n\n```tsx\ncode\n```\n"
    wire = encode_event(TextEvent(delta=delta), turn_id="t", sequence=0).encode().decode()
    data_lines = [line for line in wire.splitlines() if line.startswith("data:")]
    assert len(data_lines) == 1
    decoded = turn_event_adapter.validate_json(data_lines[0].removeprefix("data:").strip())
    assert decoded == TextEvent(delta=delta)


@pytest.mark.parametrize(
    "event",
    [
        DataEvent(
            query_id="q1",
            sql="SELECT 1",
            columns=[ColumnSchema(name="x", type="INTEGER")],
            rows=[[1], [None]],
            row_count=2,
            truncated=False,
            elapsed_ms=1.5,
            fetched_at=datetime(2026, 1, 1, tzinfo=UTC),
            data_version="abc",
            params={"origin": "JFK"},
            param_specs=[{"name": "origin", "type": "text", "default": "JFK"}],
            cache={
                "key": "k",
                "hit": False,
                "stored_at": datetime(2026, 1, 1, tzinfo=UTC),
                "expires_at": None,
            },
        ),
        ArtifactEvent(
            artifact_id="a1", code="export default function A() {}", language="tsx", query_id=None
        ),
        ErrorEvent(
            code="sql_refused", message="no", stage="query", recoverable=False, trace_id="t"
        ),
    ],
)
def test_events_round_trip_through_their_wire_form(event):
    wire = encode_event(event, turn_id="t", sequence=1).encode().decode()
    data = next(line for line in wire.splitlines() if line.startswith("data:"))
    assert turn_event_adapter.validate_json(data.removeprefix("data:").strip()) == event


def test_unknown_event_type_is_rejected():
    with pytest.raises(ValueError, match="type"):
        turn_event_adapter.validate_python({"type": "nope"})
