"""A component the validation policy refuses goes back to the model and reaches the user fixed."""

from __future__ import annotations

from pydantic_ai.models.function import AgentInfo, FunctionModel

from support.repair import BAD, GOOD, repairing_model
from support.sse import chat


def test_forbidden_component_reaches_the_user_only_after_repair(server_with):
    model, feedback = repairing_model()
    with server_with(model) as url:
        events = chat(url, "flights by origin")
    kinds = [e.event for e in events]
    assert kinds[-1] == "done", events[-1].data
    assert "revision" in kinds
    revision = next(e.data for e in events if e.event == "revision")
    assert any('"lodash"' in p for p in revision["problems"])
    assert any("fetch" in p for p in revision["problems"])
    assert any(e.event == "stage" and e.data["stage"] == "fixing" for e in events)
    artifacts = [e.data for e in events if e.event == "artifact"]
    assert [a["code"] for a in artifacts] == [GOOD]
    assert kinds.index("revision") < kinds.index("artifact")
    assert feedback and "lodash" in feedback[0] and "fetch" in feedback[0]
    text_after = "".join(
        e.data["delta"] for e in events[kinds.index("revision") :] if e.event == "text"
    )
    assert "Fixed." in text_after and "lodash" not in text_after


def test_a_model_that_never_fixes_it_ends_in_a_clear_error(server_with):
    async def stubborn(messages, info: AgentInfo):
        yield f"Here.\n\n```tsx\n{BAD}```\n"

    with server_with(
        FunctionModel(stream_function=stubborn, model_name="stubborn"), agent_retries=1
    ) as url:
        events = chat(url, "flights by origin")
    assert events[-1].event == "error"
    assert events[-1].data["code"] == "model_error"
    assert "validation policy" in events[-1].data["message"]
    assert not any(e.event == "artifact" for e in events)


def test_the_local_analyst_never_needs_repair(local_server):
    events = chat(local_server, "Average departure delay by origin and month")
    assert not any(e.event == "revision" for e in events)
    assert any(e.event == "artifact" for e in events)
