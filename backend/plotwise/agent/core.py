"""The one typed Agent of Plotwise."""

from __future__ import annotations

from pydantic_ai import Agent, RunContext, Tool
from pydantic_ai.tools import ToolDefinition

from plotwise.agent.deps import TurnDeps
from plotwise.agent.repair import component_passes_policy
from plotwise.agent.spark_tool import submit_spark
from plotwise.agent.tools import describe_table, run_sql


def dataset_instructions(ctx: RunContext[TurnDeps]) -> str:
    """The system prompt of the run's dataset (rendered once per dataset at start)."""
    return ctx.deps.instructions


async def duckdb_only(ctx: RunContext[TurnDeps], tool: ToolDefinition) -> ToolDefinition | None:
    """Offer a tool only when the turn's dataset runs on DuckDB.

    Spark jobs read the catalog's Parquet files; a PostgreSQL source's tables are not among
    them, and a bundled table of the same name would answer instead.
    """
    return tool if getattr(ctx.deps.sql, "engine", "duckdb") == "duckdb" else None


def build_agent(*, retries: int) -> Agent[TurnDeps, str]:
    """Build the chat agent: text output, the SQL and Spark tools, and per-dataset instructions.

    The model is chosen per run (``model=`` of the run call), so a missing API key fails a turn,
    not the server start; the instructions come from the run's deps, so one agent serves every
    dataset. Answers whose component breaks the validation policy go back to the model
    (`plotwise.agent.repair`).

    Args:
        retries: How often the model may repair a failing tool call per turn.

    """
    agent = Agent(
        deps_type=TurnDeps,
        output_type=str,
        instructions=dataset_instructions,
        tools=[run_sql, Tool(submit_spark, prepare=duckdb_only), describe_table],
        retries=retries,
        name="plotwise",
    )
    agent.output_validator(component_passes_policy)
    return agent
