"""A query result kept as its Arrow table, and its Arrow IPC stream for the browser.

The artifact data endpoint answers ``Accept: application/vnd.apache.arrow.stream`` with the
worker's Arrow IPC stream: a new schema message, then the worker's record batches as they are,
from its memory-mapped spool file or the cache's (no Python work per row, no copy; against
~500 ms for 100,000 flights rows as JSON rows built in Python and ~90 ms for DuckDB's own
columnar JSON). The result's fields other than ``rows`` travel as JSON in the schema metadata
under `METADATA_KEY`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel

from plotwise.sql.handoff import stream_parts
from plotwise.sql.result import QueryResult

ARROW_STREAM = "application/vnd.apache.arrow.stream"
"""Media type of an Arrow IPC stream (IANA registration)."""

METADATA_KEY = "plotwise"
"""Schema metadata key holding the result's other fields as a JSON object."""


@dataclass(frozen=True)
class ArrowResult:
    """A result whose rows are an Arrow table instead of JSON values.

    Attributes:
        result: Every field but the rows (``rows`` is empty; ``row_count`` is the table's).
        table: At most the row cap's rows, columns as the worker returned them.
        stream: The Arrow IPC stream ``table`` was read from, when it is at hand (the worker's
            answer or a cache file): `ipc_stream` then sends its batches as they are.
        spool: The worker's spool file holding ``stream`` (`plotwise.sql.handoff`), until the
            cache adopts it or it is removed.

    """

    result: QueryResult
    table: pa.Table
    stream: pa.Buffer | None = None
    spool: Path | None = None


_SECONDS_IN_RANGE = (-62_135_596_800, 253_402_300_799)
"""First and last second of years 1 to 9999 (Python's datetime range) since the epoch. Values
outside it (DuckDB's ``infinity`` among them) have a JSON spelling of their own
(`plotwise.sql.arrow_json`) that the browser's decoder does not repeat."""

_PER_SECOND = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}


def _decodable(kind: pa.DataType) -> bool:
    """Whether the browser's decoder (frontend/src/query/arrowRows.ts) handles this type."""
    if pa.types.is_timestamp(kind):
        # Other zones would need the zone's offset rules to print today's ISO strings.
        return kind.tz in (None, "UTC", "Etc/UTC", "+00:00")
    return any(
        check(kind)
        for check in (
            pa.types.is_integer,
            pa.types.is_float32,
            pa.types.is_float64,
            pa.types.is_boolean,
            pa.types.is_string,
            pa.types.is_decimal128,
            pa.types.is_date32,
            pa.types.is_time,
            pa.types.is_null,
        )
    )


def _in_range(column: pa.ChunkedArray) -> bool:
    """Whether a DATE or TIMESTAMP column's values all lie in years 1 to 9999."""
    kind = column.type
    if pa.types.is_date32(kind):
        low, high = (bound // 86_400 for bound in _SECONDS_IN_RANGE)
        raw = pa.int32()
    elif pa.types.is_timestamp(kind):
        low, high = (bound * _PER_SECOND[kind.unit] for bound in _SECONDS_IN_RANGE)
        raw = pa.int64()
    else:
        return True
    # A vectorised min/max over the raw integers: no per-row work.
    extremes = pc.min_max(column.cast(raw))
    smallest, largest = extremes["min"].as_py(), extremes["max"].as_py()
    return smallest is None or (low <= smallest and largest <= high)


def browser_decodable(table: pa.Table) -> bool:
    """Whether every column of ``table`` can go to the browser as Arrow.

    Intervals, blobs, lists, structs, maps, enums, zoned timestamps other than UTC and dates
    outside years 1 to 9999 are answered as JSON instead (their JSON spelling is documented in
    `plotwise.sql.arrow_json`).
    """
    if not all(_decodable(field.type) for field in table.schema):
        return False
    return all(_in_range(column) for column in table.columns)


def ipc_stream(answer: ArrowResult, metadata: BaseModel) -> list[pa.Buffer]:
    """The Arrow IPC stream of ``answer`` with ``metadata`` (JSON) in its schema.

    Args:
        answer: The rows to send. When its ``stream`` is at hand, its record batches are sent
            as they are (no copy) after a new schema message; otherwise the table is written.
        metadata: The result's other fields, serialised with ``model_dump_json`` (a ``rows``
            field, empty for an `ArrowResult`, is left out).

    Returns:
        The stream's bytes in pieces (about 95 bytes per flights row in all), to be sent in
        order.

    """
    table = answer.table
    schema = table.schema.with_metadata({METADATA_KEY: metadata.model_dump_json(exclude={"rows"})})
    if answer.stream is not None:
        return stream_parts(answer.stream, schema)
    # Measuring first and writing into a buffer of the exact size copies the columns once
    # (~0.4 ms per 100k flights rows); a growing buffer re-copies as it doubles (~1.3 ms).
    table = table.replace_schema_metadata(schema.metadata)
    mock = pa.MockOutputStream()
    with pa.ipc.new_stream(mock, schema) as writer:
        writer.write_table(table)
    buffer = pa.allocate_buffer(mock.size())
    with pa.ipc.new_stream(pa.FixedSizeBufferWriter(buffer), schema) as writer:
        writer.write_table(table)
    return [buffer]


def read_metadata(schema: pa.Schema) -> dict[str, object]:
    """The JSON object `ipc_stream` stored in ``schema`` (for tests and clients in Python).

    Raises:
        KeyError: The schema has no Plotwise metadata.

    """
    return json.loads(schema.metadata[METADATA_KEY.encode()])
