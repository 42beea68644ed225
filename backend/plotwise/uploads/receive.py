"""Stream an upload's bytes into a new draft folder, enforcing the size limit as they arrive.

The HTTP layer hands over the request body as it comes off the socket: `receive_upload` takes
the file's own bytes (a raw body), `receive_form_upload` a ``multipart/form-data`` body, parsed
as it streams (python-multipart's push parser), keeping only the ``file`` field. Either way an
upload over ``PLOTWISE_MAX_UPLOAD_MB`` is stopped at the first chunk past the limit, memory
never holds more than a chunk or two, and nothing is written outside
``<data dir>/uploads/.staging/``: unlike Starlette's ``request.form()``, which first spools
the whole file to the system's temporary folder.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from io import BufferedWriter
from pathlib import Path

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from plotwise.errors import UploadError
from plotwise.settings import Settings
from plotwise.uploads.formats import too_large, upload_limit
from plotwise.uploads.names import safe_file_name
from plotwise.uploads.staging import new_draft_folder, remove_tree

WRITE_BYTES = 1 << 20
"""Bytes gathered before one write to disk (in a worker thread, off the event loop)."""

FORM_OVERHEAD_BYTES = 1 << 20
"""Bytes a multipart body may hold besides the file: boundaries, part headers, other fields."""


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
    staged = _StagedFile(original_name, settings)
    try:
        async for chunk in chunks:
            await staged.write(chunk)
        return await staged.finish()
    except BaseException:
        staged.discard()
        raise


async def receive_form_upload(
    body: AsyncIterator[bytes], content_type: str, settings: Settings, *, field: str = "file"
) -> tuple[Path, str]:
    """Write the file of a ``multipart/form-data`` body into a new draft folder.

    Args:
        body: The request body as it arrives (Starlette's ``request.stream()``).
        content_type: The request's ``Content-Type`` (with its ``boundary``).
        settings: Uses ``data_dir`` and ``max_upload_mb``.
        field: The form field holding the file; other fields are skipped.

    Returns:
        The received file (as `receive_upload` returns it) and the file name the client gave,
        for `inspect_upload`.

    Raises:
        UploadTooLargeError: The file, or the body, passed the limit (plus
            `FORM_OVERHEAD_BYTES` for the body); reading stopped there, the folder is removed.
        UploadError: The body is not multipart form data, is malformed or cut off, has no (or
            more than one) file in ``field``, or the file is empty.

    """
    kind, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise UploadError(f"send the file as multipart/form-data, in a field named {field!r}")
    form = _FormFile(field)
    parser = MultipartParser(boundary, form.callbacks())
    body_limit = upload_limit(settings) + FORM_OVERHEAD_BYTES
    received = 0
    staged: _StagedFile | None = None
    try:
        async for chunk in body:
            received += len(chunk)
            if received > body_limit:
                raise too_large(settings, "the request went on")
            parser.write(chunk)
            if form.name is not None:  # the file's part began: its bytes follow
                staged = staged or _StagedFile(form.name, settings)
                for piece in form.take():
                    await staged.write(piece)
        parser.finalize()
        if staged is None:
            raise UploadError(f"the form has no file in the field {field!r}")
        if not form.complete:
            raise UploadError("the upload was cut off before the file ended")
        return await staged.finish(), form.name or ""
    except FormParserError as error:
        if staged is not None:
            staged.discard()
        raise UploadError(f"the multipart form is malformed: {error}") from error
    except BaseException:
        if staged is not None:
            staged.discard()
        raise


class _StagedFile:
    """A file being written into a new draft folder, its size held to the upload limit."""

    def __init__(self, original_name: str, settings: Settings) -> None:
        self._settings = settings
        self._limit = upload_limit(settings)
        self.folder = new_draft_folder(settings)
        self.path = self.folder / safe_file_name(original_name)
        try:
            self._sink: BufferedWriter = self.path.open("xb")
        except BaseException:
            remove_tree(self.folder)
            raise
        self._pending = bytearray()
        self._size = 0

    async def write(self, chunk: bytes) -> None:
        """Add bytes; raise `UploadTooLargeError` as soon as they pass the limit."""
        self._size += len(chunk)
        if self._size > self._limit:
            raise too_large(self._settings, "the upload went on")
        self._pending += chunk
        if len(self._pending) >= WRITE_BYTES:
            await self._flush()

    async def finish(self) -> Path:
        """Write what is left and close the file; an empty one is refused."""
        await self._flush()
        self._sink.close()
        if self._size == 0:
            raise UploadError("the file is empty")
        return self.path

    def discard(self) -> None:
        """Close the file and remove the draft folder."""
        self._sink.close()
        remove_tree(self.folder)

    async def _flush(self) -> None:
        if self._pending:
            await asyncio.to_thread(self._sink.write, bytes(self._pending))
            self._pending.clear()


class _FormFile:
    """Callbacks for python-multipart's parser that keep the bytes of one file field."""

    def __init__(self, field: str) -> None:
        self._field = field.encode()
        self._header_name = bytearray()
        self._header_value = bytearray()
        self._disposition = b""
        self._in_file = False
        self._pieces: list[bytes] = []
        self.name: str | None = None
        """The client's file name, once the file's part began."""
        self.complete = False
        """Whether the file's part ended."""

    def callbacks(self) -> dict[str, object]:
        """The callbacks to give the parser."""
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": lambda data, start, end: self._header_name.extend(data[start:end]),
            "on_header_value": lambda data, start, end: self._header_value.extend(data[start:end]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }

    def take(self) -> list[bytes]:
        """The file bytes parsed since the last call."""
        pieces, self._pieces = self._pieces, []
        return pieces

    def _part_begin(self) -> None:
        self._disposition = b""

    def _header_end(self) -> None:
        if bytes(self._header_name).strip().lower() == b"content-disposition":
            self._disposition = bytes(self._header_value)
        self._header_name.clear()
        self._header_value.clear()

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        self._in_file = options.get(b"name") == self._field and b"filename" in options
        if not self._in_file:
            return
        if self.name is not None:
            raise UploadError("the form holds more than one file; upload one file at a time")
        # Browsers send the name's UTF-8 bytes as they are.
        self.name = options[b"filename"].decode("utf-8", errors="replace")

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._in_file:
            self._pieces.append(data[start:end])

    def _part_end(self) -> None:
        if self._in_file:
            self.complete = True
            self._in_file = False
