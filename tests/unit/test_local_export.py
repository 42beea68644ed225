"""The local analyst's export routing: which questions go to Spark, with which SQL and format,
and the answer it writes from what ``submit_spark`` returns."""

from __future__ import annotations

import json
import re
from typing import Any, Literal

import pytest
from pydantic_ai import Agent, ModelRetry
from pydantic_ai.messages import (
    ModelMessage,
    ModelRequest,
    ModelResponse,
    TextPart,
    ToolCallPart,
    ToolReturnPart,
    UserPromptPart,
)
from pydantic_ai.models import ModelRequestParameters
from pydantic_ai.models.function import AgentInfo, DeltaToolCall
from pydantic_ai.tools import ToolDefinition

from plotwise.artifact.policy import read_view_params, validate_component
from plotwise.evaluation import read_questions
from plotwise.local.export import fact_tables, plan_export
from plotwise.local.lexicon import Lexicon
from plotwise.local.model import LocalAnalyst, local_analyst_model
from plotwise.local.planner import PlanningError, plan_question
from plotwise.semantic.definition import load_definition
from plotwise.settings import PROJECT_ROOT

VALUES = {
    ("flights", "origin"): ["JFK", "LGA", "EWR"],
    ("flights", "dest"): ["LAX", "ATL", "BOS"],
    ("flights", "carrier"): ["UA", "AA", "9E"],
    ("planes", "manufacturer"): ["BOEING", "AIRBUS"],
    ("weather", "origin"): ["JFK", "LGA", "EWR"],
}
FLIGHT_COLUMNS = (
    "year, month, day, dep_time, sched_dep_time, dep_delay, arr_time, sched_arr_time, "
    "arr_delay, carrier, flight, tailnum, origin, dest, air_time, distance, hour, minute, "
    "time_hour"
)
JOB_ID = "job_0123456789abcdef"


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    definition = load_definition(PROJECT_ROOT / "fixtures" / "datasets" / "nycflights13.yaml")
    return Lexicon.build(definition, VALUES)


def where(plan) -> list[tuple[str, str, object]]:
    return sorted((f.ref.name, f.op, f.value) for f in plan.filters)


def flat(sql: str) -> str:
    return re.sub(r"\s+", " ", sql).strip()


# --- routing -------------------------------------------------------------------------------
EXPORTS = [
    (
        "Export all flights delayed more than 3 hours",
        "parquet",
        [("dep_delay", ">", 180)],
        "with a departure delay over 3 hours",
    ),
    ("Export flights to LAX as CSV", "csv", [("dest", "=", "LAX")], "to LAX"),
    (
        "all rows of flights from JFK in January",
        "parquet",
        [("month", "=", 1), ("origin", "=", "JFK")],
        "from JFK in January",
    ),
    (
        "download every flight with an arrival delay over 2 hours",
        "parquet",
        [("arr_delay", ">", 120)],
        "with an arrival delay over 2 hours",
    ),
    (
        "list all flights from EWR to LAX",
        "parquet",
        [("dest", "=", "LAX"), ("origin", "=", "EWR")],
        "from EWR to LAX",
    ),
    (
        "Export all flights that arrived more than 2 hours late",
        "parquet",
        [("arr_delay", ">", 120)],
        "with an arrival delay over 2 hours",
    ),
    (
        "Export all flights delayed by more than 90 minutes in March as Parquet",
        "parquet",
        [("dep_delay", ">", 90), ("month", "=", 3)],
        "in March with a departure delay over 90 minutes",
    ),
    (
        "Download all flights with a departure delay of at least 60 minutes and a distance "
        "under 500 miles as csv",
        "csv",
        [("dep_delay", ">=", 60), ("distance", "<", 500)],
        "with a departure delay of at least 1 hour and a distance under 500 miles",
    ),
    ("Export all rows from JFK", "parquet", [("origin", "=", "JFK")], "from JFK"),
    ("Export all flights", "parquet", [], ""),
    ("List all flights in 2013", "parquet", [("year", "=", 2013)], "in 2013"),
]


