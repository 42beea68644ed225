"""The local analyst's side of an export: the ``submit_spark`` call it streams, and the answer
it writes from what the tool returns."""

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
from plotwise.local.export import plan_export
from plotwise.local.lexicon import Lexicon
from plotwise.local.model import LocalAnalyst, local_analyst_model
from plotwise.local.planner import plan_question
from support.export_lexicon import export_lexicon

JOB_ID = "job_0123456789abcdef"


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return export_lexicon()


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
