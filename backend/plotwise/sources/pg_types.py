"""PostgreSQL type names as the DuckDB type names the rest of Plotwise speaks.

Result columns (`plotwise.sql.result.ColumnSchema`) and dataset definitions carry DuckDB type
names, which the chart and draft code read (`NUMERIC_TYPES`, `TEMPORAL_TYPES`); a PostgreSQL
source maps its catalog's names onto them.
"""

from __future__ import annotations

from typing import Final

PG_TO_DUCKDB: Final = {
    "smallint": "SMALLINT",
    "int2": "SMALLINT",
    "integer": "INTEGER",
    "int4": "INTEGER",
    "bigint": "BIGINT",
    "int8": "BIGINT",
    "real": "FLOAT",
    "float4": "FLOAT",
    "double precision": "DOUBLE",
    "float8": "DOUBLE",
    "numeric": "DECIMAL",
    "money": "DECIMAL",
    "boolean": "BOOLEAN",
    "bool": "BOOLEAN",
    "text": "VARCHAR",
    "character varying": "VARCHAR",
    "varchar": "VARCHAR",
    "character": "VARCHAR",
    "bpchar": "VARCHAR",
    "name": "VARCHAR",
    "citext": "VARCHAR",
    "date": "DATE",
    "timestamp without time zone": "TIMESTAMP",
    "timestamp": "TIMESTAMP",
    "timestamp with time zone": "TIMESTAMP WITH TIME ZONE",
    "timestamptz": "TIMESTAMP WITH TIME ZONE",
    "time without time zone": "TIME",
    "time": "TIME",
    "time with time zone": "TIME WITH TIME ZONE",
    "timetz": "TIME WITH TIME ZONE",
    "interval": "INTERVAL",
    "uuid": "UUID",
    "bytea": "BLOB",
    "json": "JSON",
    "jsonb": "JSON",
}
"""PostgreSQL type names (as ``information_schema`` and ``pg_type`` spell them) -> DuckDB's."""


def duckdb_type(pg_type: str) -> str:
    """The DuckDB type name for a PostgreSQL one; unknown types (enums, arrays...) read as text.

    Args:
        pg_type: e.g. ``integer``, ``double precision``, ``int4``, ``_text`` (an array).

    Returns:
        e.g. ``INTEGER``, ``DOUBLE``, ``VARCHAR``.

    """
    return PG_TO_DUCKDB.get(pg_type.lower().strip(), "VARCHAR")
