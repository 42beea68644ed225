"""Question → `Plan`: the local analyst's reading of an everyday aggregate question.

It understands a measure with its aggregate ("average departure delay", "number of flights",
"how many distinct destinations"), group-by dimensions and time grains ("by carrier", "monthly",
"per hour of the day", joined ones such as "by airline name"), filters (a known value such as
"from JFK", a month such as "in July", a comparison such as "longer than 2000 miles") and
ordering ("top 5", "which carrier ... the most", "lowest first"). Anything else raises
`PlanningError` with a plain explanation.
"""

from __future__ import annotations

import re

from plotwise.local.filters import FilterReading
from plotwise.local.lexicon import FieldRef, Lexicon, Match, prefer
from plotwise.local.parameters import parameterize
from plotwise.local.plan import AGG_ALIAS, AGG_LABEL, Aggregate, Filter, Measure, Plan
from plotwise.local.scope import OutOfScope, check_scope
from plotwise.local.timegrains import GRAIN_WORDS, date_filters, grain_dimension

AGG_WORDS: dict[str, Aggregate] = {
    "average": "avg",
    "avg": "avg",
    "mean": "avg",
    "total": "sum",
    "sum": "sum",
    "maximum": "max",
    "max": "max",
    "minimum": "min",
    "min": "min",
    "median": "median",
    "distinct": "count_distinct",
    "unique": "count_distinct",
    "different": "count_distinct",
}
COUNT_PHRASES = (("how", "many"), ("number", "of"), ("count", "of"), ("count",), ("amount", "of"))
SUPERLATIVE_DESC = {
    "most",
    "highest",
    "largest",
    "biggest",
    "longest",
    "greatest",
    "top",
    "busiest",
}
SUPERLATIVE_ASC = {"least", "fewest", "lowest", "smallest", "shortest", "bottom"}
EXTREMUM_AGG: dict[str, Aggregate] = {
    "highest": "max",
    "largest": "max",
    "biggest": "max",
    "longest": "max",
    "greatest": "max",
    "lowest": "min",
    "smallest": "min",
    "shortest": "min",
}
SHARE_WORDS = {"share", "percentage", "percent", "proportion", "fraction"}
GROUP_WORDS = {"by", "per", "each", "every", "across", "which", "what"}


class PlanningError(Exception):
    """The question is outside what the local analyst can read; the message says why."""


def plan_question(question: str, lexicon: Lexicon) -> Plan:
    """Plan one SQL query that answers ``question``.

    Args:
        question: What the analyst typed.
        lexicon: The dataset's vocabulary.

    Returns:
        A plan whose ``to_sql()`` is the query.

    Raises:
        PlanningError: No measure or dimension of the dataset could be recognised.

    """
    reader = _Reader(question, lexicon)
    return reader.plan()


