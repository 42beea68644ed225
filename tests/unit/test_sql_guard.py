import re

import pytest
from sqlglot import exp

from plotwise.errors import SQLRefusedError
from plotwise.sql.guard import MAX_SQL_CHARS, RULES, validate_select

TABLES = ["flights", "airlines", "airports", "planes", "weather"]

GOOD = [
    "SELECT carrier, count(*) AS n FROM flights GROUP BY carrier ORDER BY n DESC",
    "select avg(dep_delay), max(arr_delay) from flights where origin = 'JFK'",
    "SELECT f.carrier, a.name FROM flights f JOIN airlines a ON f.carrier = a.carrier LIMIT 5",
    "SELECT * FROM flights LEFT JOIN planes USING (tailnum) LIMIT 3",
    "WITH d AS (SELECT dest, count(*) n FROM flights GROUP BY dest) SELECT * FROM d WHERE n > 100",
    "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 10) SELECT * FROM t",
    "SELECT carrier, rank() OVER (PARTITION BY carrier ORDER BY dep_delay DESC) FROM flights",
    "SELECT * FROM range(10)",
    "SELECT * FROM generate_series(1, 5) AS g(x)",
    "SELECT x FROM unnest([1, 2, 3]) AS t(x)",
    "SELECT origin FROM flights UNION SELECT faa FROM airports",
    "SELECT * FROM flights WHERE tailnum IN (SELECT tailnum FROM planes WHERE engines > 2)",
    "SELECT * FROM FLIGHTS",
    'SELECT "carrier", "dep_delay" FROM "flights"',
    "SELECT * FROM main.flights",
    "FROM flights SELECT carrier LIMIT 1",
    "VALUES (1, 'a'), (2, 'b')",
    "SELECT 1;",
    "SELECT 1 /* ; DROP VIEW flights */",
    "SELECT date_trunc('month', time_hour) AS m, avg(temp) FROM weather GROUP BY ALL ORDER BY m",
    "SELECT * FROM flights WHERE carrier GLOB 'A*'",
    "SELECT 'read_csv(''/etc/passwd'')' AS harmless_text",
    "SELECT $$ ; DROP VIEW flights; $$ AS harmless_text",
    "WITH a AS (SELECT 1 AS x) SELECT * FROM (SELECT * FROM a) AS s, (SELECT x FROM a) AS t",
    "WITH a AS (SELECT 1 AS x) SELECT * FROM a UNION ALL SELECT * FROM a",
    "SELECT * FROM memory.main.flights",
    # DuckDB's PIVOT/UNPIVOT statements, with their own trailing ORDER BY and LIMIT.
    "PIVOT flights ON origin USING count(*) GROUP BY carrier ORDER BY carrier LIMIT 3",
    "UNPIVOT (SELECT origin, temp, dewp FROM weather) ON temp, dewp INTO NAME m VALUE v",
]

