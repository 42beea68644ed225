"""The conversation store's functions, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from pydantic_ai.messages import (
    ModelRequest,
    ModelResponse,
    TextPart,
    ToolCallPart,
    ToolReturnPart,
    UserPromptPart,
)
from sqlalchemy import text

from plotwise.artifact.store import ArtifactRecord, new_artifact_id
from plotwise.errors import ErrorBody, NotFoundError
from plotwise.store import Database
from plotwise.store.artifacts import add_artifact, get_artifact
from plotwise.store.conversations import (
    delete_conversation,
    get_conversation,
    list_conversations,
    load_history,
    record_answer,
    record_question,
)
from plotwise.store.models import Answer


def history(question: str) -> list:
    return [
        ModelRequest(parts=[UserPromptPart(content=question)]),
        ModelResponse(parts=[ToolCallPart("run_sql", {"sql": "SELECT 1"}, tool_call_id="c1")]),
        ModelRequest(
            parts=[
                ToolReturnPart(
                    "run_sql",
                    {"row_count": 1},
                    tool_call_id="c1",
                    metadata={"rows": [[1]] * 1000},
                )
            ]
        ),
        ModelResponse(parts=[TextPart("One.")]),
    ]


def test_history_round_trips_without_tool_metadata(store: Database):
    assert record_question(store, "c", "how many?") == []
    record_answer(store, "c", Answer(content="One."), history("how many?"))
    loaded = load_history(store, "c")
    assert [type(m) for m in loaded] == [ModelRequest, ModelResponse, ModelRequest, ModelResponse]
    assert loaded[0].parts[0].content == "how many?"
    tool_return = loaded[2].parts[0]
    assert tool_return.content == {"row_count": 1} and tool_return.metadata is None
    assert record_question(store, "c", "and then?") == loaded  # the next turn's context


def test_answers_link_their_artifacts_and_keep_errors(store: Database):
    record_question(store, "c", "chart it")
    artifact = ArtifactRecord(
        artifact_id=new_artifact_id(),
        conversation_id="c",
        prompt="chart it",
        code="x",
        language="tsx",
        query_id="q_1",
        sql="SELECT 1",
    )
    add_artifact(store, artifact)
    error = ErrorBody(code="model_error", message="the model failed", stage="answer")
    message_id = record_answer(
        store,
        "c",
        Answer(content="Half", sql=["SELECT 1"], artifact_ids=[artifact.artifact_id], error=error),
    )
    detail = get_conversation(store, "c")
    user, assistant = detail.messages
    assert (user.role, user.content, user.artifacts) == ("user", "chart it", [])
    assert assistant.id == message_id and assistant.error == error
    assert assistant.sql == ["SELECT 1"] and assistant.artifacts == [artifact]
    assert load_history(store, "c") == []  # a failed turn leaves the history as it was


def test_delete_cascades_to_messages_and_artifacts(store: Database):
    for conversation in ("a", "b"):
        record_question(store, conversation, f"question {conversation}")
        add_artifact(
            store,
            ArtifactRecord(
                artifact_id=f"art_{conversation}",
                conversation_id=conversation,
                code="x",
                language="tsx",
                query_id=None,
                sql=None,
            ),
        )
    delete_conversation(store, "a")
    with pytest.raises(NotFoundError):
        get_conversation(store, "a")
    with pytest.raises(NotFoundError):
        get_artifact(store, "art_a")
    with pytest.raises(NotFoundError):
        delete_conversation(store, "a")
    assert get_artifact(store, "art_b").conversation_id == "b"
    page = list_conversations(store)
    assert page.total == 1 and [(c.id, c.message_count) for c in page.items] == [("b", 1)]
    with store.read() as session:
        assert session.execute(text("SELECT count(*) FROM message")).scalar() == 1


def test_artifacts_without_a_conversation(store: Database):
    record = ArtifactRecord(
        artifact_id=new_artifact_id(),
        conversation_id=None,
        prompt="from a template",
        code="x",
        language="tsx",
        query_id="q",
        sql="SELECT 1",
    )
    add_artifact(store, record)
    assert get_artifact(store, record.artifact_id) == record
    with pytest.raises(NotFoundError, match="art_missing"):
        get_artifact(store, "art_missing")