@pytest.mark.parametrize(
    ("question", "fmt", "filters", "words"), EXPORTS, ids=[e[0] for e in EXPORTS]
)
def test_export_questions_list_the_filtered_rows(lexicon, question, fmt, filters, words):
    export = plan_export(question, lexicon)
    assert export is not None and export.is_listing
    assert (export.output_format, where(export.plan), export.description) == (fmt, filters, words)
    sql = flat(export.sql)
    assert sql.startswith(f"SELECT {FLIGHT_COLUMNS} FROM flights")
    assert sql.endswith("ORDER BY time_hour, flight, tailnum")
    # A job takes a query only: the values are literals, not $parameters.
    assert "$" not in sql and export.plan.param_specs() == []


def test_delayed_more_than_three_hours_is_180_minutes_of_departure_delay(lexicon):
    sql = flat(plan_export("Export all flights delayed more than 3 hours", lexicon).sql)
    assert " WHERE dep_delay > 180 ORDER BY " in sql


def test_string_values_are_quoted_literals(lexicon):
    sql = flat(plan_export("list all flights from EWR to LAX", lexicon).sql)
    assert "WHERE origin = 'EWR' AND dest = 'LAX'" in sql


@pytest.mark.parametrize(
    ("question", "table", "order"),
    [
        ("Export all weather observations at JFK in July", "weather", "time_hour"),
        ("Export all airports", "airports", "faa"),
        ("Export the airlines as CSV", "airlines", "carrier"),
    ],
)
def test_exports_of_other_tables(lexicon, question, table, order):
    export = plan_export(question, lexicon)
    sql = flat(export.sql)
    columns = ", ".join(lexicon.definition.tables[table].columns)
    assert sql.startswith(f"SELECT {columns} FROM {table}")
    assert sql.endswith(f"ORDER BY {order}")


def test_a_filter_on_another_table_joins_it_and_selects_the_listed_tables_columns(lexicon):
    sql = flat(plan_export("Export all flights on BOEING planes", lexicon).sql)
    assert sql.startswith("SELECT flights.year, flights.month,")
    assert "FROM flights JOIN planes ON flights.tailnum = planes.tailnum" in sql
    assert "WHERE planes.manufacturer = 'BOEING'" in sql


def test_sorted_by_a_named_column(lexicon):
    sql = flat(plan_export("Export flights from JFK sorted by distance descending", lexicon).sql)
    assert sql.endswith("WHERE origin = 'JFK' ORDER BY distance DESC")


def test_fact_tables_are_those_that_reference_others_and_are_not_referenced(lexicon):
    assert fact_tables(lexicon) == {"flights", "weather"}


AGGREGATE_EXPORTS = [
    ("Export the number of flights by carrier as CSV", "csv", "Number of flights by carrier"),
    ("Export all carriers", "parquet", "Number of flights by carrier"),
    (
        "Download the average departure delay by month to a CSV file",
        "csv",
        "Average departure delay by month",
    ),
    (
        "Export the number of flights from JFK by month",
        "parquet",
        "Number of flights from JFK by month",
    ),
]


@pytest.mark.parametrize(("question", "fmt", "same_as"), AGGREGATE_EXPORTS)
def test_an_aggregate_that_asks_for_a_file_is_exported_as_planned(lexicon, question, fmt, same_as):
    export = plan_export(question, lexicon)
    assert export is not None and not export.is_listing and export.output_format == fmt
    planned = plan_question(same_as, lexicon)
    expected = planned.to_sql()
    for spec in planned.param_specs():
        literal = spec.default if isinstance(spec.default, int) else f"'{spec.default}'"
        expected = expected.replace(f"${spec.name}", str(literal))
    assert export.sql == expected and "$" not in export.sql


STAY_ON_RUN_SQL = [
    "show all carriers",
    "show me all destinations",
    "Show the airlines",
    "show all airlines",
    "list all airports",
    "Show all planes",
    "Show all flights by carrier",
    "How many flights are in the dataset?",
    "Average delay of all flights",
    "Number of flights delayed more than 60 minutes by month",
    "Number of flights from JFK by month",
    "Top 3 carriers by total distance",
    "Which carrier flew the most flights in July?",
]


@pytest.mark.parametrize("question", STAY_ON_RUN_SQL)
def test_aggregates_lists_and_small_tables_stay_on_run_sql(lexicon, question):
    assert plan_export(question, lexicon) is None
    plan_question(question, lexicon)  # and the planner reads them


