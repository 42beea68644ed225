"""Export questions: rows to hand over as files, planned for a Spark job (``submit_spark``).

A question is an export when it says so ("export", "download", "dump", "as CSV", "as Parquet",
"all rows", "everything"), or when it asks for all the rows of a fact table ("list all flights
from JFK in January", "every flight with an arrival delay over 2 hours"). A fact table is one
that references other tables and that no table references (``flights``, ``weather``;
``lineitem``, ``partsupp``): the only tables whose rows may run far beyond the row cap. The
local analyst knows no row counts, so all the rows of a lookup table ("list all airports") and
of a dataset without relationships stay a listing through ``run_sql``, cut at the row cap; saying
"export" sends any of them to Spark.

An export lists the table's columns with the filters the planner reads (known values, months,
years, date ranges, numeric comparisons with units: "delayed more than 3 hours" is
``dep_delay > 180``, see `plotwise.local.filters` for which delay "delayed" means), sorted by the
table's date or timestamp column and its identifiers, or by what the question names ("sorted by
distance"). A comparison that names no column ("more than 2 hours" alone) is refused rather
than dropped: exporting more rows than asked is a wrong answer. Values are SQL literals, not
query parameters: ``submit_spark`` takes a query only.

A question that also aggregates ("export the number of flights by carrier as CSV") is planned
by `plotwise.local.planner` and exported as it is. Without an export word or format, an
aggregate, a count or a list over a dimension ("show all carriers") is no export.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from plotwise.local.filters import MONTHS, FilterReading
from plotwise.local.lexicon import FieldRef, Lexicon, prefer
from plotwise.local.plan import Filter, Plan
from plotwise.local.planner import (
    AGG_WORDS,
    COUNT_PHRASES,
    SHARE_WORDS,
    SUPERLATIVE_ASC,
    SUPERLATIVE_DESC,
    PlanningError,
    plan_question,
)
from plotwise.local.scope import OutOfScope, check_scope
from plotwise.local.timegrains import GRAIN_WORDS, date_filters

ExportFormat = Literal["parquet", "csv"]

EXPORT_WORDS = frozenset({"export", "exports", "download", "downloads", "dump", "extract"})
"""Verbs that ask for a file."""
FORMAT_WORDS: dict[str, ExportFormat] = {"csv": "csv", "parquet": "parquet"}
_ALL_ROWS = re.compile(
    r"\b(?:all|every|each|raw)(?: of)?(?: the)? rows?\b|\beverything\b"
    r"|\b(?:whole|entire|full|all)(?: of)?(?: the)? (?:data|dataset|table)\b"
)
"""Phrases asking for rows rather than an answer."""
QUANTIFIERS = frozenset({"all", "every"})
"""Words that, before a fact table's row noun, ask for all of its rows."""
FILLERS = frozenset({"the", "of", "our", "my", "a"})
GROUPING = frozenset({"by", "per", "each", "every", "all", "across"})
"""Words that, before a dimension, group by it ("by carrier", "all carriers")."""
SORTING = frozenset({"sorted", "sort", "ordered", "order"})
DESCENDING = frozenset({"descending", "desc", "decreasing"})


@dataclass(frozen=True)
class ExportPlan:
    """What an export question asks for: the query and the file format to offer first."""

    plan: Plan
    """The query; filters carry literal values, no query parameters."""
    output_format: ExportFormat
    """``csv`` when the question says CSV, else ``parquet``."""
    noun: str
    """What a row is, plural ("flights"); "rows" for an aggregate."""
    description: str
    """The filters in words ("from JFK with a departure delay over 3 hours"), or ""."""

    @property
    def sql(self) -> str:
        """The DuckDB SELECT statement to submit."""
        return self.plan.to_sql()

    @property
    def is_listing(self) -> bool:
        """True for rows of a table, False for an aggregate."""
        return self.plan.measure is None


def plan_export(question: str, lexicon: Lexicon) -> ExportPlan | None:
    """Plan an export for ``question``, or return None when it asks for no export.

    Args:
        question: What the analyst typed.
        lexicon: The dataset's vocabulary.

    Returns:
        The export plan, or None for a question to answer with ``run_sql``.

    Raises:
        PlanningError: An export that names something the data does not hold, no table, or a
            comparison without a column.

    """
    return _ExportReader(question, lexicon).plan()


def fact_tables(lexicon: Lexicon) -> set[str]:
    """Tables that reference others and that none references: the ones that grow."""
    relationships = lexicon.definition.relationships
    return {r.from_table for r in relationships} - {r.to_table for r in relationships}