BAD = [
    # query parameters must be named and declared (none are declared here)
    ("SELECT * FROM flights WHERE origin = $origin", "parameters"),
    ("SELECT * FROM flights WHERE origin = ?", "parameters"),
    # the PIVOT statement form is checked like the query it stands for
    ("PIVOT read_csv('/etc/passwd') ON a USING count(*)", "denied_function"),
    ("PIVOT '/etc/passwd' ON a USING count(*) ORDER BY 1", "file_reference"),
    ("PIVOT secrets ON a USING count(*) LIMIT 1", "unknown_table"),
    ("UNPIVOT (SELECT * FROM flights) ON dep_delay INTO NAME k VALUE v; DROP t", "parse_error"),
    # parsing and statement count
    ("", "parse_error"),
    (";", "parse_error"),
    ("SELEC 1 FROM", "parse_error"),
    ("SELECT 1; DROP VIEW flights", "single_statement"),
    ("SELECT 1; SELECT 2", "single_statement"),
    ("SELECT 1 -- comment\n; DROP VIEW flights", "single_statement"),
    ("SELECT 1 /* */; DELETE FROM flights", "single_statement"),
    # statement kinds
    ("INSERT INTO flights SELECT * FROM flights", "select_only"),
    ("UPDATE flights SET dep_delay = 0", "select_only"),
    ("DELETE FROM flights", "select_only"),
    ("CREATE TABLE t AS SELECT * FROM flights", "select_only"),
    ("CREATE TEMP VIEW v AS SELECT 1", "select_only"),
    ("DROP VIEW flights", "select_only"),
    ("ALTER VIEW flights RENAME TO f2", "select_only"),
    ("COPY flights TO '/tmp/out.csv'", "select_only"),
    ("COPY (SELECT * FROM flights) TO '/tmp/out.parquet' (FORMAT parquet)", "select_only"),
    ("ATTACH '/tmp/x.db' AS x", "select_only"),
    ("DETACH x", "select_only"),
    ("INSTALL httpfs", "select_only"),
    ("LOAD httpfs", "select_only"),
    ("PRAGMA version", "select_only"),
    ("SET threads = 1", "select_only"),
    ("SET enable_external_access = true", "select_only"),
    ("CALL pragma_version()", "select_only"),
    ("USE memory", "select_only"),
    ("CHECKPOINT", "select_only"),
    ("VACUUM", "select_only"),
    ("BEGIN TRANSACTION", "select_only"),
    ("COMMIT", "select_only"),
    ("DESCRIBE flights", "select_only"),
    ("SELECT * INTO copy_of_flights FROM flights", "select_only"),
    ("/* harmless? */ DROP VIEW flights", "select_only"),
    # statements sqlglot cannot parse are still named as statements, not parse errors
    ("EXPORT DATABASE '/tmp/x'", "select_only"),
    ("IMPORT DATABASE '/tmp/x'", "select_only"),
    ("SUMMARIZE flights", "select_only"),
    ("SHOW ALL TABLES", "select_only"),
    ("RESET allowed_paths", "select_only"),
    # writable CTEs
    ("WITH x AS (DELETE FROM flights RETURNING *) SELECT * FROM x", "writable_cte"),
    ("WITH x AS (INSERT INTO airlines VALUES ('ZZ', 'Z') RETURNING *) SELECT 1", "writable_cte"),
    ("WITH x AS (UPDATE planes SET seats = 0 RETURNING *) SELECT count(*) FROM x", "writable_cte"),
    # functions
    ("SELECT * FROM read_csv('/etc/passwd')", "denied_function"),
    ("SELECT * FROM read_csv_auto('/etc/passwd')", "denied_function"),
    ("SELECT * FROM read_parquet('/tmp/x.parquet')", "denied_function"),
    ("SELECT * FROM read_json_auto('/tmp/x.json')", "denied_function"),
    ("SELECT content FROM read_text('/etc/passwd')", "denied_function"),
    ("SELECT * FROM read_blob('/etc/shadow')", "denied_function"),
    ("SELECT * FROM glob('/etc/*')", "denied_function"),
    ("SELECT * FROM sniff_csv('/etc/passwd')", "denied_function"),
    ("SELECT * FROM parquet_metadata('/tmp/x.parquet')", "denied_function"),
    ("SELECT getenv('HOME')", "denied_function"),
    ("SELECT current_setting('allowed_paths')", "denied_function"),
    ("SELECT * FROM duckdb_settings()", "denied_function"),
    ("SELECT * FROM duckdb_secrets()", "denied_function"),
    ("SELECT * FROM duckdb_extensions()", "denied_function"),
    ("SELECT * FROM query('DROP VIEW flights')", "denied_function"),
    ("SELECT * FROM query_table('flights')", "denied_function"),
    ("SELECT * FROM flights, (SELECT * FROM read_csv('/etc/passwd')) AS p", "denied_function"),
    ("SELECT \"read_csv\"('/etc/passwd')", "denied_function"),
    ("SELECT main.getenv('HOME')", "denied_function"),
    ("SELECT * FROM sqlite_scan('/tmp/x.db', 't')", "denied_function"),
    ("SELECT write_log('x')", "denied_function"),
    ("SELECT * FROM sqlite_attach('/tmp/x.db')", "denied_function"),
    ("SELECT * FROM iceberg_metadata('/tmp/x')", "denied_function"),
    ("SELECT http_get('https://example.com')", "denied_function"),
    ("SELECT '/etc/passwd'.read_text()", "denied_function"),
    # table references
    ("SELECT * FROM '/etc/passwd'", "file_reference"),
    ("SELECT * FROM 'data.csv'", "file_reference"),
    ('SELECT * FROM "/tmp/x.parquet"', "file_reference"),
    ("SELECT * FROM 'https://example.com/x.parquet'", "file_reference"),
    ("SELECT * FROM foo", "unknown_table"),
    ("SELECT * FROM information_schema.tables", "unknown_table"),
    ("SELECT * FROM duckdb_tables", "unknown_table"),
    ("SELECT * FROM other_db.main.flights", "unknown_table"),
    # a CTE name covers only its own query, not a file path read elsewhere
    (
        'SELECT * FROM (WITH "/etc/passwd" AS (SELECT 1) SELECT 1) AS a, "/etc/passwd"',
        "file_reference",
    ),
    ("SELECT * FROM (WITH foo AS (SELECT 1) SELECT * FROM foo) AS a, foo", "unknown_table"),
    ("SELECT * FROM test_all_types()", "table_function"),
    ("SELECT * FROM repeat_row(1, num_rows := 5)", "table_function"),
]


