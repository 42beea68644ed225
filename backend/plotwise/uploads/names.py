"""Safe names for uploaded tables, datasets and staged files, whatever the upload was called.

An uploaded file's name is untrusted text: it may hold directories (``../../app.py``), an
absolute path, a drive letter, NUL or other control characters. It is never used as a path;
only the names made here are.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath, PureWindowsPath

from plotwise.errors import UploadError

NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,62}")
"""A table or dataset name: a lower-case SQL identifier, also safe as a file name."""

COMPRESSED_SUFFIXES = (".gz", ".zip")
"""Suffixes of the compressed containers an upload may come in."""

MAX_FILE_NAME = 120
"""Longest staged file name, in characters (well below every file system's 255 bytes)."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
"""NUL and the other control characters, never kept in a name."""


def base_name(original_name: str) -> str:
    r"""The last part of an uploaded file name, for display and its extension.

    Directories (``/`` or ``\``) and control characters go; ``..`` and ``.`` give ``""``.
    """
    cleaned = _CONTROL.sub("", original_name)
    name = PureWindowsPath(PurePosixPath(cleaned).name).name
    return "" if name in (".", "..") else name.strip()


def safe_file_name(original_name: str) -> str:
    """A file name for the staged upload: the base name with only ``A-Za-z0-9._-`` kept.

    Other characters become ``_``; leading dots go (no hidden files, no ``..``); the extension
    survives truncation to `MAX_FILE_NAME`. ``../../app.py`` gives ``app.py``; a name with
    nothing usable left gives ``upload``.
    """
    name = re.sub(r"[^A-Za-z0-9._-]", "_", _fold(base_name(original_name))).lstrip(".")
    if not name.strip("._-"):
        return "upload"
    if len(name) > MAX_FILE_NAME:
        stem, dot, suffix = name.partition(".")
        tail = (dot + suffix)[-40:]
        name = stem[: MAX_FILE_NAME - len(tail)] + tail
    return name


def suggest_name(original_name: str) -> str:
    """Turn an uploaded file name into a table name suggestion.

    ``../../Sales 2024.csv.gz`` becomes ``sales_2024``; a name with nothing usable left becomes
    ``upload``; one starting with a digit or ``_`` gets a ``t_`` prefix.
    """
    name = _fold(base_name(original_name)).lower()
    for suffix in COMPRESSED_SUFFIXES:
        name = name.removesuffix(suffix)
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    cleaned = re.sub(r"[^a-z0-9]+", "_", stem).strip("_") or "upload"
    if not cleaned[0].isalpha():
        cleaned = f"t_{cleaned}"
    return cleaned[:63].rstrip("_")


def _fold(text: str) -> str:
    """Accents folded away (``données`` gives ``donnees``), so names keep their letters."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def check_name(name: str, what: str) -> str:
    """Return ``name`` if it is a valid table or dataset name.

    Args:
        name: The proposed name.
        what: ``"table"`` or ``"dataset"``, for the message.

    Raises:
        UploadError: It is not a lower-case identifier of at most 63 characters starting with
            a letter.

    """
    if not NAME_PATTERN.fullmatch(name):
        raise UploadError(
            f"{what} name {name!r} is not allowed: use lower-case letters, digits and _, "
            "starting with a letter (at most 63)"
        )
    return name
