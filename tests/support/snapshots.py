"""Snapshot files for tests: text compared with a committed file, rewritten on request."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

UPDATE_VARIABLE = "PLOTWISE_UPDATE_SNAPSHOTS"
"""Set to ``1`` to write the snapshots instead of comparing with them."""


def assert_matches_snapshot(text: str, path: Path) -> None:
    """Fail with a unified diff unless ``text`` equals the snapshot file at ``path``.

    With ``PLOTWISE_UPDATE_SNAPSHOTS=1`` the file is (re)written with ``text`` and the check
    passes. Files hold the text plus one final newline, UTF-8, ``\\n`` line ends.

    Args:
        text: The rendered text, without a final newline.
        path: The snapshot file, e.g. ``tests/snapshots/prompts/penguins.md``.

    """
    expected_text = text + "\n"
    if os.environ.get(UPDATE_VARIABLE) == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(expected_text, encoding="utf-8", newline="\n")
        return
    hint = f"re-run with {UPDATE_VARIABLE}=1 to rewrite it, then review the change"
    if not path.is_file():
        pytest.fail(f"snapshot {path} does not exist; {hint}", pytrace=False)
    committed = path.read_text(encoding="utf-8")
    if committed == expected_text:
        return
    diff = "".join(
        difflib.unified_diff(
            committed.splitlines(keepends=True),
            expected_text.splitlines(keepends=True),
            fromfile=f"{path.name} (committed)",
            tofile=f"{path.name} (rendered)",
        )
    )
    pytest.fail(f"{path} differs from the rendered text; {hint}\n{diff}", pytrace=False)
