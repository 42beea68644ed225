"""A scripted model that answers with a forbidden component, then fixes it when told why."""

from __future__ import annotations

import json

from pydantic_ai.messages import UserPromptPart
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, FunctionModel

from plotwise.agent.fix import FIX_HEADER

BAD = """import _ from "lodash";
import { BarChart, Bar, XAxis } from "recharts";

export default function Leaky({ data }) {
  fetch("/api/config");
  return (
    <BarChart width={400} height={300} data={_.sortBy(data, "n")}>
      <XAxis dataKey="origin" />
      <Bar dataKey="n" />
    </BarChart>
  );
}
"""
GOOD = """import { BarChart, Bar, XAxis } from "recharts";

export default function Fixed({ data }) {
  return (
    <BarChart width={400} height={300} data={data}>
      <XAxis dataKey="origin" />
      <Bar dataKey="n" isAnimationActive={false} />
    </BarChart>
  );
}
"""


def repairing_model() -> tuple[FunctionModel, list[str]]:
    """Queries, answers with a forbidden component, and fixes it when told why."""
    feedback: list[str] = []

    async def stream(messages, info: AgentInfo):
        last = messages[-1]
        retry = [
            p
            for p in getattr(last, "parts", [])
            if "validation policy" in str(getattr(p, "content", ""))
        ]
        if len(messages) == 1:
            sql = "SELECT origin, count(*) AS n FROM flights GROUP BY origin"
            yield {
                0: DeltaToolCall(
                    name="run_sql", json_args=json.dumps({"sql": sql}), tool_call_id="call_1"
                )
            }
        elif retry:
            feedback.append(str(retry[0].content))
            yield f"Fixed.\n\n```tsx\n{GOOD}```\n"
        else:
            yield f"Flights by origin.\n\n```tsx\n{BAD}```\n"

    return FunctionModel(stream_function=stream, model_name="repairing"), feedback


CRASHING = """import { BarChart, Bar, XAxis } from "recharts";

export default function Crashing({ data }) {
  const first = data[0].missing.value;
  return (
    <BarChart width={400} height={300} data={data}>
      <XAxis dataKey="origin" />
      <Bar dataKey="n" name={first} />
    </BarChart>
  );
}
"""
"""Passes the validation policy, but throws when it renders (``missing`` is undefined)."""


def _latest_prompt(messages) -> tuple[str, bool]:
    """The newest user prompt, and whether it is in the newest message (a turn's first step)."""
    for index in range(len(messages) - 1, -1, -1):
        for part in getattr(messages[index], "parts", []):
            if isinstance(part, UserPromptPart):
                return str(part.content), index == len(messages) - 1
    return "", False


def crash_then_fix_model() -> tuple[FunctionModel, list[str]]:
    """Queries, then answers with `CRASHING`; in a "Fix it" turn, answers with `GOOD`.

    Returns:
        The model, and the user prompts of the fix turns it saw (for assertions).

    """
    fix_prompts: list[str] = []

    async def stream(messages, info: AgentInfo):
        prompt, first_step = _latest_prompt(messages)
        fixing = prompt.startswith(FIX_HEADER)
        if first_step:
            if fixing:
                fix_prompts.append(prompt)
            sql = "SELECT origin, count(*) AS n FROM flights GROUP BY origin ORDER BY origin"
            yield {
                0: DeltaToolCall(
                    name="run_sql", json_args=json.dumps({"sql": sql}), tool_call_id="call_1"
                )
            }
            return
        yield f"Flights by origin.\n\n```tsx\n{GOOD if fixing else CRASHING}```\n"

    return FunctionModel(stream_function=stream, model_name="crash-then-fix"), fix_prompts
