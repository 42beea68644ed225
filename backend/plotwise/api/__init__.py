"""HTTP API: the chat SSE endpoint and its event protocol."""