EVALUATION_SETS = [
    PROJECT_ROOT.parent / "shared" / "eval" / "nycflights13-dev.jsonl",
    PROJECT_ROOT / "fixtures" / "eval" / "penguins.jsonl",
    PROJECT_ROOT / "fixtures" / "eval" / "tpch.jsonl",
]


@pytest.mark.parametrize("path", EVALUATION_SETS, ids=[p.stem for p in EVALUATION_SETS])
def test_no_evaluation_question_is_an_export(path):
    assert path.is_file(), f"question set {path} is missing"
    questions = list(read_questions(path))
    lexicons = {
        name: Lexicon.build(
            load_definition(PROJECT_ROOT / "fixtures" / "datasets" / f"{name}.yaml")
        )
        for name in {q.dataset or "nycflights13" for q in questions}
    }
    routed = [
        q.question
        for q in questions
        if plan_export(q.question, lexicons[q.dataset or "nycflights13"]) is not None
    ]
    assert routed == []


@pytest.mark.parametrize(
    ("question", "problem"),
    [
        ("Export flights more than 2 hours", "“more than 2 hours” compares"),
        ("Export my emails", "which rows to export"),
        ("Export all flights to Boston", "“Boston”"),
        ("Export all airports with a departure delay over 3 hours", "relates to the rows"),
        ("Export all airports from JFK", "how “JFK” relates to the rows of airports"),
    ],
)
def test_exports_it_cannot_read_fully_are_refused(lexicon, question, problem):
    with pytest.raises(PlanningError, match=problem):
        plan_export(question, lexicon)


# --- the model's responses -------------------------------------------------------------------
def agent_info(*tools: str) -> AgentInfo:
    return AgentInfo(
        function_tools=[ToolDefinition(name=t) for t in tools],
        allow_text_output=True,
        output_tools=[],
        model_settings=None,
        model_request_parameters=ModelRequestParameters(),
        instructions=None,
    )


BOTH_TOOLS = agent_info("run_sql", "submit_spark", "describe_table")


async def streamed(analyst: LocalAnalyst, messages: list[ModelMessage], info: AgentInfo):
    text, calls = "", []
    async for chunk in analyst.stream(messages, info):
        if isinstance(chunk, str):
            text += chunk
        else:
            calls.extend(chunk.values())
    return text, calls


def ask(question: str) -> list[ModelMessage]:
    return [ModelRequest(parts=[UserPromptPart(question)])]


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("question", "fmt"),
    [
        ("Export all flights delayed more than 3 hours", "parquet"),
        ("Export flights to LAX as CSV", "csv"),
    ],
)
async def test_the_first_response_submits_the_export_to_spark(lexicon, question, fmt):
    text, calls = await streamed(LocalAnalyst(lexicon), ask(question), BOTH_TOOLS)
    assert text == "Submitting an export to Spark…\n\n"
    [call] = calls
    assert isinstance(call, DeltaToolCall) and call.name == "submit_spark"
    assert json.loads(call.json_args) == {
        "query": plan_export(question, lexicon).sql,
        "output_format": fmt,
    }


@pytest.mark.anyio
async def test_without_a_spark_tool_the_rows_are_listed_with_run_sql(lexicon):
    question = "Export all flights delayed more than 3 hours"
    text, [call] = await streamed(LocalAnalyst(lexicon), ask(question), agent_info("run_sql"))
    assert "Spark is not available" in text and call.name == "run_sql"
    assert json.loads(call.json_args) == {"sql": plan_export(question, lexicon).sql, "params": []}


@pytest.mark.anyio
async def test_aggregate_questions_still_call_run_sql_with_their_parameters(lexicon):
    question = "Number of flights from JFK by month"
    text, [call] = await streamed(LocalAnalyst(lexicon), ask(question), BOTH_TOOLS)
    plan = plan_question(question, lexicon)
    assert text.startswith("Running a query for **flights**")
    assert call.name == "run_sql"
    assert json.loads(call.json_args) == {
        "sql": plan.to_sql(),
        "params": [s.model_dump(exclude_none=True) for s in plan.param_specs()],
    }


