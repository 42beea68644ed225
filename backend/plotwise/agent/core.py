"""The one typed Agent of Plotwise."""

from __future__ import annotations

from pydantic_ai import Agent

from plotwise.agent.deps import TurnDeps
from plotwise.agent.tools import describe_table, run_sql


def build_agent(instructions: str, *, retries: int) -> Agent[TurnDeps, str]:
    """Build the chat agent: text output, the SQL tools, and the given instructions.

    The model is chosen per run (``model=`` of the run call), so a missing API key fails a turn,
    not the server start.

    Args:
        instructions: The rendered system prompt (see `plotwise.agent.prompts`).
        retries: How often the model may repair a failing tool call per turn.

    """
    return Agent(
        deps_type=TurnDeps,
        output_type=str,
        instructions=instructions,
        tools=[run_sql, describe_table],
        retries=retries,
        name="plotwise",
    )
