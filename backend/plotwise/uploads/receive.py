"""Receive an upload's bytes as they stream in, into the staging folder, within the size limit."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterable
from pathlib import Path

import anyio

from plotwise.errors import UploadError, UploadTooLargeError
from plotwise.settings import Settings
from plotwise.uploads.formats import remove_tree, upload_limit
from plotwise.uploads.inspect import STAGING_SUBDIR, UPLOADS_SUBDIR
from plotwise.uploads.names import base_name


async def receive_upload(
    chunks: AsyncIterable[bytes], original_name: str, settings: Settings
) -> Path:
    """Write streamed bytes to ``<data dir>/uploads/.staging/<id>/received``.

    Args:
        chunks: The file's content, in order.
        original_name: The client's name for it (not used for the path).
        settings: Uses ``data_dir`` and ``max_upload_mb``.

    Returns:
        The received file; the caller removes its folder when done with it.

    Raises:
        UploadTooLargeError: More than ``PLOTWISE_MAX_UPLOAD_MB`` arrived; reading stopped
            there and the partial file is gone.
        UploadError: Nothing arrived (the file is empty).

    """
    folder = settings.resolved_data_dir() / UPLOADS_SUBDIR / STAGING_SUBDIR / uuid.uuid4().hex
    folder.mkdir(parents=True)
    target = folder / "received"
    limit = upload_limit(settings)
    written = 0
    try:
        async with await anyio.open_file(target, "wb") as sink:
            async for chunk in chunks:
                written += len(chunk)
                if written > limit:
                    raise UploadTooLargeError(
                        f"{base_name(original_name)!r} is larger than the upload limit of "
                        f"{settings.max_upload_mb} MiB (PLOTWISE_MAX_UPLOAD_MB); stopped there"
                    )
                await sink.write(chunk)
        if written == 0:
            raise UploadError("the file is empty")
    except BaseException:
        remove_tree(folder)
        raise
    return target
