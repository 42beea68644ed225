"""Self-repair: a component that breaks the validation policy goes back to the model.

The check is the shared validation policy (`plotwise.artifact.policy`, the rules the browser
applies too), run on the final answer; its problems reach the model as a ``ModelRetry``, within
the agent's retry budget, and the turn withdraws the refused answer from the client (a
``revision`` event) while the model fixes it.
"""

from __future__ import annotations

import anyio
from pydantic_ai import ModelRetry, RunContext

from plotwise.agent.deps import TurnDeps
from plotwise.artifact.extract import find_component
from plotwise.artifact.policy import validate_component


async def component_passes_policy(ctx: RunContext[TurnDeps], output: str) -> str:
    """Output validator: pass answers whose component (if any) the policy accepts.

    Raises:
        ModelRetry: The component was refused; the message lists the problems and asks for the
            whole answer again with a corrected component.

    """
    block = find_component(output)
    if block is None:
        return output
    problems = await anyio.to_thread.run_sync(validate_component, block.code)
    if problems:
        raise ModelRetry(
            "Your component was refused by the validation policy: "
            + "; ".join(problems)
            + ". Answer again in full, with a corrected ```tsx component that follows the "
            "component contract (imports only from react, recharts and lucide-react; no network, "
            "storage or eval)."
        )
    return output