@pytest.mark.parametrize("sql", GOOD)
def test_queries_are_admitted(sql):
    tree = validate_select(sql, tables=TABLES)
    assert isinstance(tree, exp.Query | exp.Values)


@pytest.mark.parametrize(("sql", "rule"), BAD)
def test_everything_else_is_refused_by_its_rule(sql, rule):
    with pytest.raises(SQLRefusedError) as refused:
        validate_select(sql, tables=TABLES)
    assert refused.value.rule == rule
    assert refused.value.code == "sql_refused"


def test_every_rule_is_exercised():
    assert {rule for _, rule in BAD} | {"too_long"} == set(RULES)


def test_unknown_table_message_lists_the_known_tables():
    with pytest.raises(SQLRefusedError) as refused:
        validate_select("SELECT * FROM foo", tables=TABLES)
    assert 'unknown table "foo"; known tables: airlines, airports, flights, planes, weather' in str(
        refused.value
    )


def test_messages_name_the_problem():
    cases = {
        "SELECT * FROM read_csv('/etc/passwd')": '"read_csv"',
        "SELECT * FROM '/etc/passwd'": '"/etc/passwd"',
        "DROP VIEW flights": "DROP",
        "LOAD httpfs": "LOAD",
        "WITH x AS (DELETE FROM flights RETURNING *) SELECT * FROM x": "DELETE",
    }
    for sql, needle in cases.items():
        with pytest.raises(SQLRefusedError) as refused:
            validate_select(sql, tables=TABLES)
        assert needle in refused.value.message


def test_cte_names_are_not_tables_elsewhere():
    validate_select("WITH foo AS (SELECT 1 AS x) SELECT * FROM foo", tables=TABLES)
    with pytest.raises(SQLRefusedError) as refused:
        validate_select("WITH foo AS (SELECT 1 AS x) SELECT * FROM main.foo", tables=TABLES)
    assert refused.value.rule == "unknown_table"


def test_tables_are_matched_case_insensitively_both_ways():
    validate_select("SELECT * FROM flights", tables=["Flights"])


def test_parse_errors_are_plain_text():
    with pytest.raises(SQLRefusedError) as refused:
        validate_select("SELECT * FROM flights AS OF x", tables=TABLES)
    assert refused.value.rule == "parse_error"
    assert "\x1b" not in refused.value.message


def test_overlong_sql_is_refused_before_parsing():
    with pytest.raises(SQLRefusedError) as refused:
        validate_select("SELECT 1" + " " * MAX_SQL_CHARS, tables=TABLES)
    assert refused.value.rule == "too_long"


def test_declared_parameters_are_admitted():
    sql = "SELECT count(*) FROM flights WHERE origin = $origin AND month = $month"
    assert validate_select(sql, tables=["flights"], params=["origin", "month"]) is not None


@pytest.mark.parametrize(
    ("sql", "declared", "problem"),
    [
        ("SELECT * FROM flights WHERE origin = $origin", ["origin", "month"], "never used"),
        ("SELECT * FROM flights WHERE origin = $origin AND dest = $dest", ["origin"], "$dest"),
        ("SELECT * FROM flights WHERE month = $1", ["1"], "named parameters"),
    ],
)
def test_parameters_must_match_their_declarations(sql, declared, problem):
    with pytest.raises(SQLRefusedError, match=re.escape(problem)) as raised:
        validate_select(sql, tables=["flights"], params=declared)
    assert raised.value.rule == "parameters"
