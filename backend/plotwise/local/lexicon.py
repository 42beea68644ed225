"""The local analyst's vocabulary: phrases and values of a dataset, matched against a question.

Built from a `DatasetDefinition` (column, dimension and measure synonyms, row nouns) and, when a
catalog is at hand, from the distinct values of small text dimensions (``JFK``, ``UA``), so that
"flights from JFK" becomes a filter on the column that holds ``JFK``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from plotwise.local.dialect import Dialect
from plotwise.semantic.definition import DatasetDefinition

_WORD = re.compile(r"[A-Za-z0-9_]+(?:\.[0-9]+)?")

FieldKind = Literal["column", "dimension", "measure", "rows"]


@dataclass(frozen=True)
class FieldRef:
    """Something a phrase can mean: a column, derived dimension, named measure or a table's rows."""

    table: str
    name: str
    kind: FieldKind
    role: str
    expr: str
    """SQL for the field over its table, unqualified (``dep_delay``, ``count(*)``)."""
    unit: str | None = None
    sql_type: str | None = None
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Token:
    """One word of the question: lower-cased ``text``, original ``raw`` and position ``index``."""

    text: str
    raw: str
    index: int


@dataclass(frozen=True)
class Match:
    """Tokens ``start``..``end`` (exclusive) of the question matched a phrase meaning ``refs``."""

    start: int
    end: int
    refs: tuple[FieldRef, ...]


def tokenize(question: str) -> list[Token]:
    """Split a question into word tokens (letters, digits, underscores, decimals)."""
    return [
        Token(m.group(0).lower(), m.group(0), i) for i, m in enumerate(_WORD.finditer(question))
    ]


@dataclass
class Lexicon:
    """Phrase and value index of one dataset."""

    definition: DatasetDefinition
    phrases: dict[tuple[str, ...], list[FieldRef]] = field(default_factory=dict)
    values: dict[str, list[FieldRef]] = field(default_factory=dict)
    column_values: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    """(table, column) → its distinct values, sorted (for query parameter options)."""
    """Exact text value → the dimension columns that hold it."""
    fields: dict[tuple[str, str], FieldRef] = field(default_factory=dict)
    """(table, name) → the field."""
    dialect: Dialect = "duckdb"
    """The SQL dialect of the engine the dataset's queries run on: the analyst writes in it."""

    @classmethod
    def build(
        cls,
        definition: DatasetDefinition,
        values: dict[tuple[str, str], list[str]] | None = None,
        *,
        dialect: Dialect = "duckdb",
    ) -> Lexicon:
        """Index a definition's synonyms, and optionally column values.

        Args:
            definition: The dataset.
            values: (table, column) → distinct values of that text column, e.g. from the catalog.
            dialect: The engine's SQL dialect (`Lexicon.dialect`).

        """
        lex = cls(definition, dialect=dialect)
        phrases: dict[tuple[str, ...], list[FieldRef]] = defaultdict(list)
        for tname, table in definition.tables.items():
            refs: list[tuple[FieldRef, list[str]]] = []
            for cname, col in table.columns.items():
                ref = FieldRef(
                    tname,
                    cname,
                    "column",
                    col.role,
                    _quote(cname),
                    col.unit,
                    col.type,
                    tuple(col.synonyms),
                )
                refs.append((ref, [cname.replace("_", " "), *col.synonyms]))
            for dname, dim in table.dimensions.items():
                ref = FieldRef(
                    tname, dname, "dimension", dim.role, dim.expr, None, None, tuple(dim.synonyms)
                )
                refs.append((ref, [dname.replace("_", " "), *dim.synonyms]))
            for mname, measure in table.measures.items():
                ref = FieldRef(
                    tname,
                    mname,
                    "measure",
                    "measure",
                    measure.expr,
                    None,
                    None,
                    tuple(measure.synonyms),
                )
                refs.append((ref, [mname.replace("_", " "), *measure.synonyms]))
            rows = FieldRef(
                tname, tname, "rows", "rows", "count(*)", None, None, tuple(table.row_nouns)
            )
            refs.append((rows, list(table.row_nouns)))
            for ref, words in refs:
                lex.fields[(ref.table, ref.name)] = ref
                for phrase in words:
                    key = tuple(t.text for t in tokenize(phrase))
                    if key and ref not in phrases[key]:
                        phrases[key].append(ref)
        lex.phrases = dict(phrases)
        for (tname, cname), column_values in (values or {}).items():
            ref = lex.fields.get((tname, cname))
            if ref is None:
                continue
            lex.column_values[(tname, cname)] = sorted(column_values)
            for value in column_values:
                lex.values.setdefault(value, []).append(ref)
        return lex

    def match(self, tokens: list[Token]) -> list[Match]:
        """Find phrases in the tokens, longest first, without overlaps, in question order."""
        longest = max((len(p) for p in self.phrases), default=0)
        found: list[Match] = []
        i = 0
        while i < len(tokens):
            for size in range(min(longest, len(tokens) - i), 0, -1):
                key = tuple(t.text for t in tokens[i : i + size])
                if key in self.phrases:
                    found.append(Match(i, i + size, tuple(self.phrases[key])))
                    i += size
                    break
            else:
                i += 1
        return found

    def join_path(
        self, base: str, table: str, mentioned: set[str] = frozenset()
    ) -> list[tuple[str, str, str, str]] | None:
        """The many-to-one joins that lead from ``base`` to ``table``, or None.

        Each step is (from table, from column, to table, to column). Among the paths (the
        relationships form a small graph), those through more ``mentioned`` tables win ("revenue
        by customer region" goes through customer, not supplier), then the shortest.
        """
        paths: list[list[tuple[str, str, str, str]]] = []

        def walk(at: str, path: list[tuple[str, str, str, str]], seen: set[str]) -> None:
            if at == table and path:
                paths.append(path)
                return
            for rel in self.definition.relationships:
                if rel.from_table == at and rel.to_table not in seen:
                    step = (rel.from_table, rel.from_column, rel.to_table, rel.to_column)
                    walk(rel.to_table, [*path, step], seen | {rel.to_table})

        walk(base, [], {base})
        if not paths:
            return None
        return max(paths, key=lambda p: (sum(s[2] in mentioned for s in p), -len(p)))


def _quote(name: str) -> str:
    return name if re.fullmatch(r"[a-z_][a-z0-9_]*", name) else '"' + name.replace('"', '""') + '"'


def prefer(
    refs: tuple[FieldRef, ...],
    *,
    kinds: set[str],
    roles: set[str] | None = None,
    table: str | None = None,
) -> FieldRef | None:
    """The first of ``refs`` of one of ``kinds`` (and ``roles``), preferring ``table``'s."""
    candidates = [r for r in refs if r.kind in kinds and (roles is None or r.role in roles)]
    if not candidates:
        return None
    return next((r for r in candidates if r.table == table), candidates[0])
