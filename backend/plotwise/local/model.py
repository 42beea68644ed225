"""The local analyst as a PydanticAI `FunctionModel`: plan SQL, call ``run_sql``, then answer.

A turn takes two model requests. The first sees the question, plans a query (see
`plotwise.local.planner`), says what it is doing and calls ``run_sql``. The second sees the
tool's result and streams a short markdown answer with the SQL and one ``tsx`` component. If the
question cannot be read, or the query fails, it says so plainly and calls no tool.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
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
from plotwise.local.lexicon import Lexicon
from plotwise.local.plan import Plan
from plotwise.local.planner import PlanningError, plan_question

MODEL_NAME = "plotwise-local"
CHUNK_CHARS = 48


def local_analyst_model(lexicon: Lexicon) -> FunctionModel:
    """Return the offline analyst model for one dataset's vocabulary."""
    analyst = LocalAnalyst(lexicon)
    return FunctionModel(analyst.respond, stream_function=analyst.stream, model_name=MODEL_NAME)


class LocalAnalyst:
    """Deterministic answers to aggregate questions over one dataset."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

    async def stream(
        self, messages: list[ModelMessage], info: AgentInfo
    ) -> AsyncIterator[str | DeltaToolCalls]:
        """Stream one response: text chunks, then at most one ``run_sql`` tool call."""
        text, call = self._next_step(messages)
        for start in range(0, len(text), CHUNK_CHARS):
            yield text[start : start + CHUNK_CHARS]
        if call is not None:
            yield {
                0: DeltaToolCall(
                    name="run_sql",
                    json_args=json.dumps(_tool_args(call)),
                    tool_call_id=f"call_{uuid4().hex[:12]}",
                )
            }

    def respond(self, messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        """Non-streamed variant of `stream`, for ``agent.run()``."""
        text, call = self._next_step(messages)
        parts: list[TextPart | ToolCallPart] = [TextPart(text)] if text else []
        if call is not None:
            parts.append(ToolCallPart("run_sql", _tool_args(call), f"call_{uuid4().hex[:12]}"))
        return ModelResponse(parts=parts, model_name=MODEL_NAME)

    def _next_step(self, messages: list[ModelMessage]) -> tuple[str, Plan | None]:
        """Return (markdown to say, the plan whose SQL to run, or None) for the conversation."""
        question = _last_question(messages)
        tool_return = _last_tool_return(messages)
        if tool_return is None:
            try:
                plan = plan_question(question, self.lexicon)
            except PlanningError as exc:
                return str(exc), None
            label = plan.measure.label if plan.measure else plan.table
            return f"Running a query for **{label}**…\n\n", plan
        if tool_return.outcome != "success":
            return (
                "The query failed, and I can't repair SQL on my own:\n\n"
                f"> {tool_return.model_response_str()}\n\nTry rephrasing the question.",
                None,
            )
        plan = plan_question(question, self.lexicon)
        sql = _last_sql(messages)
        return compose_answer(plan, sql, tool_return.content), None


def _tool_args(plan: Plan) -> dict[str, object]:
    """Arguments of the ``run_sql`` call: the SQL and its query parameters."""
    return {
        "sql": plan.to_sql(),
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
        if isinstance(part, ToolReturnPart) and part.tool_name == "run_sql":
            return part
    return None


def _last_sql(messages: list[ModelMessage]) -> str:
    for message in reversed(messages):
        if isinstance(message, ModelResponse):
            for part in message.parts:
                if isinstance(part, ToolCallPart) and part.tool_name == "run_sql":
                    return str(part.args_as_dict().get("sql", ""))
    return ""
