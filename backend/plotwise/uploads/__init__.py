"""Uploaded files: receive one, inspect it into a reviewed `UploadDraft`, commit it as Parquet.

The flow: `receive_form_upload` (a multipart body) or `receive_upload` (the file's bytes)
streams the upload into ``<data dir>/uploads/.staging/<draft_id>/``, the size limit enforced
chunk by chunk; `inspect_upload` checks and reads the file (format from content, compressed
bombs stopped, malformed text refused naming the line, types inferred by a locked-down DuckDB)
into a draft kept in that folder (`load_draft`); `commit_upload` writes the reviewed table as
``<data dir>/uploads/<dataset>/<table>.parquet`` atomically and removes the folder
(`discard_draft` removes it without committing). Registering the Parquet file in the catalog,
the HTTP API and the review UI build on this package.
"""

from plotwise.uploads.commit import commit_upload
from plotwise.uploads.draft import UploadColumn, UploadDraft, load_draft
from plotwise.uploads.formats import Format
from plotwise.uploads.formulas import escape_formula, escape_formula_array, looks_like_formula
from plotwise.uploads.inspect import inspect_upload
from plotwise.uploads.receive import receive_form_upload, receive_upload
from plotwise.uploads.staging import discard_draft, remove_stale_drafts

__all__ = [
    "Format",
    "UploadColumn",
    "UploadDraft",
    "commit_upload",
    "discard_draft",
    "escape_formula",
    "escape_formula_array",
    "inspect_upload",
    "load_draft",
    "looks_like_formula",
    "receive_form_upload",
    "receive_upload",
    "remove_stale_drafts",
]
