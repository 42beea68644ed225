"""A strict pass over delimited text before DuckDB reads it, naming the line that is wrong.

A malformed file is refused rather than read in some guessed way.

Decision on bad input: refuse, naming the line. Ragged rows, an unclosed quote, bytes that are
not UTF-8 (a file mixing encodings) and over-long lines are all refused; nothing is replaced.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from plotwise.errors import UploadError

MAX_LINE_BYTES = 16 * 1024 * 1024
"""Longest physical line accepted, in bytes (DuckDB's ``max_line_size`` is set to the same)."""


def check_delimited(path: Path, delimiter: str) -> int:
    """Read the whole file once and check it is well-formed delimited UTF-8 text.

    Args:
        path: The text file.
        delimiter: ``,`` or a tab.

    Returns:
        The number of columns of the header.

    Raises:
        UploadError: The header is missing, a row has another number of fields than the header,
            a quote is not closed, a line is not UTF-8 or longer than `MAX_LINE_BYTES`; the
            message names the line.

    """
    lines = _lines(path)
    reader = csv.reader(lines, delimiter=delimiter, quotechar='"', doublequote=True, strict=True)
    try:
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            raise UploadError("the file has no header row")
        width = len(header)
        for row in reader:
            if row and len(row) != width:
                raise UploadError(
                    f"line {reader.line_num} has {len(row)} fields but the header has {width}"
                )
    except csv.Error as error:
        raise UploadError(f"line {reader.line_num} is malformed: {error}") from error
    return width


def _lines(path: Path) -> Iterator[str]:
    """Yield the file's lines as text, each read with a size cap and decoded strictly."""
    with path.open("rb") as file:
        number = 0
        while line := file.readline(MAX_LINE_BYTES + 1):
            number += 1
            if len(line) > MAX_LINE_BYTES:
                raise UploadError(
                    f"line {number} is longer than {MAX_LINE_BYTES // 1048576} MiB; "
                    "the file is not a table of rows"
                )
            if number == 1:
                line = line.removeprefix(b"\xef\xbb\xbf")
            try:
                yield line.decode("utf-8")
            except UnicodeDecodeError as error:
                raise UploadError(
                    f"line {number} is not UTF-8 (byte {error.start + 1} of the line); the file "
                    "mixes encodings or is not UTF-8: save it as UTF-8 and upload it again"
                ) from error
