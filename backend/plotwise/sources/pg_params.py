"""``$name`` query parameters as server-side PostgreSQL parameters, never spliced into the SQL.

The guard validates the SQL as written (``WHERE origin = $origin``). `server_query` then swaps
each ``$name`` for psycopg's ``%(name)s`` placeholder, by the positions of the tokens the
PostgreSQL tokenizer found, and doubles every other ``%`` (psycopg reads ``%`` anywhere in the
text, string literals and comments included). psycopg sends the values apart from the SQL (the
extended protocol), so a value is never parsed as SQL. A ``$`` inside a string, a dollar-quoted
string or a comment is not a parameter token and stays as it is.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from sqlglot import exp
from sqlglot.dialects import Dialect
from sqlglot.tokens import TokenType

from plotwise.errors import SQLRefusedError

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def server_query(sql: str, tree: exp.Expression, names: Collection[str]) -> str:
    """Return ``sql`` with its ``$name`` parameters as ``%(name)s`` and other ``%`` doubled.

    Args:
        sql: The SQL as the guard validated it (PostgreSQL dialect).
        tree: The guard's parse of it.
        names: The declared parameter names (the guard checked the SQL uses exactly these).

    Returns:
        The SQL to pass to psycopg together with a ``{name: value}`` mapping.

    Raises:
        SQLRefusedError: A parameter is not written as one token pair ``$name`` (e.g. ``$ x``),
            so it could not be bound (rule ``parameters``).

    """
    declared = set(names)
    tokens = Dialect.get_or_raise("postgres").tokenize(sql)
    spans: list[tuple[int, int, str]] = []
    for token, following in zip(tokens, tokens[1:], strict=False):
        if (
            token.token_type == TokenType.PARAMETER
            and token.text == "$"
            and following.start == token.end + 1
            and _NAME.fullmatch(following.text)
            and following.text in declared
        ):
            spans.append((token.start, following.end + 1, following.text))
    expected = sum(1 for _ in tree.find_all(exp.Parameter, exp.Placeholder))
    if len(spans) != expected:
        raise SQLRefusedError("parameters", "write each parameter as $name, with no space after $")
    pieces: list[str] = []
    at = 0
    for start, end, name in spans:
        pieces.append(sql[at:start].replace("%", "%%"))
        pieces.append(f"%({name})s")
        at = end
    pieces.append(sql[at:].replace("%", "%%"))
    return "".join(pieces)
