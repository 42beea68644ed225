"""Uploaded files: inspect one into a reviewed `UploadDraft`, then commit it as Parquet.

Only this layer lives here; registering the Parquet file in the catalog, the HTTP API and the
review UI build on it.
"""

from plotwise.uploads.commit import commit_upload
from plotwise.uploads.formulas import escape_formula, looks_like_formula
from plotwise.uploads.inspect import UploadColumn, UploadDraft, inspect_upload

__all__ = [
    "UploadColumn",
    "UploadDraft",
    "commit_upload",
    "escape_formula",
    "inspect_upload",
    "looks_like_formula",
]
