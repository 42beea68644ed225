"""Conversation memory: the model's message history per conversation, so follow-ups keep context.

Kept in process memory for now; durable storage is a later step (issue 4).
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict

from pydantic_ai.messages import ModelMessage


class ConversationStore:
    """Message histories keyed by conversation id, oldest evicted past ``capacity``."""

    def __init__(self, capacity: int = 1000) -> None:
        self._histories: OrderedDict[str, list[ModelMessage]] = OrderedDict()
        self._capacity = capacity
        self._lock = asyncio.Lock()

    async def history(self, conversation_id: str) -> list[ModelMessage]:
        """Return a copy of the conversation's messages ([] for a new conversation)."""
        async with self._lock:
            return list(self._histories.get(conversation_id, []))

    async def save(self, conversation_id: str, messages: list[ModelMessage]) -> None:
        """Replace the conversation's messages with ``messages`` (a whole history)."""
        async with self._lock:
            self._histories[conversation_id] = list(messages)
            self._histories.move_to_end(conversation_id)
            while len(self._histories) > self._capacity:
                self._histories.popitem(last=False)
