"""Cells that a spreadsheet would run as a formula (CSV injection), and their escape for export."""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make Excel, LibreOffice or Sheets read a cell as a formula (OWASP)."""


def looks_like_formula(text: str) -> bool:
    """Whether a text cell would be run as a formula when a spreadsheet opens it."""
    return text.startswith(FORMULA_PREFIXES)


def escape_formula(text: str) -> str:
    """Return a cell's text safe to write into a CSV export: a leading ``'`` defuses a formula.

    Args:
        text: The cell's value as text.

    Returns:
        ``text`` unchanged, or with a ``'`` in front when it `looks_like_formula`.

    """
    return f"'{text}" if looks_like_formula(text) else text
