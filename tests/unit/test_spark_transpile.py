"""DuckDB SQL to Spark SQL: the guard, sqlglot's transpilation and the Spark-side check.

No Spark here: refusals happen before Spark is asked. Whether the transpiled SQL runs (and
returns what DuckDB returns) is `tests/integration/test_spark_sql.py`.
"""

import pytest

from plotwise.errors import SQLRefusedError
from plotwise.spark.transpile import SPARK_RULES, check_spark_sql, to_spark_sql

TABLES = ["flights", "airlines", "airports", "planes", "weather"]

TRANSPILED = [
    # dates and times
    (
        "SELECT strftime(time_hour, '%Y-%m') AS month, count(*) AS n FROM flights GROUP BY 1",
        "SELECT DATE_FORMAT(time_hour, 'yyyy-MM') AS month, COUNT(*) AS n FROM flights GROUP BY 1",
    ),
    (
        "SELECT date_trunc('month', time_hour) AS m, avg(dep_delay) AS d FROM flights "
        "GROUP BY ALL ORDER BY m",
        "SELECT DATE_TRUNC('MONTH', time_hour) AS m, AVG(dep_delay) AS d FROM flights "
        "GROUP BY ALL ORDER BY m NULLS LAST",
    ),
    (
        "SELECT make_date(year, month, day) AS d FROM flights "
        "WHERE make_date(year, month, day) >= DATE '2013-12-25'",
        "SELECT MAKE_DATE(year, month, day) AS d FROM flights "
        "WHERE MAKE_DATE(year, month, day) >= CAST('2013-12-25' AS DATE)",
    ),
    (
        "SELECT date_diff('day', DATE '2013-01-01', CAST(time_hour AS DATE)) AS days FROM flights",
        "SELECT DATEDIFF(DAY, CAST('2013-01-01' AS DATE), CAST(time_hour AS DATE)) AS days "
        "FROM flights",
    ),
    (
        "SELECT time_hour + INTERVAL 1 DAY AS next_day FROM flights LIMIT 1",
        "SELECT time_hour + INTERVAL '1' DAY AS next_day FROM flights LIMIT 1",
    ),
    # strings
    (
        "SELECT name FROM airlines WHERE name ILIKE '%air%' ORDER BY name",
        "SELECT name FROM airlines WHERE name ILIKE '%air%' ORDER BY name NULLS LAST",
    ),
    (
        "SELECT carrier || '-' || origin AS route FROM flights LIMIT 3",
        "SELECT carrier || '-' || origin AS route FROM flights LIMIT 3",
    ),
    (
        "SELECT regexp_matches(dest, '^A') AS a FROM flights",
        "SELECT dest RLIKE '^A' AS a FROM flights",
    ),
    # casts
    (
        "SELECT dep_delay::DOUBLE AS d, year::VARCHAR AS y, CAST(month AS INTEGER) AS m "
        "FROM flights LIMIT 3",
        "SELECT CAST(dep_delay AS DOUBLE) AS d, CAST(year AS STRING) AS y, "
        "CAST(month AS INT) AS m FROM flights LIMIT 3",
    ),
    # aggregates, CTEs, windows
    (
        "SELECT count(DISTINCT tailnum) AS planes FROM flights",
        "SELECT COUNT(DISTINCT tailnum) AS planes FROM flights",
    ),
    (
        "SELECT count(*) FILTER (WHERE dep_delay > 60) AS late FROM flights",
        "SELECT COUNT(*) FILTER(WHERE dep_delay > 60) AS late FROM flights",
    ),
    (
        "WITH t AS (SELECT carrier, avg(dep_delay) AS a FROM flights GROUP BY carrier) "
        "SELECT * FROM t ORDER BY a DESC LIMIT 3",
        "WITH t AS (SELECT carrier, AVG(dep_delay) AS a FROM flights GROUP BY carrier) "
        "SELECT * FROM t ORDER BY a DESC LIMIT 3",
    ),
    (
        "SELECT carrier, dep_delay, row_number() OVER (PARTITION BY carrier ORDER BY dep_delay "
        "DESC) AS rn FROM flights QUALIFY rn = 1",
        "SELECT carrier, dep_delay, rn FROM (SELECT carrier, dep_delay, ROW_NUMBER() OVER "
        "(PARTITION BY carrier ORDER BY dep_delay DESC) AS rn FROM flights) AS _t WHERE rn = 1",
    ),
    (
        "SELECT origin, sum(count(*)) OVER () AS total FROM flights GROUP BY origin",
        "SELECT origin, SUM(COUNT(*)) OVER () AS total FROM flights GROUP BY origin",
    ),
    # lists and structs
    (
        "SELECT [1, 2, 3] AS l, {'a': 1, 'b': 'x'} AS s",
        "SELECT ARRAY(1, 2, 3) AS l, STRUCT(1 AS a, 'x' AS b) AS s",
    ),
    (
        "SELECT list_transform([1, 2], lambda x: x * 2) AS doubled",
        "SELECT TRANSFORM(ARRAY(1, 2), x -> x * 2) AS doubled",
    ),
    ("SELECT x FROM unnest([1, 2, 3]) AS t(x)", "SELECT x FROM EXPLODE(ARRAY(1, 2, 3)) AS t(x)"),
    # DuckDB's default schema is dropped; joins and LIMIT carry over
    (
        "SELECT * FROM main.flights WHERE dep_delay > 180",
        "SELECT * FROM flights WHERE dep_delay > 180",
    ),
    (
        "SELECT f.carrier, a.name, count(*) AS n FROM flights f JOIN airlines a USING (carrier) "
        "GROUP BY ALL ORDER BY n DESC LIMIT 5",
        "SELECT f.carrier, a.name, COUNT(*) AS n FROM flights AS f JOIN airlines AS a "
        "USING (carrier) GROUP BY ALL ORDER BY n DESC LIMIT 5",
    ),
]

