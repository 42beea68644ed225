"""Filters the local analyst reads from a question: known values, months, comparisons.

"from JFK" becomes a filter on the column that holds ``JFK`` (the preposition picks between
origin and destination), "in July" one on the month, "longer than 2000 miles" one on distance.
A duration is converted to the column's unit: "delayed more than 3 hours" on a delay in minutes
is ``dep_delay > 180``. A bare "delayed" or "late" means the column the definition calls
"delayed" (the departure delay), unless the question speaks of arriving ("arrived more than an
hour late", "delayed on arrival"): then the one it calls "arrival delay".
"""

from __future__ import annotations

import re

from plotwise.local.lexicon import FieldRef, Lexicon, Match, Token, prefer, tokenize
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
DURATION_MINUTES = {
    "minute": 1,
    "minutes": 1,
    "min": 1,
    "mins": 1,
    "hour": 60,
    "hours": 60,
    "hr": 60,
    "hrs": 60,
    "day": 1440,
    "days": 1440,
}
"""Duration words after a number (and column units), in minutes."""
DELAY_WORDS = frozenset({"delay", "delays", "delayed", "late"})
"""Words that name a delay without saying which one."""
ARRIVAL_WORDS = frozenset({"arrive", "arrives", "arrived", "arriving", "arrival", "arrivals"})
"""Words that make a bare "delayed" mean the arrival delay."""


class FilterReading:
    """A question read against a dataset's vocabulary, with the filters it states.

    Attributes:
        question: The question as typed.
        lex: The dataset's vocabulary.
        tokens: The question's words (a thousands separator does not split a number).
        words: The tokens' lower-cased text.
        matches: Phrases of the vocabulary found in the tokens, in question order.
        used: Indexes into ``matches`` already given a meaning.
        unread_comparisons: Comparisons `_comparisons` found no column for, as typed.

    """

    def __init__(self, question: str, lexicon: Lexicon) -> None:
        self.question = question
        self.lex = lexicon
        # "300,000" is one number, not two.
        self.tokens: list[Token] = tokenize(re.sub(r"(?<=\d),(?=\d{3}\b)", "", question))
        self.words = [t.text for t in self.tokens]
        self.matches: list[Match] = lexicon.match(self.tokens)
        self.used: set[int] = set()
        self.unread_comparisons: list[str] = []

    def _listed_table(self) -> str | None:
        """The first table the question names, by a row noun ("flights") or by its name."""
        for m in self.matches:
            ref = prefer(m.refs, kinds={"rows"})
            if ref is not None:
                return ref.table
        for word in self.words:
            if word in self.lex.definition.tables:
                return word
        return None

    def _resolve(self, ref: FieldRef, table: str, plan: Plan) -> FieldRef | None:
        """Map a field onto the plan's table: the same name there, or a join to its table."""
        if ref.table == table:
            return ref
        same = self.lex.fields.get((table, ref.name))
        if same is not None and same.kind == ref.kind:
            return same
        path = self.lex.join_path(table, ref.table, self._mentioned_tables())
        if path is None:
            return None
        for source, left, target, right in path:
            plan.joins.setdefault(target, (source, left, right))
        return ref

    def _mentioned_tables(self) -> set[str]:
        """Tables the question names, by a row noun or a column of theirs."""
        return {ref.table for m in self.matches for ref in m.refs}

    def _comparisons(self) -> list[tuple[FieldRef, str, int | float, str]]:
        """Comparisons with a number: (column, operator, value in the column's unit, label).

        Comparisons no column was found for are kept, as typed, in ``unread_comparisons``.
        """
        found = []
        self.unread_comparisons = []
        for i in range(len(self.words) - 1):
            op, at = _comparison_at(self.words, i)
            if op is None or at >= len(self.words) or not _is_number(self.words[at]):
                continue
            compared = self._compared(i, at)
            if compared is None:
                self.unread_comparisons.append(" ".join(t.raw for t in self.tokens[i : at + 2]))
                continue
            ref, value = compared
            unit = f" {ref.unit}" if ref.unit else ""
            found.append((ref, op, value, f"{ref.name} {op} {value:g}{unit}"))
        return found

    def _compared(self, i: int, at: int) -> tuple[FieldRef, int | float] | None:
        """The column a comparison at ``words[i]`` with its number at ``words[at]`` is about.

        The measure named just before or at the comparison ("delayed more than", "longer
        than"), else right after its number ("over 2000 miles"), else the delay a trailing
        "late" names ("2 hours late"). Returns the column and the number in its unit, and marks
        the matches read (the column's, a duration word's) as used.
        """
        number = _number(self.words[at])
        unit_word = self.words[at + 1] if at + 1 < len(self.words) else ""
        after = at + (2 if unit_word in DURATION_MINUTES else 1)
        chosen: tuple[int | None, FieldRef] | None = None
        for idx, m in enumerate(self.matches):
            if idx in self.used or not (m.start <= i < m.end or m.end in (i, i - 1)):
                continue
            ref = prefer(m.refs, kinds={"column"}, roles={"measure"})
            if ref is not None:
                chosen = (idx, ref)
                break
        if chosen is None:
            chosen = self._match_at(at + 1, roles={"measure"})
        if chosen is None and after < len(self.words) and self.words[after] in DELAY_WORDS:
            ref = prefer(self.lex.phrases.get(("delayed",), ()), kinds={"column"})
            chosen = (None, ref) if ref is not None else None
        if chosen is None:
            return None
        idx, ref = chosen
        if idx is None or all(w in DELAY_WORDS for w in self._match_words(idx)):
            ref = self._arrival_delay() or ref
        if idx is not None:
            self.used.add(idx)
        if unit_word in DURATION_MINUTES and ref.unit in DURATION_MINUTES:
            unit_match = self._match_at(at + 1, roles=None)
            if unit_match is not None:
                # "hours" names the hour column too: here it is a unit, not a grouping.
                self.used.add(unit_match[0])
            minutes = number * DURATION_MINUTES[unit_word] / DURATION_MINUTES[ref.unit]
            number = int(minutes) if float(minutes).is_integer() else minutes
        return ref, number

    def _match_at(self, start: int, roles: set[str] | None) -> tuple[int, FieldRef] | None:
        """The unused match starting at token ``start`` that is a column (of ``roles``)."""
        for idx, m in enumerate(self.matches):
            if m.start == start and idx not in self.used:
                ref = prefer(m.refs, kinds={"column"}, roles=roles)
                if ref is not None:
                    return idx, ref
        return None

    def _match_words(self, idx: int) -> list[str]:
        m = self.matches[idx]
        return self.words[m.start : m.end]

    def _arrival_delay(self) -> FieldRef | None:
        """The arrival delay column, if the question speaks of arriving outside a phrase."""
        covered = {i for m in self.matches for i in range(m.start, m.end)}
        if not any(t.text in ARRIVAL_WORDS and t.index not in covered for t in self.tokens):
            return None
        return prefer(self.lex.phrases.get(("arrival", "delay"), ()), kinds={"column"})

    def is_value(self, raw: str) -> bool:
        """True for a word read as a value of the data ("JFK"), never for "5" or "a"."""
        # Numbers are limits or comparisons ("top 5", "more than 60"), never codes.
        return bool(self.lex.values.get(raw)) and len(raw) >= 2 and any(c.isalpha() for c in raw)

    def _value_filters(self, plan: Plan) -> list[Filter]:
        filters = []
        for token in self.tokens:
            if not self.is_value(token.raw):
                continue
            refs = self.lex.values[token.raw]
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
