"""The sandbox bundle's size: what a frame downloads, gzip-compressed as a server would send it."""

from __future__ import annotations

import gzip
from pathlib import Path

from plotwise.errors import BenchError

SUFFIXES = (".js", ".css")
"""Files of the built sandbox that count: its scripts and style sheets."""


def gzip_size(path: Path) -> int:
    """Bytes of ``path``'s content after gzip at level 9 (what Vite's build report shows)."""
    return len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))


def bundle_sizes(dist: Path) -> dict[str, int]:
    """Gzip size of every script and style sheet under ``dist``, by path relative to it.

    Args:
        dist: The built sandbox (``sandbox/dist``, Settings.sandbox_dist).

    Returns:
        ``{"assets/index-abc.js": 369880, ...}`` in bytes, sorted by path.

    Raises:
        BenchError: ``dist`` holds no scripts (the sandbox is not built: ``make build``).

    """
    sizes = {
        str(path.relative_to(dist)): gzip_size(path)
        for path in sorted(dist.rglob("*"))
        if path.is_file() and path.suffix in SUFFIXES
    }
    if not any(name.endswith(".js") for name in sizes):
        raise BenchError(f"no built sandbox scripts under {dist} (run make build)")
    return sizes
