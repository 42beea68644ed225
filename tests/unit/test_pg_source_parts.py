"""The parts of a PostgreSQL source that need no server: parameters, rows, definitions."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal

import pyarrow as pa
import pytest

from plotwise.errors import SQLRefusedError
from plotwise.sources.pg_catalog import catalog_definition
from plotwise.sources.pg_params import server_query
from plotwise.sources.pg_rows import arrow_table, json_rows
from plotwise.sql.arrow_json import table_rows
from plotwise.sql.guard import validate_select
from plotwise.sql.result import ColumnSchema

TABLES = ["flights"]


def _server(sql: str, names: list[str]) -> str:
    tree = validate_select(sql, tables=TABLES, params=names, dialect="postgres")
    return server_query(sql, tree, names)


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            "SELECT * FROM flights WHERE origin = $origin AND month = $month",
            "SELECT * FROM flights WHERE origin = %(origin)s AND month = %(month)s",
        ),
        (
            "SELECT '$origin %' AS t FROM flights WHERE origin = $origin -- 5% $origin",
            "SELECT '$origin %%' AS t FROM flights WHERE origin = %(origin)s -- 5%% $origin",
        ),
        (
            "SELECT $$a $origin 100%$$ AS t FROM flights WHERE origin=$origin",
            "SELECT $$a $origin 100%%$$ AS t FROM flights WHERE origin=%(origin)s",
        ),
        (
            "SELECT * FROM flights WHERE carrier LIKE 'U%' AND month IN ($origin, $origin)",
            "SELECT * FROM flights WHERE carrier LIKE 'U%%' AND month IN (%(origin)s, %(origin)s)",
        ),
    ],
)
def test_parameters_become_placeholders_and_nothing_else_does(sql: str, expected: str) -> None:
    assert _server(sql, ["origin", "month"] if "$month" in sql else ["origin"]) == expected


def test_a_parameter_split_from_its_dollar_is_refused() -> None:
    with pytest.raises(SQLRefusedError, match="no space"):
        _server("SELECT * FROM flights WHERE origin = $ origin", ["origin"])


COLUMNS = [
    ColumnSchema(name="n", type="INTEGER"),
    ColumnSchema(name="avg", type="DECIMAL"),
    ColumnSchema(name="at", type="TIMESTAMP WITH TIME ZONE"),
    ColumnSchema(name="day", type="DATE"),
    ColumnSchema(name="doc", type="JSON"),
    ColumnSchema(name="id", type="UUID"),
    ColumnSchema(name="tags", type="VARCHAR"),
    ColumnSchema(name="ratio", type="DOUBLE"),
]
ROWS = [
    (
        1,
        Decimal("12.3456789012345678"),
        dt.datetime(2013, 1, 1, 5, tzinfo=dt.UTC),
        dt.date(2013, 1, 1),
        {"a": [1, 2]},
        uuid.UUID(int=1),
        ["x", "y"],
        float("nan"),
    ),
    (None, Decimal("NaN"), None, None, None, None, None, 0.5),
]


def test_json_rows_spell_values_as_duckdb_results_do() -> None:
    first, second = json_rows(COLUMNS, ROWS)
    assert first[:4] == [1, 12.345678901234567, "2013-01-01T05:00:00+00:00", "2013-01-01"]
    assert json.loads(first[4]) == {"a": [1, 2]}
    assert first[5] == "00000000-0000-0000-0000-000000000001"
    assert json.loads(first[6]) == ["x", "y"] and first[7] is None
    assert second == [None, None, None, None, None, None, None, 0.5]


def test_arrow_table_types_and_values() -> None:
    table = arrow_table(COLUMNS, ROWS)
    types = [field.type for field in table.schema]
    assert types[0] == pa.int32() and types[2] == pa.timestamp("us", tz="UTC")
    assert types[3] == pa.date32() and types[4] == types[5] == types[6] == pa.string()
    # NaN does not fit a decimal: the column falls back to text, as JSON spells it.
    assert types[1] == pa.string() and table.column("avg").to_pylist()[1] is None
    assert table_rows(table)[0][2:4] == ["2013-01-01T05:00:00+00:00", "2013-01-01"]


def test_arrow_table_keeps_decimals_that_fit() -> None:
    columns = [ColumnSchema(name="total", type="DECIMAL")]
    table = arrow_table(columns, [(Decimal("1.50"),), (Decimal("20.25"),), (None,)])
    assert pa.types.is_decimal(table.schema.field("total").type)
    assert table_rows(table) == [[1.5], [20.25], [None]]


def test_comments_describe_the_draft_and_give_synonyms() -> None:
    tables = {
        "flights": [ColumnSchema(name="dep_delay", type="INTEGER")],
        "planes": [ColumnSchema(name="seats", type="INTEGER")],
    }
    comments = {
        ("flights", ""): "One row per flight.",
        ("flights", "dep_delay"): "Delay in minutes. Synonyms: Departure Delay, delay;",
    }
    definition = catalog_definition("src", tables, comments)
    flights = definition.tables["flights"]
    assert flights.description == "One row per flight."
    column = flights.columns["dep_delay"]
    assert column.description == "Delay in minutes."
    assert column.synonyms == ["dep delay", "departure delay", "delay"]
    assert "draft" in definition.tables["planes"].columns["seats"].description
