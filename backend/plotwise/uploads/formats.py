"""What an uploaded file is: its format read from its content, checked against its extension.

Compressed uploads (``.gz``, a one-file ``.zip``) are expanded into the draft's folder first,
stopping as soon as ``PLOTWISE_MAX_UPLOAD_MB`` is passed: a compressed bomb is refused without
expanding it all.
"""

from __future__ import annotations

import gzip
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO, Literal

from plotwise.errors import UploadError, UploadTooLargeError
from plotwise.settings import Settings
from plotwise.uploads.names import base_name

Format = Literal["csv", "tsv", "parquet", "json", "ndjson", "xlsx"]

EXTENSIONS: dict[str, frozenset[str]] = {
    ".csv": frozenset({"csv", "tsv"}),
    ".tsv": frozenset({"csv", "tsv"}),
    ".tab": frozenset({"csv", "tsv"}),
    ".txt": frozenset({"csv", "tsv"}),
    ".parquet": frozenset({"parquet"}),
    ".pq": frozenset({"parquet"}),
    ".json": frozenset({"json", "ndjson"}),
    ".ndjson": frozenset({"ndjson"}),
    ".jsonl": frozenset({"ndjson"}),
    ".xlsx": frozenset({"xlsx"}),
}
"""Formats each accepted extension may hold. Delimited text may use either delimiter (a
``.csv`` of tab-separated values is common); the content decides."""

EXPANDED_FILE = ".expanded"
"""Name of the expanded copy of a compressed upload in its draft folder."""

_CHUNK = 1 << 20
"""Bytes copied per read while expanding a compressed upload."""

_SNIFF_BYTES = 64 * 1024
"""Bytes of the start of a file read to tell its format."""

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an OLE2 Office file (an old .xls or .doc, or a password-protected workbook)",
    ),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "a Linux program"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
"""Signatures of common files that are no table, to name what was uploaded instead (only ones
no text file starts with)."""


def upload_limit(settings: Settings) -> int:
    """``PLOTWISE_MAX_UPLOAD_MB`` in bytes."""
    return settings.max_upload_mb * 1024 * 1024


def too_large(settings: Settings, what: str) -> UploadTooLargeError:
    """The error for an upload that passed the limit; ``what`` says how it did."""
    return UploadTooLargeError(
        f"{what} past the upload limit of {settings.max_upload_mb} MiB "
        "(PLOTWISE_MAX_UPLOAD_MB); reading stopped there"
    )


def check_size(path: Path, settings: Settings) -> int:
    """Return the file's size in bytes.

    Raises:
        UploadError: The file is empty.
        UploadTooLargeError: It is larger than ``PLOTWISE_MAX_UPLOAD_MB``.

    """
    size = path.stat().st_size
    if size == 0:
        raise UploadError("the file is empty")
    if size > upload_limit(settings):
        raise too_large(settings, f"the file is {size / 1048576:.1f} MiB,")
    return size


def expand(path: Path, name: str, folder: Path, settings: Settings) -> tuple[Path, str]:
    """Expand a ``.gz`` or one-file ``.zip`` upload into ``folder``; other files stay as they are.

    Args:
        path: The uploaded file.
        name: Its (base) name; the suffix says whether it is compressed.
        folder: The draft's folder, where the expanded file goes (`EXPANDED_FILE`).
        settings: Uses ``max_upload_mb``, the most the expanded file may hold.

    Returns:
        The file to read and the name it goes by (``sales.csv.gz`` gives ``sales.csv``).

    Raises:
        UploadError: The archive is corrupt or does not hold exactly one file.
        UploadTooLargeError: It expands past the limit (expanding stops there).

    """
    lower = name.lower()
    try:
        if lower.endswith(".gz"):
            with gzip.open(path, "rb") as source:
                return copy_limited(source, folder / EXPANDED_FILE, settings), name[:-3]
        if lower.endswith(".zip"):
            with zipfile.ZipFile(path) as archive:
                members = [info for info in archive.infolist() if not info.is_dir()]
                if len(members) != 1:
                    raise UploadError(
                        f"the zip archive holds {len(members)} files; upload one file per zip"
                    )
                with archive.open(members[0]) as source:
                    expanded = copy_limited(source, folder / EXPANDED_FILE, settings)
                return expanded, base_name(members[0].filename)
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error, NotImplementedError) as error:
        raise UploadError(f"the compressed file {name!r} cannot be read: {error}") from error
    except RuntimeError as error:  # zipfile's "File ... is encrypted, password required"
        problem = f"the zip archive {name!r} is encrypted; upload it without a password"
        raise UploadError(problem) from error
    return path, name


def copy_limited(source: BinaryIO, target: Path, settings: Settings) -> Path:
    """Copy ``source`` to ``target``, stopping once more than the upload limit came out.

    Raises:
        UploadError: Nothing came out.
        UploadTooLargeError: More than ``PLOTWISE_MAX_UPLOAD_MB`` came out.

    """
    limit = upload_limit(settings)
    written = 0
    with target.open("wb") as sink:
        while chunk := source.read(_CHUNK):
            written += len(chunk)
            if written > limit:
                raise too_large(settings, "the compressed file expands")
            sink.write(chunk)
    if written == 0:
        raise UploadError("the compressed file is empty")
    return target


def detect_format(path: Path, name: str) -> Format:
    """Tell the file's format from its content and check it against the extension.

    Args:
        path: The (expanded) file.
        name: The name it goes by; its extension must fit the content.

    Returns:
        The format of the content.

    Raises:
        UploadError: The extension is not accepted, the content is not a table (an image, a
            program, another binary), or it is another format than the extension says (both
            are named).

    """
    suffix = Path(name.lower()).suffix
    allowed = EXTENSIONS.get(suffix)
    if allowed is None:
        known = ", ".join(sorted(EXTENSIONS))
        shown = repr(suffix) if suffix else "none"
        raise UploadError(
            f"the extension {shown} is not accepted; use one of {known} (or .gz / .zip of one)"
        )
    with path.open("rb") as file:
        head = file.read(_SNIFF_BYTES)
    found = _content_format(path, head)
    if found not in allowed:
        raise UploadError(
            f"the file is named {suffix!r} but its content is {found.upper()}; "
            "rename it to match its content"
        )
    return found


def _content_format(path: Path, head: bytes) -> Format:
    """The format the first bytes of a file show."""
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"PK\x03\x04"):
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                if "xl/workbook.xml" in archive.namelist():
                    return "xlsx"
        raise UploadError("the file is a zip archive, not an Excel (.xlsx) workbook")
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            raise UploadError(f"the file is {kind}, not a table (CSV, TSV, JSON, Parquet, Excel)")
    if b"\x00" in head:
        raise UploadError("the file is binary, not CSV, TSV, JSON, Parquet or Excel")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"["):
        return "json"
    if text.startswith(b"{"):
        lines = [line for line in text.splitlines()[:2] if line.strip()]
        # One object per line is NDJSON; an object spread over lines is a JSON document.
        if len(lines) > 1 and all(line.lstrip().startswith(b"{") for line in lines):
            return "ndjson"
        return "ndjson" if len(lines) == 1 and text.rstrip().endswith(b"}") else "json"
    first_line = text.split(b"\n", 1)[0]
    return "tsv" if first_line.count(b"\t") > first_line.count(b",") else "csv"
