"""Stream an upload's bytes into a new draft folder, enforcing the size limit as they arrive.

The HTTP layer hands over the file's bytes as they come off the socket (for a multipart
request, the ``file`` part's bytes), so an upload over ``PLOTWISE_MAX_UPLOAD_MB`` is stopped
at the first chunk past the limit: neither memory nor disk ever holds more than the limit,
and nothing is written outside ``<data dir>/uploads/.staging/``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

from plotwise.errors import UploadError
from plotwise.settings import Settings
from plotwise.uploads.formats import too_large, upload_limit
from plotwise.uploads.names import safe_file_name
from plotwise.uploads.staging import new_draft_folder, remove_tree

WRITE_BYTES = 1 << 20
"""Bytes gathered before one write to disk (in a worker thread, off the event loop)."""


async def receive_upload(
    chunks: AsyncIterator[bytes], original_name: str, settings: Settings
) -> Path:
    """Write an upload's bytes to ``<data dir>/uploads/.staging/<draft_id>/<safe name>``.

    Pass the result to `inspect_upload` with the same ``original_name``: the draft then
    lives in this folder, and its id is the folder's name.

    Args:
        chunks: The file's bytes, e.g. Starlette's ``request.stream()`` for a raw body.
        original_name: The client's file name; only a `safe_file_name` of it is used.
        settings: Uses ``data_dir`` and ``max_upload_mb``.

    Returns:
        The received file.

    Raises:
        UploadTooLargeError: More than ``PLOTWISE_MAX_UPLOAD_MB`` arrived; reading stopped at
            the first chunk past it (the rest is never read) and the draft folder is removed.
        UploadError: Nothing arrived (the folder is removed).

    """
    limit = upload_limit(settings)
    folder = new_draft_folder(settings)
    target = folder / safe_file_name(original_name)
    received = 0
    pending = bytearray()
    try:
        with target.open("xb") as sink:
            async for chunk in chunks:
                received += len(chunk)
                if received > limit:
                    raise too_large(settings, "the upload went on")
                pending += chunk
                if len(pending) >= WRITE_BYTES:
                    await asyncio.to_thread(sink.write, bytes(pending))
                    pending.clear()
            await asyncio.to_thread(sink.write, bytes(pending))
        if received == 0:
            raise UploadError("the file is empty")
    except BaseException:
        remove_tree(folder)
        raise
    return target