class _Reader(FilterReading):
    def plan(self) -> Plan:
        try:
            check_scope(self.tokens, self.matches, self.lex)
        except OutOfScope as exc:
            raise PlanningError(f"{exc} {_suggestions(self.lex)}") from exc
        comparisons = self._comparisons()
        measure, table = self._measure()
        dimensions = self._dimensions(table)
        if measure is None and not dimensions:
            listed = self._listed_table()
            if listed is None:
                raise PlanningError(_cannot_read(self.question, self.lex))
            return Plan(table=listed, measure=None)
        if table is None:
            table = self._table_of(dimensions)
        if measure is None:
            measure = _count_rows(table)
        if SHARE_WORDS & set(self.words) and measure.agg == "count":
            measure = Measure("share", measure.ref, "share_pct", f"share of {measure.label} (%)")
        plan = Plan(table=table, measure=measure)
        for ref in dimensions:
            ref = self._resolve(ref, table, plan)
            if ref is not None and ref not in plan.dimensions:
                plan.dimensions.append(ref)
        if measure.agg != "count" and measure.ref is not None and measure.ref.table != table:
            raise PlanningError(f"I can't combine {measure.label} with that grouping.")
        for ref, op, value, label in comparisons:
            resolved = self._resolve(ref, table, plan)
            if resolved is not None:
                plan.filters.append(Filter(resolved, op, value, label))
        plan.filters.extend(self._value_filters(plan))
        plan.filters.extend(self._month_filters(plan))
        plan.filters.extend(
            f
            for f in date_filters(self.question, self.lex, plan.table)
            if f.ref not in plan.dimensions
        )
        parameterize(plan, self.lex)
        self._ordering(plan)
        return plan

    # --- measure -------------------------------------------------------------------------
    def _measure(self) -> tuple[Measure | None, str | None]:
        for i, word in enumerate(self.words):
            agg = AGG_WORDS.get(word)
            if agg is None or self._in_match(i):
                continue
            target = self._next_match(i, kinds={"column", "measure", "dimension", "rows"})
            if target is None:
                continue
            index, ref = target
            if agg == "count_distinct":
                if ref.kind in ("column", "dimension"):
                    self.used.add(index)
                    return _measure(agg, ref, self.words), ref.table
                continue
            if ref.kind == "column" and ref.role == "measure":
                self.used.add(index)
                return _measure(agg, ref, self.words), ref.table
        for start in range(len(self.words)):
            if any(tuple(self.words[start : start + len(p)]) == p for p in COUNT_PHRASES):
                counted = self._counted(start)
                if counted is not None:
                    return counted
        for index, m in enumerate(self.matches):
            ref = prefer(m.refs, kinds={"measure"})
            if ref is not None and index not in self.used:
                self.used.add(index)
                return _counting(ref), ref.table
        for index, m in enumerate(self.matches):
            ref = prefer(m.refs, kinds={"column"}, roles={"measure"})
            if ref is not None and index not in self.used and self._extremum_before(m.start):
                self.used.add(index)
                return _measure(self._extremum_before(m.start), ref, self.words), ref.table
        for index, m in enumerate(self.matches):
            ref = prefer(m.refs, kinds={"column"}, roles={"measure"})
            if ref is not None and index not in self.used:
                self.used.add(index)
                return _measure("avg", ref, self.words), ref.table
        for index, m in enumerate(self.matches):
            ref = prefer(m.refs, kinds={"rows"})
            if ref is not None and index not in self.used and self._has_group_word():
                self.used.add(index)
                return _counting(ref), ref.table
        return None, None

    def _counted(self, start: int) -> tuple[Measure, str] | None:
        """What "number of"/"how many" at ``start`` counts.

        A named measure that includes the phrase ("number of customers"), else the rows of a
        table, else the distinct values of a dimension ("how many species").
        """
        for index, m in enumerate(self.matches):
            ref = prefer(m.refs, kinds={"measure"})
            if ref is not None and m.start <= start < m.end and index not in self.used:
                self.used.add(index)
                return _counting(ref), ref.table
        target = self._next_match(start, kinds={"rows", "measure"})
        if target is not None:
            self.used.add(target[0])
            return _counting(target[1]), target[1].table
        target = self._next_match(start, kinds={"column"})
        if target is not None and target[1].role in ("dimension", "identifier"):
            self.used.add(target[0])
            return _measure("count_distinct", target[1], self.words), target[1].table
        return None

    def _extremum_before(self, start: int) -> Aggregate | None:
        for word in self.words[max(0, start - 2) : start]:
            if word in EXTREMUM_AGG and not self._grouped():
                return EXTREMUM_AGG[word]
        return None

    def _grouped(self) -> bool:
        return any(
            prefer(m.refs, kinds={"column", "dimension"}, roles={"dimension", "time"}) is not None
            and self._group_word_near(m.start)
            for m in self.matches
        )

    # --- dimensions ----------------------------------------------------------------------
    def _dimensions(self, table: str | None) -> list[FieldRef]:
        found: list[FieldRef] = []
        for index, m in enumerate(self.matches):
            if index in self.used:
                continue
            ref = prefer(
                m.refs, kinds={"column", "dimension"}, roles={"dimension", "time"}, table=table
            )
            if ref is None:
                ref = prefer(m.refs, kinds={"column"}, roles={"identifier"}, table=table)
                if ref is None or not self._group_word_near(m.start):
                    continue
            if (
                not self._group_word_near(m.start)
                and ref.role != "time"
                and m.start > 0
                and not self._starts_question(m.start)
                and not self._all_of(m)
            ):
                continue
            self.used.add(index)
            found.append(ref)
        found += self._grain_dimensions(table or self.lex.definition.default_table, found)
        return found[:2]

    def _grain_dimensions(self, table: str, found: list[FieldRef]) -> list[FieldRef]:
        """Grains named in words no definition matched: "per quarter", "yearly"."""
        covered = {i for m in self.matches for i in range(m.start, m.end)}
        grains = []
        for token in self.tokens:
            grain = GRAIN_WORDS.get(token.text)
            if grain is None or token.index in covered or not self._group_word_near(token.index):
                continue
            ref = grain_dimension(self.lex, table, grain)
            if ref is not None and ref not in found and ref not in grains:
                grains.append(ref)
        return grains

    def _group_word_near(self, start: int) -> bool:
        before = self.words[max(0, start - 4) : start]
        return (
            any(w in GROUP_WORDS for w in before)
            or re.match(r".*(ly)$", self.words[start]) is not None
        )

    def _all_of(self, m: Match) -> bool:
        """A dimension after "all" ("all carriers"), unless the phrase names a table's rows."""
        return (
            m.start > 0
            and self.words[m.start - 1] == "all"
            and prefer(m.refs, kinds={"rows"}) is None
        )

    def _starts_question(self, start: int) -> bool:
        return all(
            w in {"top", "bottom", "the", "which", "what"} or w.isdigit()
            for w in self.words[:start]
        )

    def _has_group_word(self) -> bool:
        return any(w in GROUP_WORDS for w in self.words)

    def _table_of(self, dimensions: list[FieldRef]) -> str:
        return dimensions[0].table if dimensions else self.lex.definition.default_table

    # --- filters -------------------------------------------------------------------------
    def _ordering(self, plan: Plan) -> None:
        text = " ".join(self.words)
        number = re.search(r"\b(?:top|bottom|first|which|what|the)\s+(\d+)\b", text)
        if number:
            plan.limit = int(number.group(1))
            plan.explicit_order = True
        if any(w in SUPERLATIVE_ASC for w in self.words) or re.search(
            r"\b(ascending|lowest first|smallest first)\b", text
        ):
            plan.descending = False
            plan.explicit_order = True
        elif any(w in SUPERLATIVE_DESC for w in self.words) or "descending" in self.words:
            plan.explicit_order = True
        if (
            plan.limit is None
            and plan.dimensions
            and re.search(r"\b(which|what)\b", text)
            and any(w in SUPERLATIVE_DESC | SUPERLATIVE_ASC for w in self.words)
        ):
            plan.limit = 1

    # --- helpers -------------------------------------------------------------------------
    def _in_match(self, i: int) -> bool:
        return any(m.start <= i < m.end for m in self.matches)

    def _next_match(self, i: int, kinds: set[str]) -> tuple[int, FieldRef] | None:
        for index, m in enumerate(self.matches):
            if m.start > i and index not in self.used and m.start - i <= 5:
                ref = prefer(m.refs, kinds=kinds)
                if ref is not None:
                    return index, ref
        return None


