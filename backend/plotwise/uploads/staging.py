"""The staging area: ``<data dir>/uploads/.staging/<draft_id>/``, one folder per upload draft.

A draft folder holds the upload as received (under a `safe_file_name`), any file made from it
(an expanded ``.gz``, a sheet read from a workbook; their names start with ``.``, which a safe
name never does) and ``.draft.json``, the draft as reviewed. It goes when the draft is committed
or discarded, or when reading the upload fails.
"""

from __future__ import annotations

import re
import shutil
import time
import uuid
from pathlib import Path

from plotwise.errors import NotFoundError
from plotwise.settings import Settings

UPLOADS_SUBDIR = "uploads"
"""Folder of the data directory that holds uploaded datasets (``<dataset>/<table>.parquet``)."""

STAGING_SUBDIR = ".staging"
"""Folder under `UPLOADS_SUBDIR` for uploads awaiting review."""

DRAFT_FILE = ".draft.json"
"""The draft's JSON in its folder (see `save_draft` / `load_draft`)."""

DRAFT_ID = re.compile(r"[0-9a-f]{32}")
"""A draft id: 32 lower-case hex digits (a random UUID)."""


def uploads_dir(settings: Settings) -> Path:
    """``<data dir>/uploads``, holding one folder per uploaded dataset and the staging area."""
    return settings.resolved_data_dir() / UPLOADS_SUBDIR


def staging_dir(settings: Settings) -> Path:
    """``<data dir>/uploads/.staging``."""
    return uploads_dir(settings) / STAGING_SUBDIR


def new_draft_folder(settings: Settings) -> Path:
    """Create an empty folder for a new draft (readable by this user only) and return it."""
    folder = staging_dir(settings) / uuid.uuid4().hex
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.mkdir(mode=0o700)
    return folder


def draft_folder(draft_id: str, settings: Settings) -> Path:
    """The folder of an existing draft.

    Raises:
        NotFoundError: ``draft_id`` is not a draft id, or no such draft is staged.

    """
    if not DRAFT_ID.fullmatch(draft_id):
        raise NotFoundError(f"no upload draft {draft_id!r}")
    folder = staging_dir(settings) / draft_id
    if not folder.is_dir():
        raise NotFoundError(
            f"upload draft {draft_id!r} does not exist (committed, discarded, or older than an "
            "hour); upload the file again"
        )
    return folder


def folder_of(path: Path, settings: Settings) -> Path | None:
    """The draft folder ``path`` was received into (see `receive_upload`), or None."""
    parent = path.resolve().parent
    if parent.parent == staging_dir(settings) and DRAFT_ID.fullmatch(parent.name):
        return parent
    return None


def discard_draft(draft_id: str, settings: Settings) -> None:
    """Delete a draft's folder and everything in it.

    Raises:
        NotFoundError: No such draft.

    """
    remove_tree(draft_folder(draft_id, settings))


def remove_stale_drafts(settings: Settings, older_than_s: float) -> list[str]:
    """Delete the drafts (and stalled uploads) untouched for more than ``older_than_s`` seconds.

    A folder counts as touched when it or anything directly in it changed, so an upload that is
    still arriving (its file growing) is never swept.

    Returns:
        The ids of the removed drafts.

    """
    root = staging_dir(settings)
    if not root.is_dir():
        return []
    cutoff = time.time() - older_than_s
    removed = []
    for entry in root.iterdir():
        if _last_touched(entry) < cutoff:
            if entry.is_dir():
                remove_tree(entry)
            else:
                entry.unlink(missing_ok=True)
            removed.append(entry.name)
    return removed


def _last_touched(entry: Path) -> float:
    """Newest modification time of an entry and, for a folder, of what it holds directly."""
    try:
        times = [entry.stat().st_mtime]
        if entry.is_dir():
            times.extend(child.stat().st_mtime for child in entry.iterdir())
    except OSError:
        return time.time()  # changing under us: in use
    return max(times)


def remove_tree(path: Path) -> None:
    """Delete a folder and all it holds, if it exists."""
    shutil.rmtree(path, ignore_errors=True)


def is_inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` (resolved) lies strictly inside ``folder``."""
    return path.resolve().is_relative_to(folder.resolve()) and path.resolve() != folder.resolve()
