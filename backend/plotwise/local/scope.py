"""What the local analyst will not answer: writes, and questions about things not in the data.

A wrong chart is worse than no chart: a question that asks to change data, or that names
something the dataset does not know ("flights to Boston" when destinations are airport codes),
is refused with an explanation instead of being answered without the part it did not understand.
"""

from __future__ import annotations

from plotwise.local.filters import MONTHS
from plotwise.local.lexicon import Lexicon, Match, Token

WRITE_VERBS = frozenset(
    {
        "delete",
        "drop",
        "remove",
        "update",
        "insert",
        "truncate",
        "alter",
        "create",
        "modify",
        "erase",
        "wipe",
        "overwrite",
        "rename",
        "replace",
        "set",
    }
)
"""Verbs that ask for a change; the analyst only reads."""

FILTER_PREPOSITIONS = frozenset({"from", "to", "at", "into", "via"})
"""Words after which a value is expected ("from JFK", "to LAX")."""

KNOWN_WORDS = frozenset(
    {
        "i",
        "the",
        "a",
        "an",
        "all",
        "each",
        "every",
        "any",
        "dataset",
        "data",
        "table",
        "tables",
        "month",
        "months",
        "year",
        "years",
        "day",
        "days",
        "week",
        "weeks",
        "quarter",
        "quarters",
        "hour",
        "hours",
        "total",
        "average",
        "count",
        "number",
        "top",
        "bottom",
        "first",
        "last",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "show",
        "list",
        "what",
        "which",
        "how",
        "who",
        "where",
        "when",
        "least",
        "most",
        "csv",
        "parquet",
        "export",
        "download",
    }
) | frozenset(MONTHS)
"""Words that may be capitalised or follow a preposition without naming a value ("at least",
file formats: "Export flights to LAX as CSV")."""


class OutOfScope(Exception):
    """The question is outside what the local analyst can answer; the message says why."""


def check_scope(tokens: list[Token], matches: list[Match], lexicon: Lexicon) -> None:
    """Refuse questions that ask for writes or name things the dataset does not hold.

    Raises:
        OutOfScope: with a plain explanation for the analyst.

    """
    for token in tokens:
        if token.text in WRITE_VERBS and (token.index == 0 or token.raw[0].isupper()):
            raise OutOfScope(
                f"I only read data: I can't {token.text} anything. Ask a question about the "
                "data instead."
            )
    covered = {i for m in matches for i in range(m.start, m.end)}
    for token in tokens:
        if token.index in covered or token.raw in lexicon.values or token.text in KNOWN_WORDS:
            continue
        if any(c.isdigit() for c in token.raw):
            continue
        previous = tokens[token.index - 1].text if token.index else ""
        proper_noun = token.index > 0 and token.raw[0].isupper()
        if proper_noun or previous in FILTER_PREPOSITIONS:
            raise OutOfScope(
                f"I don't know what “{token.raw}” refers to in the {lexicon.definition.title} "
                "data, so I can't answer that without guessing."
            )
