"""Filters the local analyst reads from a question: known values, months, comparisons.

"from JFK" becomes a filter on the column that holds ``JFK`` (the preposition picks between
origin and destination), "in July" one on the month, "longer than 2000 miles" one on distance.
"""

from __future__ import annotations

import re

from plotwise.local.lexicon import FieldRef, Lexicon, Match, Token, prefer
from plotwise.local.plan import Filter, Plan
from plotwise.local.timegrains import month_dimension

MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
COMPARISONS_THAN = {
    ">": {"more", "greater", "longer", "higher", "bigger", "larger", "later", "heavier"},
    "<": {"less", "fewer", "shorter", "lower", "smaller", "earlier", "lighter"},
}
"""Comparatives read with "than": "longer than 2000 miles"."""
COMPARISONS_BARE = {"over": ">", "above": ">", "exceeding": ">", "under": "<", "below": "<"}
"""Words that compare on their own: "over 210 mm"."""
FROM_HINTS = ("origin", "from", "departure")
TO_HINTS = ("dest", "destination", "to", "arrival")


class FilterReading:
    """Filter reading for the planner's reader (it provides the attributes used here)."""

    lex: Lexicon
    tokens: list[Token]
    words: list[str]
    matches: list[Match]
    used: set[int]

    def _resolve(self, ref: FieldRef, table: str, plan: Plan) -> FieldRef | None:
        raise NotImplementedError

    def _comparisons(self) -> list[tuple[FieldRef, str, int | float, str]]:
        found = []
        for i in range(len(self.words) - 1):
            op, at = _comparison_at(self.words, i)
            if op is None or at >= len(self.words) or not _is_number(self.words[at]):
                continue
            value = _number(self.words[at])
            candidates = [
                (idx, m)
                for idx, m in enumerate(self.matches)
                if idx not in self.used and (m.start <= i < m.end or m.end in (i, i - 1))
            ]
            for idx, m in candidates:
                ref = prefer(m.refs, kinds={"column"}, roles={"measure"})
                if ref is not None:
                    self.used.add(idx)
                    unit = f" {ref.unit}" if ref.unit else ""
                    found.append((ref, op, value, f"{ref.name} {op} {value:g}{unit}"))
                    break
        return found

    def _value_filters(self, plan: Plan) -> list[Filter]:
        filters = []
        for token in self.tokens:
            refs = self.lex.values.get(token.raw)
            # Numbers are limits or comparisons ("top 5", "more than 60"), never codes.
            if not refs or len(token.raw) < 2 or not any(c.isalpha() for c in token.raw):
                continue
            prev = self.words[token.index - 1] if token.index else ""
            ordered = sorted(refs, key=lambda r: _hint_score(r, prev), reverse=True)
            for ref in ordered:
                resolved = self._resolve(ref, plan.table, plan)
                if resolved is not None and resolved not in plan.dimensions:
                    filters.append(Filter(resolved, "=", token.raw, f"{ref.name} = {token.raw}"))
                    break
        return filters

    def _month_filters(self, plan: Plan) -> list[Filter]:
        month = month_dimension(self.lex, plan.table)
        if month is None or month in plan.dimensions:
            return []
        filters = []
        for i, word in enumerate(self.words):
            if word in MONTHS and (
                word != "may" or (i and self.words[i - 1] in {"in", "of", "during"})
            ):
                filters.append(
                    Filter(month, "=", MONTHS.index(word) + 1, f"month = {word.title()}")
                )
        return filters[:1]

    # --- ordering ------------------------------------------------------------------------


def _comparison_at(words: list[str], i: int) -> tuple[str | None, int]:
    """The operator a comparison starting at ``words[i]`` means, and where its number is."""
    word, after = words[i], words[i + 1]
    for op, comparatives in COMPARISONS_THAN.items():
        if word in comparatives and after == "than":
            return op, i + 2
    if word in COMPARISONS_BARE:
        return COMPARISONS_BARE[word], i + 1
    if word == "at" and after in ("least", "most"):
        return (">=" if after == "least" else "<="), i + 2
    return None, i


def _hint_score(ref: FieldRef, previous_word: str) -> int:
    text = " ".join((ref.name, *ref.synonyms))
    if previous_word in {"from", "at", "out"}:
        return sum(h in text for h in FROM_HINTS)
    if previous_word in {"to", "into", "for"}:
        return sum(h in text for h in TO_HINTS)
    return 0


def _is_number(word: str) -> bool:
    return re.fullmatch(r"\d+(\.\d+)?", word) is not None


def _number(word: str) -> int | float:
    return float(word) if "." in word else int(word)