def _measure(agg: Aggregate, ref: FieldRef, words: list[str]) -> Measure:
    if agg == "count_distinct":
        return Measure(agg, ref, f"distinct_{ref.name}", f"distinct {_words(ref)}")
    unit = f" ({ref.unit})" if ref.unit and "HHMM" not in ref.unit else ""
    label = f"{AGG_LABEL[agg]} {_words(ref)}{unit}"
    return Measure(agg, ref, f"{AGG_ALIAS[agg]}_{ref.name}", label)


def _counting(ref: FieldRef) -> Measure:
    if ref.kind == "measure":
        return Measure("count", ref, ref.name, _words(ref))
    return _count_rows(ref.table)


def _count_rows(table: str) -> Measure:
    return Measure("count", None, table, f"number of {table}")


def _words(ref: FieldRef) -> str:
    return ref.synonyms[0] if ref.synonyms else ref.name.replace("_", " ")


def _suggestions(lexicon: Lexicon) -> str:
    """A few questions the analyst can ask about this dataset, built from its definition."""
    definition = lexicon.definition
    table = definition.tables[definition.default_table]
    dims = [n for n, c in table.columns.items() if c.role == "dimension"][:2]
    measures = [
        n
        for n, c in table.columns.items()
        if c.role == "measure" and c.unit and "HHMM" not in c.unit
    ][:1]
    noun = (
        definition.default_table
        if definition.default_table in table.row_nouns
        else (table.row_nouns[-1] if table.row_nouns else definition.default_table)
    )
    examples = [f"Number of {noun} by {d.replace('_', ' ')}" for d in dims]
    examples += [
        f"Average {m.replace('_', ' ')} by {dims[0].replace('_', ' ')}" for m in measures if dims
    ]
    return "You can ask, for example: " + "; ".join(f"“{e}”" for e in examples) + "."


def _cannot_read(question: str, lexicon: Lexicon) -> str:
    tables = ", ".join(lexicon.definition.tables)
    return (
        f'I could not match "{question}" to the {lexicon.definition.title} data. I answer '
        'aggregate questions such as "Number of flights by carrier", "Average departure delay '
        f'by month" or "Top 5 destinations by flights", over the tables {tables}.'
    )
