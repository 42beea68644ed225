"""A strict pass over delimited text before DuckDB reads it, naming the line that is wrong.

A malformed file is refused rather than read in some guessed way: ragged rows, a quote that is
not closed or is followed by more text, and lines longer than `MAX_LINE_BYTES` are refused,
naming the line.

Encodings: text is read as UTF-8. A file that is not UTF-8 anywhere but has bytes of a
single-byte encoding (what Excel on Windows saves as "CSV") is read as Windows-1252 (cp1252, a
superset of Latin-1's printable characters), and the draft says so. A file that MIXES the two -
some lines UTF-8, others not (or both on one line) - is refused, naming the first line that is
not UTF-8: no single decoding reads it right, and guessing per line would corrupt text silently.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from plotwise.errors import UploadError

MAX_LINE_BYTES = 16 * 1024 * 1024
"""Longest physical line accepted, in bytes (DuckDB's ``max_line_size`` is set to the same)."""

FALLBACK_ENCODING = "cp1252"
"""Encoding of a text file that is not UTF-8 anywhere (Windows-1252)."""

TRANSCODED_FILE = ".utf8.txt"
"""Name of the UTF-8 copy of a Windows-1252 file in its draft folder."""

_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
"""A multi-byte UTF-8 character; Windows-1252 text practically never holds one."""


@dataclass(frozen=True)
class TextCheck:
    """What the strict pass found out about a well-formed file."""

    columns: int
    """Fields of the header row."""
    encoding: str
    """``utf-8``, or `FALLBACK_ENCODING` for a file that is not UTF-8 anywhere."""


@dataclass
class _Encodings:
    """Where the lines seen so far were UTF-8 and where they were not."""

    utf8_line: int | None = None
    """First line with non-ASCII UTF-8 (or a UTF-8 byte order mark)."""
    other_line: int | None = None
    """First line that is not UTF-8."""
    other_byte: int = 0
    """Position (from 1) of the first byte of ``other_line`` that is not UTF-8."""


def check_delimited(path: Path, delimiter: str) -> TextCheck:
    """Read the whole file once and check it is well-formed delimited text.

    Args:
        path: The text file.
        delimiter: ``,`` or a tab.

    Returns:
        The header's width and the file's encoding.

    Raises:
        UploadError: The header is missing, a row has another number of fields than the
            header, a quote is not closed or is followed by text, a line is longer than
            `MAX_LINE_BYTES`, or the file mixes encodings; the message names the line.

    """
    # csv's own limit on one field (128 KiB) is process-wide; a field may be as long as a line.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_LINE_BYTES))
    seen = _Encodings()
    reader = csv.reader(
        _lines(path, seen), delimiter=delimiter, quotechar='"', doublequote=True, strict=True
    )
    start = 1
    try:
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            raise UploadError("the file has no header row (line 1 is empty)")
        width = len(header)
        start = reader.line_num + 1
        for row in reader:
            if row and len(row) != width:
                raise UploadError(
                    f"line {start} has {len(row)} fields but the header has {width}"
                    f" (ragged rows: every row needs the header's {width} fields)"
                )
            start = reader.line_num + 1
    except csv.Error as error:
        raise UploadError(_quoting_problem(str(error), start, reader.line_num)) from error
    return TextCheck(columns=width, encoding=_encoding(seen))


def transcode(path: Path, target: Path, encoding: str) -> Path:
    """Write ``path`` (in ``encoding``) to ``target`` as UTF-8, a megabyte at a time."""
    with (
        path.open("r", encoding=encoding, newline="") as source,
        target.open("w", encoding="utf-8", newline="") as sink,
    ):
        while text := source.read(1 << 20):
            sink.write(text)
    return target


def _quoting_problem(message: str, start: int, line: int) -> str:
    """The user-facing text of a `csv.Error` in the record that started on line ``start``."""
    if "unexpected end of data" in message:
        return (
            f"line {start} opens a quoted field that is never closed "
            '(bad quoting: a " inside a quoted field must be doubled as "")'
        )
    if "expected after" in message:
        return (
            f"line {line} has text after the closing quote of a field "
            '(bad quoting: a " inside a quoted field must be doubled as "")'
        )
    if "new-line character" in message:
        return f"line {line} has a lone carriage return inside a field; save it with LF line ends"
    return f"line {line} is malformed: {message}"


def _encoding(seen: _Encodings) -> str:
    """The file's encoding once all lines were seen; a mix is refused."""
    if seen.other_line is None:
        return "utf-8"
    if seen.utf8_line is not None:
        mixed = (
            "on the same line"
            if seen.utf8_line == seen.other_line
            else f"while line {seen.utf8_line} is UTF-8"
        )
        raise UploadError(
            f"line {seen.other_line} is not UTF-8 (byte {seen.other_byte} of the line) {mixed}:"
            " the file mixes encodings; save it as UTF-8 and upload it again"
        )
    return FALLBACK_ENCODING


def _lines(path: Path, seen: _Encodings) -> Iterator[str]:
    """Yield the file's lines as text, each read with a size cap; note the encodings seen."""
    with path.open("rb") as file:
        number = 0
        while line := file.readline(MAX_LINE_BYTES + 1):
            number += 1
            if len(line) > MAX_LINE_BYTES:
                raise UploadError(
                    f"line {number} is longer than {MAX_LINE_BYTES // 1048576} MiB; "
                    "the file is not a table of rows"
                )
            if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
                seen.utf8_line = 1
            if line.isascii():
                yield line.decode("ascii")
                continue
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as error:
                text = _other_line(line, number, error.start, seen)
            else:
                seen.utf8_line = seen.utf8_line or number
            yield text


def _other_line(line: bytes, number: int, bad_byte: int, seen: _Encodings) -> str:
    """Note a line that is not UTF-8 and decode it as Windows-1252 for the structure check."""
    if seen.other_line is None:
        seen.other_line, seen.other_byte = number, bad_byte + 1
    if _UTF8_SEQUENCE.search(line):
        seen.utf8_line = seen.utf8_line or number
    try:
        return line.decode(FALLBACK_ENCODING)
    except UnicodeDecodeError as error:
        raise UploadError(
            f"line {number} is neither UTF-8 nor Windows-1252 text (byte {error.start + 1} "
            "of the line); save the file as UTF-8 and upload it again"
        ) from error
