"""Scripted models for tests: a FunctionModel that plays a list of steps and records its input."""

from __future__ import annotations

import json

from pydantic_ai.messages import ModelMessage
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, FunctionModel

COMPONENT = (
    "```tsx\nexport default function A({ data }) {\n  return <div>{data.length}</div>;\n}\n```\n"
)
"""A minimal component block, as a model's answer ends with it."""


def scripted(steps):
    """A FunctionModel that plays ``steps``: each is text, or ("sql", query)."""
    seen: list[list[ModelMessage]] = []

    async def stream(messages: list[ModelMessage], info: AgentInfo):
        seen.append(list(messages))
        step = steps[min(len(seen) - 1, len(steps) - 1)]
        if isinstance(step, tuple):
            yield {
                0: DeltaToolCall(
                    name="run_sql",
                    json_args=json.dumps({"sql": step[1]}),
                    tool_call_id=f"call_{len(seen)}",
                )
            }
        elif isinstance(step, Exception):
            yield "partial answer "
            raise step
        else:
            yield step

    model = FunctionModel(stream_function=stream, model_name="scripted")
    return model, seen


def component_model(code: str, sql: str = "SELECT carrier FROM airlines") -> FunctionModel:
    """A model that runs ``sql``, then answers with ``code`` as its component."""

    async def stream(messages: list[ModelMessage], info: AgentInfo):
        if len(messages) == 1:
            yield {
                0: DeltaToolCall(
                    name="run_sql", json_args=json.dumps({"sql": sql}), tool_call_id="call_1"
                )
            }
        else:
            yield f"Here it is.\n\n```tsx\n{code}\n```\n"

    return FunctionModel(stream_function=stream, model_name="component-test")