def succeeded(row_count: int = 3893, files: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """A return of ``submit_spark`` for a finished job, shaped as the contract says."""
    columns = [
        {"name": "year", "type": "INTEGER"},
        {"name": "dep_delay", "type": "INTEGER"},
        {"name": "carrier", "type": "VARCHAR"},
        {"name": "time_hour", "type": "TIMESTAMP WITH TIME ZONE"},
    ]
    rows = [[2013, 181 + i, "UA", f"2013-01-01T{10 + i:02d}:00:00+00:00"] for i in range(3)]
    return {
        "job_id": JOB_ID,
        "state": "succeeded",
        "row_count": row_count,
        "columns": columns,
        "rows": rows,
        "rows_shown": len(rows),
        "files": files
        if files is not None
        else [
            {"format": "parquet", "url": f"/api/jobs/{JOB_ID}/files/parquet"},
            {"format": "csv", "url": f"/api/jobs/{JOB_ID}/files/csv"},
        ],
        "message": f"{row_count:,} rows ready",
    }


def after_job(question: str, sql: str, content: Any, outcome: str = "success"):
    call = ToolCallPart("submit_spark", {"query": sql, "output_format": "parquet"}, "call_1")
    return [
        *ask(question),
        ModelResponse(parts=[TextPart("Submitting an export to Spark…\n\n"), call]),
        ModelRequest(
            parts=[ToolReturnPart("submit_spark", content, tool_call_id="call_1", outcome=outcome)]
        ),
    ]


def tsx_blocks(text: str) -> list[str]:
    return re.findall(r"```tsx\n(.*?)```", text, flags=re.DOTALL)


@pytest.mark.anyio
async def test_a_finished_job_is_answered_with_links_sql_and_a_preview(lexicon):
    question = "Export all flights delayed more than 3 hours"
    sql = plan_export(question, lexicon).sql
    text, calls = await streamed(
        LocalAnalyst(lexicon), after_job(question, sql, succeeded()), BOTH_TOOLS
    )
    assert calls == []
    assert text.startswith(
        "**3,893 flights** with a departure delay over 3 hours, exported with Spark."
    )
    assert (
        f"[Download Parquet](/api/jobs/{JOB_ID}/files/parquet) · "
        f"[Download CSV](/api/jobs/{JOB_ID}/files/csv)"
    ) in text
    assert f"```sql\n{sql}\n```" in text
    [component] = tsx_blocks(text)
    assert validate_component(component) == []
    assert 'const COLUMNS = ["year", "dep_delay", "carrier", "time_hour"];' in component
    assert "const TOTAL = 3893;" in component
    assert "data.slice(" in component  # the preview rows arrive as the data prop
    assert [p["name"] for p in read_view_params(component)] == ["maxRows"]


@pytest.mark.anyio
async def test_links_follow_the_files_order_and_only_name_the_jobs_api(lexicon):
    question = "Export flights to LAX as CSV"
    files = [
        {"format": "csv", "url": f"/api/jobs/{JOB_ID}/files/csv"},
        {"format": "parquet", "url": "https://elsewhere.example/steal"},
    ]
    text, _ = await streamed(
        LocalAnalyst(lexicon),
        after_job(question, plan_export(question, lexicon).sql, succeeded(12, files)),
        BOTH_TOOLS,
    )
    assert text.startswith("**12 flights** to LAX, exported with Spark.")
    assert f"[Download CSV](/api/jobs/{JOB_ID}/files/csv)" in text
    assert "elsewhere" not in text and "Download Parquet" not in text


@pytest.mark.anyio
async def test_an_exported_aggregate_is_summarised_by_its_rows(lexicon):
    question = "Export the number of flights by carrier as CSV"
    text, _ = await streamed(
        LocalAnalyst(lexicon),
        after_job(question, plan_export(question, lexicon).sql, succeeded(16)),
        BOTH_TOOLS,
    )
    assert text.startswith("**16 rows** of flights by carrier, exported with Spark.")
    [component] = tsx_blocks(text)
    assert validate_component(component) == []


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("content", "says"),
    [
        (
            {"job_id": JOB_ID, "state": "failed", "message": "Spark ran out of memory"},
            f"The Spark export (job `{JOB_ID}`) failed:\n\n> Spark ran out of memory",
        ),
        (
            {"job_id": JOB_ID, "state": "cancelled", "message": "Cancelled"},
            f"The Spark export (job `{JOB_ID}`) was cancelled, so there are no files",
        ),
        (
            {
                "job_id": JOB_ID,
                "state": "running",
                "message": "Still running after 60 s; it continues in the background.",
            },
            f"The Spark export (job `{JOB_ID}`) is still running: Still running after 60 s",
        ),
    ],
    ids=["failed", "cancelled", "running"],
)
async def test_an_unfinished_job_gets_a_plain_message(lexicon, content, says):
    question = "Export all flights delayed more than 3 hours"
    text, calls = await streamed(
        LocalAnalyst(lexicon),
        after_job(question, plan_export(question, lexicon).sql, content),
        BOTH_TOOLS,
    )
    assert text.startswith(says) and calls == []
    assert "```" not in text and "Download" not in text


