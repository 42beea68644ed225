"""A PostgreSQL database seeded with nycflights13, for the source tests.

`seed_flights` copies the bundled Parquet tables into a fresh database of the test session's
server (`support.postgres`): each table created with the PostgreSQL type of its DuckDB type,
rows sent by ``COPY ... FROM STDIN`` in binary, typed; and makes three roles: ``reader`` (SELECT
only), ``writer`` (INSERT on two tables) and the superuser ``postgres``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psycopg

from support.postgres import PostgresServer

PG_TYPES = {
    "VARCHAR": "text",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "DOUBLE": "double precision",
    "TIMESTAMP": "timestamp",
    "DATE": "date",
}
"""PostgreSQL type for each DuckDB type of the bundled tables."""

READER_PASSWORD = "reader-secret-1"
WRITER_PASSWORD = "writer-secret-2"

COMMENTS = {
    ("flights", ""): "One row per flight that left New York City in 2013.",
    ("flights", "dep_delay"): "Departure delay in minutes; negative means early. "
    "Synonyms: departure delay, departure delays, delay",
}
"""Comments set on the seeded tables (``COMMENT ON``): the source reads them as descriptions,
and a column's ``Synonyms:`` as words for the local analyst."""


@dataclass(frozen=True)
class SeededDatabase:
    """A seeded database and the URLs of its roles."""

    name: str
    reader: str
    writer: str
    admin: str
    bad: str
    """A role that does not exist."""


def seed_flights(
    postgres: PostgresServer, parquet: dict[str, Path], tables: list[str] | None = None
) -> SeededDatabase:
    """Create a database holding ``tables`` (all five by default) and the three roles.

    The roles are cluster-wide: created once per server, granted on each seeded database.
    """
    db = postgres.create_database()
    duck = duckdb.connect()
    names = tables or list(parquet)
    with psycopg.connect(postgres.admin_dsn().replace("dbname=postgres", f"dbname={db}")) as conn:
        for table in names:
            path = parquet[table]
            columns = duck.sql(f"DESCRIBE SELECT * FROM '{path}'").fetchall()
            types = [PG_TYPES[kind] for _, kind, *_ in columns]
            listing = ", ".join(
                f'"{name}" {t}' for (name, *_), t in zip(columns, types, strict=True)
            )
            conn.execute(f"CREATE TABLE {table} ({listing})")
            rows = duck.sql(f"SELECT * FROM '{path}'").fetchall()
            with conn.cursor().copy(f"COPY {table} FROM STDIN (FORMAT binary)") as copy:
                copy.set_types(types)
                for row in rows:
                    copy.write_row([_naive(v) for v in row])
        for (table, column), text in COMMENTS.items():
            if table in names:
                target = f"COLUMN {table}.{column}" if column else f"TABLE {table}"
                conn.execute(f"COMMENT ON {target} IS '{text}'")
        conn.execute("CREATE TABLE visits (at timestamp)")
        roles = {r for (r,) in conn.execute("SELECT rolname FROM pg_roles").fetchall()}
        if "reader" not in roles:
            conn.execute(f"CREATE ROLE reader LOGIN PASSWORD '{READER_PASSWORD}'")
            conn.execute(f"CREATE ROLE writer LOGIN PASSWORD '{WRITER_PASSWORD}'")
        conn.execute(f"GRANT SELECT ON {', '.join(names)} TO reader")
        writable = [t for t in ("flights", "airlines") if t in names]
        if writable:
            conn.execute(f"GRANT SELECT, INSERT ON {', '.join(writable)} TO writer")
        # A function that writes with its owner's rights: only the read-only transaction stops it.
        conn.execute(
            "CREATE FUNCTION log_visit() RETURNS int LANGUAGE sql SECURITY DEFINER"
            " AS 'INSERT INTO visits VALUES (now()) RETURNING 1'"
        )
        conn.execute("GRANT EXECUTE ON FUNCTION log_visit() TO reader")
    base = f"127.0.0.1:{postgres.port}/{db}"
    return SeededDatabase(
        name=db,
        reader=f"postgresql://reader:{READER_PASSWORD}@{base}",
        writer=f"postgresql://writer:{WRITER_PASSWORD}@{base}",
        admin=f"postgresql://postgres@{base}",
        bad=f"postgresql://nobody:wrong-secret-3@{base}",
    )


def _naive(value: object) -> object:
    """DuckDB returns TIMESTAMP values naive already; keep every other value as it is."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value
