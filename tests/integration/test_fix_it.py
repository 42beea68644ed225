""" "Fix it": a component that failed in the browser goes back to the model as a new turn."""

from __future__ import annotations

import httpx
import pytest

from plotwise.agent.fix import FixRequest, question_to_fix
from plotwise.artifact.store import ArtifactRecord
from support.repair import CRASHING, GOOD, crash_then_fix_model
from support.sse import chat

ERROR = "Render error: TypeError: Cannot read properties of undefined (reading 'value')"


def artifact_of(events) -> dict:
    return next(e.data for e in events if e.event == "artifact")


def test_fix_turn_sends_error_and_code_and_returns_the_corrected_component(server_with):
    model, fix_prompts = crash_then_fix_model()
    with server_with(model) as url:
        first = chat(url, "Flights by origin")
        broken = artifact_of(first)
        conversation = first[0].data["conversation_id"]
        fixed_turn = chat(
            url,
            f"Fix the chart: {ERROR}",
            conversation,
            fix={"artifact_id": broken["artifact_id"], "error": ERROR},
        )
        fixed = artifact_of(fixed_turn)
        stored = httpx.get(f"{url}/api/artifacts/{fixed['artifact_id']}").json()
    assert broken["code"] == CRASHING
    assert fixed_turn[-1].event == "done"
    assert fixed["code"] == GOOD
    assert fixed["artifact_id"] != broken["artifact_id"]
    [prompt] = fix_prompts
    assert ERROR in prompt and CRASHING.strip() in prompt
    assert "Question: Flights by origin" in prompt
    # The corrected artifact answers the same question, so a template saved from it says so.
    assert stored["prompt"] == "Flights by origin"


def test_the_local_analyst_answers_the_original_question_again(local_server):
    first = chat(local_server, "Number of flights by carrier")
    broken = artifact_of(first)
    fixed_turn = chat(
        local_server,
        "Fix the chart: render timed out",
        fix={"artifact_id": broken["artifact_id"], "error": "render timed out"},
    )
    assert fixed_turn[-1].event == "done"
    rows = next(e.data for e in fixed_turn if e.event == "data")["rows"]
    assert len(rows) == 16  # one bar per carrier, as in the first answer
    assert artifact_of(fixed_turn)["code"] == broken["code"]


def test_fixing_an_unknown_artifact_is_a_404(local_server):
    response = httpx.post(
        f"{local_server}/api/chat",
        json={"message": "Fix it", "fix": {"artifact_id": "art_missing", "error": "boom"}},
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    "fix",
    [
        {"artifact_id": "art_1", "error": ""},
        {"artifact_id": "art_1", "error": "x" * 2001},
        {"artifact_id": "../etc", "error": "boom"},
        {"error": "boom"},
    ],
)
def test_malformed_fix_requests_are_refused(local_server, fix):
    response = httpx.post(f"{local_server}/api/chat", json={"message": "Fix it", "fix": fix})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"


def test_fix_prompt_round_trips_the_question():
    record = ArtifactRecord(
        artifact_id="art_1",
        conversation_id=None,
        prompt="Flights by\norigin",
        code="export default function A() { return null; }",
        language="tsx",
        query_id=None,
        sql=None,
    )
    prompt = FixRequest(artifact=record, error="Compile error:\nboom").prompt()
    assert question_to_fix(prompt) == "Flights by origin"
    assert "Error: Compile error: boom" in prompt
    assert question_to_fix("Flights by origin") is None