@pytest.mark.anyio
async def test_a_refused_submission_is_reported_like_a_failed_query(lexicon):
    question = "Export all flights delayed more than 3 hours"
    messages = after_job(
        question, "SELECT 1", "sql_refused: only SELECT is allowed", outcome="retried"
    )
    text, calls = await streamed(LocalAnalyst(lexicon), messages, BOTH_TOOLS)
    assert text.startswith("The export failed, and I can't repair SQL on my own:")
    assert "sql_refused: only SELECT is allowed" in text and calls == []


# --- a PydanticAI agent around the model ------------------------------------------------------
def export_agent(lexicon: Lexicon, submitted: list[dict[str, str]], refuse: bool = False):
    """An agent with the local analyst and tools shaped like Plotwise's (the real submit_spark is
    built and tested with the job manager; here it answers as its contract says)."""
    agent = Agent(local_analyst_model(lexicon))

    @agent.tool_plain
    def run_sql(sql: str, params: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        raise AssertionError("an export must not run through run_sql")

    @agent.tool_plain
    def submit_spark(query: str, output_format: Literal["parquet", "csv"] = "parquet") -> dict:
        submitted.append({"query": query, "output_format": output_format})
        if refuse:
            raise ModelRetry("sql_refused: no such table")
        return succeeded(42)

    return agent


@pytest.mark.anyio
async def test_an_agent_run_submits_once_and_answers_from_the_job(lexicon):
    submitted: list[dict[str, str]] = []
    question = "Export flights to LAX as CSV"
    async with export_agent(lexicon, submitted).run_stream_events(question) as run:
        events = [event async for event in run]
    output = events[-1].result.output
    assert submitted == [{"query": plan_export(question, lexicon).sql, "output_format": "csv"}]
    assert output.startswith("**42 flights** to LAX, exported with Spark.")
    assert len(tsx_blocks(output)) == 1


@pytest.mark.anyio
async def test_an_agent_run_reports_a_tool_refusal(lexicon):
    submitted: list[dict[str, str]] = []
    result = await export_agent(lexicon, submitted, refuse=True).run(
        "Export all flights delayed more than 3 hours"
    )
    assert len(submitted) == 1
    assert result.output.startswith("The export failed, and I can't repair SQL on my own:")
    assert "sql_refused: no such table" in result.output


@pytest.mark.anyio
async def test_rows_listed_with_run_sql_are_answered_as_a_capped_table(lexicon):
    question = "list all flights from EWR to LAX"
    sql = plan_export(question, lexicon).sql
    columns = [
        {"name": "month", "type": "INTEGER"},
        {"name": "day", "type": "INTEGER"},
        {"name": "carrier", "type": "VARCHAR"},
        {"name": "origin", "type": "VARCHAR"},
        {"name": "dest", "type": "VARCHAR"},
    ]
    content = {
        "columns": columns,
        "rows": [[1, d, "UA", "EWR", "LAX"] for d in range(1, 51)],
        "row_count": 1000,
        "rows_shown": 50,
        "truncated": True,
        "params": {},
    }
    call = ToolCallPart("run_sql", {"sql": sql, "params": []}, "call_2")
    messages = [
        *ask(question),
        ModelResponse(parts=[call]),
        ModelRequest(parts=[ToolReturnPart("run_sql", content, tool_call_id="call_2")]),
    ]
    text, calls = await streamed(LocalAnalyst(lexicon), messages, agent_info("run_sql"))
    assert calls == [] and text.startswith("Here are 1,000 rows from **flights**.")
    assert "cut at the row cap of 1,000 rows" in text
    assert "where origin = EWR and dest = LAX" in text and f"```sql\n{sql}\n```" in text
    [component] = tsx_blocks(text)
    assert validate_component(component) == []
