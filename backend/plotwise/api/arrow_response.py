"""An HTTP response whose body is sent in pieces without joining them (Arrow IPC streams)."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.background import BackgroundTask
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from plotwise.sql.arrow_result import ARROW_STREAM


class ArrowStreamResponse(Response):
    """An Arrow IPC stream sent as its pieces, with a ``Content-Length`` of their sum.

    `plotwise.sql.arrow_result.ipc_stream` returns a new schema message and the stored batches
    (a memory-mapped file) as separate buffers: joining them would copy the whole result (~1 ms
    and a page fault per 4 KiB for 9.5 MB); sending them one after the other copies nothing.
    """

    media_type = ARROW_STREAM

    def __init__(self, parts: Sequence[memoryview], background: BackgroundTask | None = None):
        """Build the response.

        Args:
            parts: The body's pieces, in order (anything with the buffer protocol).
            background: A task to run after the body was sent.

        """
        self.parts = [memoryview(part) for part in parts]
        super().__init__(content=b"", media_type=ARROW_STREAM, background=background)
        self.headers["content-length"] = str(sum(part.nbytes for part in self.parts))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Send the headers, then each piece as one body message."""
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        last = len(self.parts) - 1
        for index, part in enumerate(self.parts):
            await send({"type": "http.response.body", "body": part, "more_body": index < last})
        if not self.parts:
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        if self.background is not None:
            await self.background()
