"""Safe names for uploaded tables and datasets, whatever the uploaded file was called."""

from __future__ import annotations

import re
from pathlib import PurePosixPath, PureWindowsPath

from plotwise.errors import UploadError

NAME_PATTERN = re.compile(r"[a-z_][a-z0-9_]{0,62}")
"""A table or dataset name: a lower-case SQL identifier, also safe as a file name."""

COMPRESSED_SUFFIXES = (".gz", ".zip")
"""Suffixes of the compressed containers an upload may come in."""


def base_name(original_name: str) -> str:
    r"""The last part of an uploaded file name, without any directories (``/`` or ``\\``)."""
    return PureWindowsPath(PurePosixPath(original_name).name).name


def suggest_name(original_name: str) -> str:
    """Turn an uploaded file name into a table name suggestion.

    ``../../Sales 2024.csv.gz`` becomes ``sales_2024``; a name with nothing usable left becomes
    ``upload``; one starting with a digit gets a ``t_`` prefix.
    """
    name = base_name(original_name).lower()
    for suffix in COMPRESSED_SUFFIXES:
        name = name.removesuffix(suffix)
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    cleaned = re.sub(r"[^a-z0-9]+", "_", stem).strip("_") or "upload"
    if cleaned[0].isdigit():
        cleaned = f"t_{cleaned}"
    return cleaned[:63]


def check_name(name: str, what: str) -> str:
    """Return ``name`` if it is a valid table or dataset name.

    Raises:
        UploadError: It is not a lower-case identifier of at most 63 characters.

    """
    if not NAME_PATTERN.fullmatch(name):
        raise UploadError(
            f"{what} name {name!r} is not allowed: use lower-case letters, digits and _ "
            "(at most 63, not starting with a digit)"
        )
    return name
