"""The typed result of one query, shared by the SQL runner and the ``data`` SSE event."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, JsonValue

from plotwise.sql.params import QueryParamSpec

NUMERIC_TYPES = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "FLOAT",
    "DOUBLE",
    "DECIMAL",
    "REAL",
)
"""Prefixes of DuckDB's numeric type names (``DECIMAL(15,2)`` starts with ``DECIMAL``)."""

TEMPORAL_TYPES = ("DATE", "TIMESTAMP", "TIME")
"""Prefixes of DuckDB's date and time type names."""


class ColumnSchema(BaseModel):
    """One result column: its name and its DuckDB type name (``BIGINT``, ``VARCHAR``...)."""

    name: str
    type: str


class QueryResult(BaseModel):
    """The outcome of one query: columns, at most ``max_rows`` rows, and how it was fetched."""

    query_id: str
    """Identifier that binds artifacts to this result, e.g. ``q_1a2b3c4d``."""
    sql: str
    """The SQL as submitted."""
    columns: list[ColumnSchema]
    """Result columns in order, with DuckDB type names."""
    rows: list[list[JsonValue]]
    """Rows as lists in column order, JSON-safe (see `plotwise.sql.arrow_json`)."""
    row_count: int
    """Number of rows in ``rows`` (at most the row cap)."""
    truncated: bool
    """Whether the query had more rows than the cap."""
    elapsed_ms: float
    """Wall time of execution, fetch and conversion, in milliseconds."""
    fetched_at: datetime
    """When the rows were fetched (timezone-aware, UTC)."""
    data_version: str
    """`Catalog.data_version` when the query ran."""
    params: dict[str, JsonValue] = Field(default_factory=dict)
    """Query parameter values bound for this run, ``{name: value}``."""
    param_specs: list[QueryParamSpec] = Field(default_factory=list)
    """The query parameters declared with the SQL."""
