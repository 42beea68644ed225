"""Uploads awaiting review: one staging folder per draft, its inspection saved beside the file.

A draft's id is its staging folder's name (``<data dir>/uploads/.staging/<draft_id>/``). The
folder holds the uploaded (or expanded) file and ``draft.json``, the `UploadDraft` the review
shows, so a commit or a discard finds it by id, in any process. Drafts older than
`MAX_DRAFT_AGE_S` are swept at start and on every new upload.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

from pydantic import BaseModel

from plotwise.data.files import write_text_atomically
from plotwise.errors import NotFoundError
from plotwise.settings import Settings
from plotwise.uploads import UploadDraft
from plotwise.uploads.inspect import STAGING_SUBDIR, UPLOADS_SUBDIR

MAX_DRAFT_AGE_S = 3600.0
"""A draft (or an upload still arriving) untouched for this long is removed."""

DRAFT_FILE = "draft.json"
SOURCE_FILE = "source"
"""The uploaded file, moved into its draft's folder when it was not expanded there."""

_DRAFT_ID = re.compile(r"[0-9a-f]{32}")


class _Stored(BaseModel):
    """What ``draft.json`` holds."""

    draft: UploadDraft
    size_bytes: int


class Drafts:
    """The staging folder of uploads awaiting review."""

    def __init__(self, settings: Settings) -> None:
        self.root = settings.resolved_data_dir() / UPLOADS_SUBDIR / STAGING_SUBDIR

    def adopt(self, received: Path, draft: UploadDraft, size_bytes: int) -> str:
        """Keep an inspected upload as a draft; the received file's own folder goes.

        Args:
            received: The file as it arrived (`plotwise.uploads.receive.receive_upload`).
            draft: Its inspection; ``draft.staging`` is the draft's folder.
            size_bytes: The upload's size, shown in the review.

        Returns:
            The draft id.

        """
        if draft.source == received:
            target = draft.staging / SOURCE_FILE
            os.replace(received, target)
            draft = draft.model_copy(update={"source": target})
        self.drop_received(received)
        write_text_atomically(
            draft.staging / DRAFT_FILE,
            _Stored(draft=draft, size_bytes=size_bytes).model_dump_json(),
        )
        return draft.staging.name

    def drop_received(self, received: Path) -> None:
        """Remove a received file and its folder (when that folder is its own, in staging)."""
        received.unlink(missing_ok=True)
        if received.parent.parent == self.root:
            shutil.rmtree(received.parent, ignore_errors=True)

    def load(self, draft_id: str) -> tuple[UploadDraft, int]:
        """The draft and its upload's size in bytes.

        Raises:
            NotFoundError: No draft has that id (never made, committed, discarded or swept).

        """
        path = self._folder(draft_id) / DRAFT_FILE
        try:
            stored = _Stored.model_validate_json(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise NotFoundError(
                f"draft {draft_id!r} does not exist (committed, discarded, or older than an "
                "hour); upload the file again"
            ) from error
        return stored.draft, stored.size_bytes

    def discard(self, draft_id: str) -> None:
        """Remove the draft's folder.

        Raises:
            NotFoundError: No draft has that id.

        """
        self.load(draft_id)
        shutil.rmtree(self._folder(draft_id), ignore_errors=True)

    def sweep(self, max_age_s: float = MAX_DRAFT_AGE_S) -> list[str]:
        """Remove drafts (and stalled uploads) untouched for ``max_age_s``; return their ids."""
        if not self.root.is_dir():
            return []
        cutoff = time.time() - max_age_s
        swept = []
        for entry in self.root.iterdir():
            if _last_touched(entry) < cutoff:
                if entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)
                swept.append(entry.name)
        return swept

    def _folder(self, draft_id: str) -> Path:
        if not _DRAFT_ID.fullmatch(draft_id):
            raise NotFoundError(f"draft {draft_id!r} does not exist")
        return self.root / draft_id


def _last_touched(entry: Path) -> float:
    """Newest modification time of an entry and, for a folder, of what it holds directly."""
    try:
        times = [entry.stat().st_mtime]
        if entry.is_dir():
            times.extend(child.stat().st_mtime for child in entry.iterdir())
    except OSError:
        return time.time()  # changing under us: in use
    return max(times)
