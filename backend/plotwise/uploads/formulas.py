"""Cells a spreadsheet would run as a formula (CSV injection), and their escape for CSV exports.

Follows OWASP's guidance on CSV injection (https://owasp.org/www-community/attacks/CSV_Injection):
a text cell starting with ``=``, ``+``, ``-``, ``@``, tab (0x09), carriage return (0x0D) or line
feed (0x0A) is prefixed with a single quote, so Excel, LibreOffice Calc and Google Sheets show it
as text instead of evaluating it (``=cmd|' /C calc'!A0`` would start a program through DDE).
Quoting of fields (RFC 4180) stays the CSV writer's job. Only text cells are escaped: a number
such as -5 is written as a number and is no formula.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
"""First characters that make a spreadsheet read a cell as a formula (OWASP's list)."""

_FORMULA_START = r"^[=+\-@\t\r\n]"
"""`FORMULA_PREFIXES` as a regular expression (RE2, for Arrow's compute kernels)."""


def looks_like_formula(text: str) -> bool:
    """Whether a text cell would be run as a formula when a spreadsheet opens it."""
    return text.startswith(FORMULA_PREFIXES)


def escape_formula(text: str) -> str:
    """Return a cell's text safe to write into a CSV export: a leading ``'`` defuses a formula.

    Args:
        text: The cell's value as text.

    Returns:
        ``text`` unchanged, or with a ``'`` in front when it `looks_like_formula`
        (``=1+1`` gives ``'=1+1``), as OWASP's CSV injection guidance says.

    """
    return f"'{text}" if looks_like_formula(text) else text


def escape_formula_array(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """`escape_formula` applied to every cell of an Arrow text column (nulls stay null).

    Args:
        values: A ``string`` or ``large_string`` column.

    Returns:
        The column, same type and length, with formula-looking cells prefixed by ``'``.

    """
    starts = pc.match_substring_regex(values, _FORMULA_START)
    quote, separator = pa.scalar("'", values.type), pa.scalar("", values.type)
    quoted = pc.binary_join_element_wise(quote, values, separator)
    return pc.if_else(starts, quoted, values)
