"""``plotwise eval``: run question sets through full turns and measure execution accuracy.

Execution accuracy (Yu et al., "Spider", EMNLP 2018; as defined in ``shared/eval/README.md``):
a prediction is correct when its result rows equal the gold query's rows as a multiset, after
rounding numbers to 2 decimals; the prediction may carry extra columns, its columns being matched
to the gold columns by value.
"""

from __future__ import annotations

import itertools
import json
import math
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from plotwise.errors import BadRequestError, PlotwiseError
from plotwise.outcome import collect
from plotwise.services import Services
from plotwise.sql.runner import run_query
from plotwise.turn import run_turn

GOLD_ROW_CAP = 100_000


class EvalQuestion(BaseModel):
    """One line of a question set."""

    id: str
    question: str
    gold_sql: str | None = None
    dataset: str | None = None


class EvalRecord(BaseModel):
    """One line of ``plotwise eval`` output."""

    id: str
    question: str
    sql: str | None
    columns: list[str]
    rows: list[list[Any]]
    error: str | None
    correct: bool | None = None
    """Execution accuracy of this question; None when the line has no ``gold_sql``."""


def read_questions(path: Path) -> Iterator[EvalQuestion]:
    """Parse a JSONL question set.

    Raises:
        BadRequestError: A line is not JSON or lacks ``id``/``question``; names the line number.

    """
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield EvalQuestion.model_validate_json(line)
            except ValidationError as exc:
                raise BadRequestError(f"{path}:{number}: not a question line: {exc}") from exc


async def evaluate(services: Services, question: EvalQuestion) -> EvalRecord:
    """Run one question through a full turn and score it against its gold SQL if any."""
    outcome = await collect(run_turn(services, question.question, dataset=question.dataset))
    record = EvalRecord(
        id=question.id,
        question=question.question,
        sql=outcome.sql,
        columns=[c.name for c in outcome.columns],
        rows=outcome.rows,
        error=outcome.error.message if outcome.error else None,
    )
    if question.gold_sql is not None:
        if outcome.sql is None:
            record.correct = False
            record.error = record.error or "the turn ran no successful query"
        else:
            try:
                gold = await run_query(
                    services.catalog,
                    question.gold_sql,
                    max_rows=GOLD_ROW_CAP,
                    timeout_s=services.settings.query_timeout_s,
                )
            except PlotwiseError as exc:
                raise BadRequestError(f"gold SQL of {question.id} failed: {exc.message}") from exc
            record.correct = results_match(gold.rows, outcome.rows)
    return record


def results_match(gold: list[list[Any]], predicted: list[list[Any]]) -> bool:
    """Execution-accuracy comparison of two results (rows as lists in column order).

    Returns:
        True when some choice of distinct predicted columns, one per gold column, makes the
        predicted rows equal the gold rows as a multiset after rounding numbers to 2 decimals.

    """
    if len(gold) != len(predicted):
        return False
    if not gold:
        return True
    gold_norm = [[_norm(v) for v in row] for row in gold]
    pred_norm = [[_norm(v) for v in row] for row in predicted]
    n_gold, n_pred = len(gold_norm[0]), len(pred_norm[0])
    if n_pred < n_gold:
        return False
    gold_cols = [Counter(row[i] for row in gold_norm) for i in range(n_gold)]
    pred_cols = [Counter(row[j] for row in pred_norm) for j in range(n_pred)]
    candidates = [[j for j in range(n_pred) if pred_cols[j] == gold_cols[i]] for i in range(n_gold)]
    target = Counter(tuple(row) for row in gold_norm)
    for choice in itertools.product(*candidates):
        if (
            len(set(choice)) == n_gold
            and Counter(tuple(row[j] for j in choice) for row in pred_norm) == target
        ):
            return True
    return False


def _norm(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            return None
        return round(float(value), 2) + 0.0  # + 0.0 folds -0.0 into 0.0
    return value


def summary_line(records: list[EvalRecord]) -> str:
    """``execution accuracy: 30/32 (93.8%)`` over the records that have gold SQL."""
    scored = [r for r in records if r.correct is not None]
    if not scored:
        return f"{len(records)} questions run; none had gold_sql, so no execution accuracy"
    right = sum(r.correct for r in scored)
    return f"execution accuracy: {right}/{len(scored)} ({100 * right / len(scored):.1f}%)"


def record_line(record: EvalRecord) -> str:
    """One JSON line of output."""
    return json.dumps(record.model_dump(), default=str)