class _ExportReader(FilterReading):
    def plan(self) -> ExportPlan | None:
        text = " ".join(self.words)
        explicit = (
            bool(EXPORT_WORDS & set(self.words))
            or bool(FORMAT_WORDS.keys() & set(self.words))
            or _ALL_ROWS.search(text) is not None
        )
        listed = self._quantified_table()
        aggregate = self._aggregates()
        if not explicit and (listed is None or aggregate):
            return None
        output_format = next((FORMAT_WORDS[w] for w in self.words if w in FORMAT_WORDS), "parquet")
        try:
            check_scope(self.tokens, self.matches, self.lex)
        except OutOfScope as exc:
            raise PlanningError(str(exc)) from exc
        if aggregate:
            plan = plan_question(_without_export_words(self.question), self.lex)
            # A job takes no query parameters: the values go into the SQL.
            plan.filters[:] = [replace(f, param=None) for f in plan.filters]
            return ExportPlan(plan, output_format, "rows", "")
        table = listed or self._named_table()
        if table is None:
            raise PlanningError(
                f'I could not tell which rows to export from "{self.question}". Name a table '
                f"({', '.join(self.lex.definition.tables)}), e.g. “Export all "
                f"{_plural(self.lex, self.lex.definition.default_table)} as CSV”."
            )
        plan = self._listing(table)
        return ExportPlan(
            plan, output_format, _plural(self.lex, table), describe(plan.filters, self.lex)
        )

    def _listing(self, table: str) -> Plan:
        definition = self.lex.definition.tables[table]
        plan = Plan(table=table, measure=None)
        plan.columns = [self.lex.fields[(table, name)] for name in definition.columns]
        for ref, op, value, label in self._comparisons():
            resolved = self._resolve(ref, table, plan)
            if resolved is None:
                raise PlanningError(_unrelated(label, table))
            plan.filters.append(Filter(resolved, op, value, label))  # type: ignore[arg-type]
        if self.unread_comparisons:
            raise PlanningError(
                f"I could not tell what “{self.unread_comparisons[0]}” compares, so I won't "
                "export rows without that filter. Name the column, e.g. “with an arrival delay "
                "over 2 hours”."
            )
        plan.filters.extend(self._value_filters(plan))
        filtered = {f.value for f in plan.filters}
        for token in self.tokens:
            if self.is_value(token.raw) and token.raw not in filtered:
                raise PlanningError(_unrelated(token.raw, table))
        plan.filters.extend(self._month_filters(plan))
        plan.filters.extend(date_filters(self.question, self.lex, table))
        plan.order = self._sort_keys(plan) or _default_order(self.lex, table)
        return plan

    # --- what the question asks for ------------------------------------------------------
    def _quantified_table(self) -> str | None:
        """The fact table whose rows "all"/"every" asks for ("all flights"), or None."""
        facts = fact_tables(self.lex)
        for i, word in enumerate(self.words):
            if word not in QUANTIFIERS:
                continue
            at = i + 1
            while at < len(self.words) and self.words[at] in FILLERS:
                at += 1
            table = self._table_at(at)
            if table in facts:
                return table
        return None

    def _named_table(self) -> str | None:
        """The first table the question names by a row noun or its name.

        The default table for "all rows" or "everything"; None when it names none.
        """
        listed = self._listed_table()
        if listed is not None:
            return listed
        if _ALL_ROWS.search(" ".join(self.words)):
            return self.lex.definition.default_table
        return None

    def _table_at(self, at: int) -> str | None:
        for m in self.matches:
            if m.start == at:
                ref = prefer(m.refs, kinds={"rows"})
                return ref.table if ref is not None else None
        if at < len(self.words) and self.words[at] in self.lex.definition.tables:
            return self.words[at]
        return None

    def _aggregates(self) -> bool:
        """True when the question computes something.

        An aggregate, a count, a ranking, or a grouping by a dimension ("by carrier", "all
        carriers").
        """
        words = self.words
        for i, word in enumerate(words):
            after_number = i > 0 and words[i - 1].replace(".", "").isdigit()
            if (word in AGG_WORDS or word in SHARE_WORDS) and not after_number:
                return True
            if word in SUPERLATIVE_DESC | SUPERLATIVE_ASC and (i == 0 or words[i - 1] != "at"):
                return True
            if any(tuple(words[i : i + len(p)]) == p for p in COUNT_PHRASES):
                return True
            sorting = i > 0 and words[i - 1] in SORTING
            if word in GROUPING and not sorting and self._dimension_at(i + 1):
                return True
        return False

    def _dimension_at(self, at: int) -> bool:
        while at < len(self.words) and self.words[at] in FILLERS - {"of"}:
            at += 1
        if at < len(self.words) and self.words[at] in GRAIN_WORDS:
            return True
        for m in self.matches:
            if m.start == at:
                roles = {"dimension", "time"}
                return prefer(m.refs, kinds={"column", "dimension"}, roles=roles) is not None
        return False

    def _sort_keys(self, plan: Plan) -> list[FieldRef]:
        """The column after "sorted by"/"ordered by", descending when the question says so."""
        for i, word in enumerate(self.words[:-1]):
            if word in SORTING and self.words[i + 1] == "by":
                for m in self.matches:
                    ref = prefer(m.refs, kinds={"column", "dimension"}, table=plan.table)
                    if m.start in (i + 2, i + 3) and ref is not None:
                        resolved = self._resolve(ref, plan.table, plan)
                        if resolved is not None:
                            plan.explicit_order = bool(DESCENDING & set(self.words))
                            return [resolved]
        return []


