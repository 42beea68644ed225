"""What an uploaded file is: its format read from its content, checked against its extension.

Compressed uploads (``.gz``, a one-file ``.zip``) are expanded into the staging folder first,
stopping at ``PLOTWISE_MAX_UPLOAD_MB``: a compressed bomb is refused without expanding it all.
"""

from __future__ import annotations

import gzip
import shutil
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO, Literal

from plotwise.errors import UploadError
from plotwise.settings import Settings
from plotwise.uploads.names import base_name

Format = Literal["csv", "tsv", "parquet", "json", "ndjson", "excel"]

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
    ".xlsx": frozenset({"excel"}),
}
"""Formats each accepted extension may hold. Delimited text may use either delimiter (a
``.csv`` of tab-separated values is common); the content decides."""

_CHUNK = 1 << 20
"""Bytes copied per read while expanding a compressed upload."""

_SNIFF_BYTES = 64 * 1024
"""Bytes of the start of a file read to tell its format."""


def upload_limit(settings: Settings) -> int:
    """``PLOTWISE_MAX_UPLOAD_MB`` in bytes."""
    return settings.max_upload_mb * 1024 * 1024


def check_size(path: Path, settings: Settings) -> int:
    """Return the file's size in bytes.

    Raises:
        UploadError: The file is empty or larger than ``PLOTWISE_MAX_UPLOAD_MB``.

    """
    size = path.stat().st_size
    if size == 0:
        raise UploadError("the file is empty")
    if size > upload_limit(settings):
        raise UploadError(
            f"the file is {size / 1048576:.1f} MiB, over the upload limit of "
            f"{settings.max_upload_mb} MiB (PLOTWISE_MAX_UPLOAD_MB)"
        )
    return size


def expand(path: Path, name: str, staging: Path, settings: Settings) -> tuple[Path, str]:
    """Expand a ``.gz`` or ``.zip`` upload into ``staging``; other files are returned as they are.

    Args:
        path: The uploaded file.
        name: Its original (base) name; the suffix says whether it is compressed.
        staging: An existing private folder for the expanded file.
        settings: Uses ``max_upload_mb``, the most the expanded file may hold.

    Returns:
        The file to read and the name it goes by (``sales.csv.gz`` gives ``sales.csv``).

    Raises:
        UploadError: The archive is corrupt, holds not exactly one file, or expands past the
            limit (reading stops at the limit).

    """
    lower = name.lower()
    try:
        if lower.endswith(".gz"):
            inner = name[: -len(".gz")]
            with gzip.open(path, "rb") as source:
                return _copy_limited(source, staging / "expanded", settings), inner
        if lower.endswith(".zip"):
            with zipfile.ZipFile(path) as archive:
                members = [info for info in archive.infolist() if not info.is_dir()]
                if len(members) != 1:
                    raise UploadError(
                        f"the zip archive holds {len(members)} files; upload one file per zip"
                    )
                inner = base_name(members[0].filename)
                with archive.open(members[0]) as source:
                    return _copy_limited(source, staging / "expanded", settings), inner
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as error:
        raise UploadError(f"the compressed file {name!r} cannot be read: {error}") from error
    return path, name


def _copy_limited(source: BinaryIO, target: Path, settings: Settings) -> Path:
    """Copy ``source`` to ``target``, refusing once more than the upload limit came out."""
    limit = upload_limit(settings)
    written = 0
    with target.open("wb") as sink:
        while chunk := source.read(_CHUNK):
            written += len(chunk)
            if written > limit:
                raise UploadError(
                    f"the compressed file expands past the upload limit of "
                    f"{settings.max_upload_mb} MiB (PLOTWISE_MAX_UPLOAD_MB); stopped there"
                )
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
        UploadError: The extension is unknown, the content is binary of an unknown kind, or
            the content is another format than the extension says (both are named).

    """
    suffix = Path(name.lower()).suffix
    allowed = EXTENSIONS.get(suffix)
    if allowed is None:
        known = ", ".join(sorted(EXTENSIONS))
        raise UploadError(f"the extension {suffix or '(none)'!r} is not accepted; use {known}")
    with path.open("rb") as file:
        head = file.read(_SNIFF_BYTES)
    found = _content_format(path, head)
    if found not in allowed:
        raise UploadError(
            f"the file is named {suffix!r} but its content is {found.upper()}; "
            f"rename it to match its content"
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
                    return "excel"
        raise UploadError("the file is a zip archive but not an Excel workbook")
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


def remove_tree(path: Path) -> None:
    """Delete a staging folder and all it holds, if it exists."""
    shutil.rmtree(path, ignore_errors=True)
