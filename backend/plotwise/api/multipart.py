"""Read one file field of a ``multipart/form-data`` request as it streams in.

Starlette's ``UploadFile`` spools the whole body before the endpoint runs, so a size limit could
only be checked afterwards. Here python-multipart's streaming parser is fed the request body
chunk by chunk and the file field's bytes are handed on as they arrive: whoever consumes them
(`plotwise.uploads.receive.receive_upload`) can stop at the limit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Final

from python_multipart import MultipartParser
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import parse_options_header
from starlette.requests import Request

from plotwise.errors import BadRequestError

MAX_OTHER_FIELD_BYTES: Final = 64 * 1024
"""Most bytes all other fields of the form may hold together."""


class FilePart:
    """The file field of one request; `open` reads up to its headers, `chunks` its content."""

    def __init__(self, request: Request, field: str = "file") -> None:
        """Prepare the parser.

        Raises:
            BadRequestError: The request is not ``multipart/form-data`` with a boundary.

        """
        kind, options = parse_options_header(request.headers.get("content-type"))
        if kind != b"multipart/form-data" or not options.get(b"boundary"):
            raise BadRequestError(
                f"send the file as multipart/form-data in a field named {field!r}"
            )
        self.field = field
        self.filename: str | None = None
        self._body = request.stream().__aiter__()
        self._pending: list[bytes] = []
        self._headers: dict[bytes, bytes] = {}
        self._header = [bytearray(), bytearray()]
        self._in_file = False
        self._file_done = False
        self._other_bytes = 0
        self._parser = MultipartParser(
            options[b"boundary"],
            {
                "on_part_begin": self._part_begin,
                "on_header_field": lambda data, start, end: self._header[0].extend(data[start:end]),
                "on_header_value": lambda data, start, end: self._header[1].extend(data[start:end]),
                "on_header_end": self._header_end,
                "on_headers_finished": self._headers_finished,
                "on_part_data": self._part_data,
                "on_part_end": self._part_end,
            },
        )

    async def open(self) -> str:
        """Read the body up to the file field's headers; return the file's name.

        Raises:
            BadRequestError: The form has no such file field, or is malformed.

        """
        while self.filename is None:
            if not await self._feed():
                raise BadRequestError(f"the form has no file field named {self.field!r}")
        return self.filename

    async def chunks(self) -> AsyncIterator[bytes]:
        """The file's bytes as they arrive (call `open` first).

        Raises:
            BadRequestError: The body ended inside the file, or is malformed.

        """
        while True:
            if self._pending:
                data = b"".join(self._pending)
                self._pending.clear()
                yield data
            if self._file_done:
                return
            if not await self._feed():
                raise BadRequestError("the request ended before the file did")

    async def _feed(self) -> bool:
        """Parse the next chunk of the body; False once there is none."""
        try:
            chunk = await anext(self._body)
        except StopAsyncIteration:
            return False
        try:
            self._parser.write(chunk)
        except FormParserError as error:
            raise BadRequestError(f"the multipart form is malformed: {error}") from error
        return True

    def _part_begin(self) -> None:
        self._headers = {}

    def _header_end(self) -> None:
        name, value = self._header
        self._headers[bytes(name).lower()] = bytes(value)
        self._header = [bytearray(), bytearray()]

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition"))
        is_file = options.get(b"name") == self.field.encode() and b"filename" in options
        if is_file and self.filename is None:
            self._in_file = True
            # A browser sends the name as UTF-8; it is only ever shown and checked, never a path.
            self.filename = options[b"filename"].decode("utf-8", errors="replace")

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._in_file:
            self._pending.append(bytes(data[start:end]))
            return
        self._other_bytes += end - start
        if self._other_bytes > MAX_OTHER_FIELD_BYTES:
            raise BadRequestError("the form's other fields are too large; send only the file")

    def _part_end(self) -> None:
        if self._in_file:
            self._in_file = False
            self._file_done = True
