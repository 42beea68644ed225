"""The local analyst as a PydanticAI `FunctionModel`: plan SQL, call a tool, then answer.

A turn takes two model requests. The first sees the question, plans a query (see
`plotwise.local.planner`), says what it is doing and calls ``run_sql``. The second sees the
tool's result and streams a short markdown answer with the SQL and one ``tsx`` component. If the
question cannot be read, or the query fails, it says so plainly and calls no tool.

An export question (all the rows of a large table, or a file: see `plotwise.local.export`) calls
``submit_spark`` instead, with ``{"query": sql, "output_format": "parquet" | "csv"}``; its answer
gives the download links and a table previewing the first rows (`plotwise.local.export_answer`).
When the agent offers no ``submit_spark`` tool, the same rows are listed with ``run_sql``, cut at
the row cap.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

from pydantic_ai.messages import (
    ModelMessage,
    ModelRequest,
    ModelResponse,
    TextPart,
    ToolCallPart,
    ToolReturnPart,
    UserPromptPart,
)
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, DeltaToolCalls, FunctionModel

from plotwise.agent.fix import question_to_fix
from plotwise.local.answer import compose_answer
from plotwise.local.export import ExportPlan, plan_export
from plotwise.local.export_answer import compose_export_answer
from plotwise.local.lexicon import Lexicon
from plotwise.local.plan import Plan
from plotwise.local.planner import PlanningError, plan_question

MODEL_NAME = "plotwise-local"
CHUNK_CHARS = 48
RUN_SQL = "run_sql"
SUBMIT_SPARK = "submit_spark"
TOOLS = (RUN_SQL, SUBMIT_SPARK)
"""The tools the local analyst calls."""
ENGINE_NAMES = {"duckdb": "DuckDB", "postgres": "PostgreSQL"}
"""How the answers name the engine of each dialect."""


def local_analyst_model(lexicon: Lexicon) -> FunctionModel:
    """Return the offline analyst model for one dataset's vocabulary."""
    analyst = LocalAnalyst(lexicon)
    return FunctionModel(analyst.respond, stream_function=analyst.stream, model_name=MODEL_NAME)


@dataclass(frozen=True)
class ToolCall:
    """A tool call of the local analyst: the tool's ``name`` and its ``args``."""

    name: str
    args: dict[str, Any]


class LocalAnalyst:
    """Deterministic answers to aggregate and export questions over one dataset."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

    async def stream(
        self, messages: list[ModelMessage], info: AgentInfo
    ) -> AsyncIterator[str | DeltaToolCalls]:
        """Stream one response: text chunks, then at most one tool call."""
        text, call = self.next_step(messages, _tool_names(info))
        for start in range(0, len(text), CHUNK_CHARS):
            yield text[start : start + CHUNK_CHARS]
        if call is not None:
            yield {
                0: DeltaToolCall(
                    name=call.name,
                    json_args=json.dumps(call.args),
                    tool_call_id=f"call_{uuid4().hex[:12]}",
                )
            }

    def respond(self, messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        """Non-streamed variant of `stream`, for ``agent.run()``."""
        text, call = self.next_step(messages, _tool_names(info))
        parts: list[TextPart | ToolCallPart] = [TextPart(text)] if text else []
        if call is not None:
            parts.append(ToolCallPart(call.name, call.args, f"call_{uuid4().hex[:12]}"))
        return ModelResponse(parts=parts, model_name=MODEL_NAME)

    def next_step(
        self, messages: list[ModelMessage], tools: set[str]
    ) -> tuple[str, ToolCall | None]:
        """Decide the next response to the conversation so far.

        Args:
            messages: The run's messages; the newest request holds the question, or the return
                of the analyst's own tool call.
            tools: Names of the tools the agent offers (``submit_spark`` may be absent).

        Returns:
            The markdown to say, and the tool to call (None once the answer is written).

        """
        question = _last_question(messages)
        tool_return = _last_tool_return(messages)
        if tool_return is None:
            return self._first_step(question, tools)
        if tool_return.outcome != "success":
            what = "export" if tool_return.tool_name == SUBMIT_SPARK else "query"
            return (
                f"The {what} failed, and I can't repair SQL on my own:\n\n"
                f"> {tool_return.model_response_str()}\n\nTry rephrasing the question.",
                None,
            )
        sql = _last_sql(messages)
        export = plan_export(question, self.lexicon)
        if tool_return.tool_name == SUBMIT_SPARK:
            export = export or self._any_export()
            return compose_export_answer(export, sql, tool_return.content), None
        plan = export.plan if export is not None else plan_question(question, self.lexicon)
        return compose_answer(plan, sql, tool_return.content), None

    def _first_step(self, question: str, tools: set[str]) -> tuple[str, ToolCall | None]:
        try:
            export = plan_export(question, self.lexicon)
            plan = export.plan if export is not None else plan_question(question, self.lexicon)
        except PlanningError as exc:
            return str(exc), None
        if export is not None and SUBMIT_SPARK in tools:
            args = {"query": export.sql, "output_format": export.output_format}
            return "Submitting an export to Spark…\n\n", ToolCall(SUBMIT_SPARK, args)
        if export is not None:
            engine = ENGINE_NAMES[self.lexicon.dialect]
            return (
                f"Spark is not available here, so I'm listing **{export.noun}** with {engine}, "
                "up to the row cap…\n\n",
                ToolCall(RUN_SQL, {"sql": export.plan.to_sql(self.lexicon.dialect), "params": []}),
            )
        label = plan.measure.label if plan.measure else plan.table
        return (
            f"Running a query for **{label}**…\n\n",
            ToolCall(RUN_SQL, _tool_args(plan, self.lexicon)),
        )

    def _any_export(self) -> ExportPlan:
        """An export plan for a job whose question no longer reads as one (a fix request)."""
        table = self.lexicon.definition.default_table
        return ExportPlan(Plan(table=table, measure=None), "parquet", "rows", "")


def _tool_names(info: AgentInfo) -> set[str]:
    return {tool.name for tool in info.function_tools}


def _tool_args(plan: Plan, lexicon: Lexicon) -> dict[str, object]:
    """Arguments of the ``run_sql`` call: the SQL (in the dataset's dialect) and its parameters."""
    return {
        "sql": plan.to_sql(lexicon.dialect),
        "params": [spec.model_dump(exclude_none=True) for spec in plan.param_specs()],
    }


def _last_question(messages: list[ModelMessage]) -> str:
    for message in reversed(messages):
        if isinstance(message, ModelRequest):
            for part in message.parts:
                if isinstance(part, UserPromptPart) and isinstance(part.content, str):
                    # Asked to fix a component: its own components pass and render, so
                    # answering the original question afresh is the fix.
                    return question_to_fix(part.content) or part.content
    return ""


def _last_tool_return(messages: list[ModelMessage]) -> ToolReturnPart | None:
    """The tool return in the newest request, if that request answers a tool call."""
    if not messages or not isinstance(messages[-1], ModelRequest):
        return None
    for part in messages[-1].parts:
        if isinstance(part, ToolReturnPart) and part.tool_name in TOOLS:
            return part
    return None


def _last_sql(messages: list[ModelMessage]) -> str:
    """The SQL of the analyst's newest tool call (``sql`` of run_sql, ``query`` of submit_spark)."""
    for message in reversed(messages):
        if isinstance(message, ModelResponse):
            for part in message.parts:
                if isinstance(part, ToolCallPart) and part.tool_name in TOOLS:
                    key = "query" if part.tool_name == SUBMIT_SPARK else "sql"
                    return str(part.args_as_dict().get(key, ""))
    return ""