# Refused by the DuckDB guard, before any transpilation.
REFUSED_BY_GUARD = [
    ("SELECT * FROM flights WHERE origin = $origin", "parameters"),
    ("SELECT * FROM flights WHERE origin = ?", "parameters"),
    ("SELECT 1; SELECT 2", "single_statement"),
    ("DROP VIEW flights", "select_only"),
    ("COPY flights TO '/tmp/x.csv'", "select_only"),
    ("SELECT * FROM read_parquet('/etc/passwd')", "denied_function"),
    ("SELECT getenv('HOME')", "denied_function"),
    ("SELECT * FROM '/etc/passwd'", "file_reference"),
    ("SELECT * FROM penguins", "unknown_table"),
    ("SELECT * FROM test_all_types()", "table_function"),
    ("SELEC 1", "parse_error"),
]

# Spark SQL the Spark-side check refuses, whatever produced it.
REFUSED_SPARK = [
    ("SELECT reflect('java.lang.Runtime', 'getRuntime')", "denied_function"),
    ("SELECT java_method('java.lang.System', 'getenv', 'HOME')", "denied_function"),
    ("SELECT try_reflect('java.lang.System', 'exit', 1)", "denied_function"),
    ("SELECT * FROM flights WHERE carrier = REFLECT('a', 'b')", "denied_function"),
    ("SELECT * FROM IDENTIFIER('flights')", "denied_function"),
    ("SELECT * FROM read_files('/etc')", "denied_function"),
    ("SELECT xpath_string('<a>1</a>', 'a')", "denied_function"),
    ("SELECT input_file_name() FROM flights", "denied_function"),
    ("SELECT getenv('HOME')", "denied_function"),
    ("SELECT * FROM csv.`/etc/passwd`", "file_reference"),
    ("SELECT * FROM parquet.`/data/nycflights13/flights.parquet`", "file_reference"),
    ("SELECT * FROM json.`file:///etc/hosts`", "file_reference"),
    ("SELECT * FROM `/tmp/x.parquet`", "file_reference"),
    ("SELECT * FROM parquet.`flights`", "unknown_table"),
    ("SELECT * FROM global_temp.flights", "unknown_table"),
    ("SELECT * FROM spark_catalog.default.flights", "unknown_table"),
    ("SELECT * FROM secrets", "unknown_table"),
    ("SELECT * FROM (WITH t AS (SELECT 1) SELECT * FROM t) AS a, t", "unknown_table"),
    ("SELECT * FROM sql_keywords()", "table_function"),
    ("SELECT TRANSFORM(carrier) USING 'cat /etc/passwd' AS (x) FROM flights", "script_transform"),
    ("SELECT 1; SELECT 2", "single_statement"),
    ("INSERT INTO flights SELECT * FROM flights", "select_only"),
    ("CACHE TABLE flights", "select_only"),
    ("SET spark.sql.ansi.enabled=false", "select_only"),
    ("EXECUTE IMMEDIATE 'SELECT 1'", "select_only"),
    ("ADD JAR '/tmp/evil.jar'", "select_only"),
    ("SELECT (", "transpile"),
]

