"""The sources added through the API, kept in ``<data dir>/sources.json`` across restarts.

The file maps each name to its URL and schema::

    {"warehouse": {"url": "postgresql://...", "schema": "public",
                   "added_at": "2026-11-02T10:00:00+00:00"}}

It holds passwords, so it is only ever owner-readable (mode 0600): written to a temporary file
created 0600 beside it, flushed to disk and renamed over the old one in one step, so a crash
leaves either the old or the new file, never half of one. A file found with looser permissions
is tightened when it is read. ``PLOTWISE_SOURCES`` entries are never written here.
"""

from __future__ import annotations

import json
import logging
import os
import stat
from datetime import datetime
from pathlib import Path
from typing import Final

from pydantic import BaseModel, ConfigDict, ValidationError

from plotwise.data.files import write_text_atomically
from plotwise.errors import DatasetError

logger = logging.getLogger(__name__)

FILE_NAME: Final = "sources.json"
"""The file's name in the data directory."""


class StoredSource(BaseModel):
    """One source added through the API."""

    model_config = ConfigDict(extra="ignore")

    url: str
    """``postgresql://user:password@host:port/database``: never shown or logged."""
    schema_: str = "public"
    added_at: datetime | None = None

    @classmethod
    def read(cls, data: object) -> StoredSource:
        """Validate one entry of the file (its ``schema`` key is ``schema_`` here)."""
        if isinstance(data, dict) and "schema" in data:
            data = {**data, "schema_": data["schema"]}
        return cls.model_validate(data)

    def dump(self) -> dict[str, object]:
        """The entry as it is written to the file."""
        entry: dict[str, object] = {"url": self.url, "schema": self.schema_}
        if self.added_at is not None:
            entry["added_at"] = self.added_at.isoformat()
        return entry


def sources_file(data_dir: Path) -> Path:
    """Where the API's sources are kept: ``<data dir>/sources.json``."""
    return data_dir / FILE_NAME


def load_sources(path: Path) -> dict[str, StoredSource]:
    """Read the file; an absent file holds no source.

    Raises:
        DatasetError: The file is not a JSON object of valid entries (the start stops: the
            sources in it would otherwise be lost at the next write). Its text is not repeated.

    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise DatasetError(f"could not read {path}: {error.strerror}") from None
    _tighten(path)
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not an object")
        return {str(name): StoredSource.read(entry) for name, entry in data.items()}
    except (ValueError, ValidationError) as error:
        what = "invalid entries" if isinstance(error, ValidationError) else "not a JSON object"
        raise DatasetError(
            f"{path} is damaged ({what}); fix or remove it to start without those sources"
        ) from None


def save_sources(path: Path, sources: dict[str, StoredSource]) -> None:
    """Replace the file with ``sources``, atomically, owner-readable only.

    Raises:
        DatasetError: The file could not be written (the old one is unchanged).

    """
    text = json.dumps({name: entry.dump() for name, entry in sources.items()}, indent=2)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DatasetError(f"could not write {path}: {error.strerror}") from None
    write_text_atomically(path, text + "\n", mode=0o600)


def _tighten(path: Path) -> None:
    """Make the file owner-only if someone loosened its permissions."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        logger.warning("%s was readable by others (mode %o): set to 0600", path, mode)
        os.chmod(path, 0o600)
