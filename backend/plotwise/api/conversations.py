"""Conversation endpoints: the stored conversations, reopened with their messages, or deleted."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from plotwise.api.deps import OffsetQuery, ServicesDep
from plotwise.store.models import ConversationDetail, ConversationPage

router = APIRouter(prefix="/api/conversations", tags=["conversations"])

_NOT_FOUND = {404: {"description": "unknown conversation"}}


class DatasetsBody(BaseModel):
    """Body of ``PUT /api/conversations/{id}/datasets``."""

    model_config = ConfigDict(extra="forbid")

    datasets: list[Annotated[str, Field(max_length=64)]] = Field(max_length=20)
    """The active datasets, in order; [] means the default dataset."""


@router.get("")
async def list_conversations(
    services: ServicesDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: OffsetQuery = 0,
) -> ConversationPage:
    """Conversations, most recently updated first; the title is the first question."""
    return await services.conversations.listing(limit=limit, offset=offset)


@router.get("/{conversation_id}", responses=_NOT_FOUND)
async def get_conversation(conversation_id: str, services: ServicesDep) -> ConversationDetail:
    """The conversation's messages, oldest first, each with its artifacts, SQL and error."""
    return await services.conversations.get(conversation_id)


@router.delete("/{conversation_id}", status_code=204, responses=_NOT_FOUND)
async def delete_conversation(conversation_id: str, services: ServicesDep) -> Response:
    """Delete the conversation with its messages and artifacts."""
    await services.conversations.delete(conversation_id)
    return Response(status_code=204)


@router.put(
    "/{conversation_id}/datasets",
    responses={**_NOT_FOUND, 400: {"description": "unknown datasets, or ones not combinable"}},
)
async def put_datasets(
    conversation_id: str, body: DatasetsBody, services: ServicesDep
) -> ConversationDetail:
    """Set the conversation's active datasets: what its next turns ask against."""
    names = list(dict.fromkeys(body.datasets))
    services.context(names)  # unknown names, or a source combined with others: 400
    await services.conversations.set_datasets(conversation_id, names)
    return await services.conversations.get(conversation_id)