ADMITTED_SPARK = [
    "SELECT * FROM flights",
    "SELECT * FROM FLIGHTS WHERE dep_delay > 180",
    "WITH t AS (SELECT 1 AS x) SELECT * FROM t",
    "SELECT * FROM flights LATERAL VIEW explode(array(1, 2)) t AS c",
    "SELECT * FROM range(10)",
    "SELECT * FROM EXPLODE(SEQUENCE(0, 9))",
    "SELECT TRANSFORM(ARRAY(1, 2), x -> x * 2) AS doubled",
    "SELECT 'reflect(1)' AS harmless_text",
]


@pytest.mark.parametrize(("duckdb_sql", "spark_sql"), TRANSPILED)
def test_transpiles_to_spark_sql(duckdb_sql, spark_sql):
    assert to_spark_sql(duckdb_sql, TABLES) == spark_sql


@pytest.mark.parametrize(("sql", "rule"), REFUSED_BY_GUARD)
def test_the_run_sql_guard_refuses_first(sql, rule):
    with pytest.raises(SQLRefusedError) as refused:
        to_spark_sql(sql, TABLES)
    assert refused.value.rule == rule
    assert refused.value.code == "sql_refused"


def test_parameters_are_refused_with_a_spark_message():
    with pytest.raises(SQLRefusedError) as refused:
        to_spark_sql("SELECT * FROM flights WHERE origin = $origin", TABLES)
    assert "Spark jobs take no query parameters" in refused.value.message


def test_tables_are_the_datasets_own():
    assert to_spark_sql("SELECT * FROM penguins", ["penguins"]) == "SELECT * FROM penguins"
    with pytest.raises(SQLRefusedError) as refused:
        to_spark_sql("SELECT * FROM penguins", TABLES)
    assert refused.value.rule == "unknown_table"


@pytest.mark.parametrize(("sql", "rule"), REFUSED_SPARK)
def test_the_spark_side_check_refuses(sql, rule):
    with pytest.raises(SQLRefusedError) as refused:
        check_spark_sql(sql, TABLES)
    assert refused.value.rule == rule


@pytest.mark.parametrize("sql", ADMITTED_SPARK)
def test_the_spark_side_check_admits_queries_over_known_tables(sql):
    check_spark_sql(sql, TABLES)


def test_every_spark_specific_rule_is_exercised():
    rules = {rule for _, rule in REFUSED_SPARK} | {rule for _, rule in REFUSED_BY_GUARD}
    assert {"transpile", "script_transform"} <= rules <= set(SPARK_RULES)


def test_messages_name_the_problem():
    cases = {
        "SELECT reflect('a', 'b')": '"reflect"',
        "SELECT * FROM csv.`/etc/passwd`": '"/etc/passwd"',
        "SELECT * FROM global_temp.flights": '"global_temp.flights"',
    }
    for sql, needle in cases.items():
        with pytest.raises(SQLRefusedError) as refused:
            check_spark_sql(sql, TABLES)
        assert needle in refused.value.message
