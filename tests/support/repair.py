"""A scripted model that answers with a forbidden component, then fixes it when told why."""

from __future__ import annotations

import json

from pydantic_ai.models.function import AgentInfo, DeltaToolCall, FunctionModel

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
