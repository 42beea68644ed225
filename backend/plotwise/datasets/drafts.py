"""Uploads awaiting review, as the dataset manager uses them.

The staging area itself (one folder per draft under ``<data dir>/uploads/.staging/``, the
draft's JSON beside the file) belongs to `plotwise.uploads.staging` and
`plotwise.uploads.draft`; this module only fixes how long a draft may wait.
"""

from __future__ import annotations

from plotwise.settings import Settings
from plotwise.uploads.staging import remove_stale_drafts

MAX_DRAFT_AGE_S = 3600.0
"""A draft (or an upload still arriving) untouched for this long is removed."""


def sweep_drafts(settings: Settings) -> list[str]:
    """Remove drafts untouched for `MAX_DRAFT_AGE_S`; return their ids."""
    return remove_stale_drafts(settings, MAX_DRAFT_AGE_S)