def _unrelated(what: str, table: str) -> str:
    return (
        f"I can't tell how “{what}” relates to the rows of {table}, so I won't export them "
        "without that filter."
    )


def _without_export_words(question: str) -> str:
    """The question as the planner reads it: "Export all carriers as CSV" → "all carriers"."""
    text = re.sub(
        r"\b(?:as|in|to|into)\s+(?:an?\s+)?(?:csv|parquet)(?:\s+(?:file|format))?\b",
        " ",
        question,
        flags=re.IGNORECASE,
    )
    pattern = r"\b(?:" + "|".join(sorted(EXPORT_WORDS | FORMAT_WORDS.keys())) + r")\b"
    return re.sub(r"\s+", " ", re.sub(pattern, " ", text, flags=re.IGNORECASE)).strip()


def _default_order(lexicon: Lexicon, table: str) -> list[FieldRef]:
    """The table's first date or timestamp column, then its identifiers."""
    columns = lexicon.definition.tables[table].columns
    time = [
        name
        for name, c in columns.items()
        if c.role == "time" and c.type.upper().startswith(("DATE", "TIMESTAMP"))
    ][:1]
    identifiers = [name for name, c in columns.items() if c.role == "identifier"]
    return [lexicon.fields[(table, name)] for name in time + identifiers]


def _plural(lexicon: Lexicon, table: str) -> str:
    nouns = lexicon.definition.tables[table].row_nouns
    return next((n for n in nouns if n.endswith("s")), table)


_OP_WORDS = {">": "over", "<": "under", ">=": "of at least", "<=": "of at most"}
_FROM_HINTS = ("origin", "departure airport", "from airport")
_TO_HINTS = ("dest", "destination", "arrival airport")


def describe(filters: list[Filter], lexicon: Lexicon) -> str:
    """The filters of a listing in words; "" without filters.

    For example "from JFK in January with a departure delay over 3 hours".
    """
    places: list[str] = []
    withs: list[str] = []
    for f in filters:
        ref, value = f.ref, f.value
        words = ref.synonyms[0] if ref.synonyms else ref.name.replace("_", " ")
        if f.op == "=" and ref.name == "month" and isinstance(value, int) and 1 <= value <= 12:
            places.append(f"in {MONTHS[value - 1].title()}")
        elif f.op == "=" and ref.name == "year" and isinstance(value, int):
            places.append(f"in {value}")
        elif f.op == "=" and isinstance(value, str) and not re.fullmatch(r"[\d-]+", value):
            hints = " ".join((ref.name, *ref.synonyms))
            if any(h in hints for h in _TO_HINTS):
                places.append(f"to {value}")
            elif any(h in hints for h in _FROM_HINTS):
                places.append(f"from {value}")
            else:
                withs.append(f"{words} {value}")
        elif f.op in _OP_WORDS and isinstance(value, int | float) and ref.kind == "column":
            article = "an" if words[0] in "aeiou" else "a"
            withs.append(f"{article} {words} {_OP_WORDS[f.op]} {_amount(value, ref.unit)}")
        else:
            places.append(f"where {f.label}")
    text = " ".join(places)
    if withs:
        text += (" " if text else "") + "with " + " and ".join(withs)
    return text


def _amount(value: int | float, unit: str | None) -> str:
    """A number in its unit, durations of whole hours in hours ("3 hours", "90 minutes")."""
    if unit == "minutes" and value >= 60 and value % 60 == 0:
        hours = int(value // 60)
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{value:,g}" + (f" {unit}" if unit else "")
