"""The local analyst answers questions about an uploaded CSV through its draft definition.

Over real HTTP: the messy sales CSV (``NA`` and empty amounts, missing dates) is uploaded and
committed, then asked about with the default (local) model; the artifact's rows must equal what
DuckDB computes on the CSV itself.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import duckdb
import httpx
import pytest

from plotwise.app import create_app
from support.datasets import sales_csv, settings_for, upload_and_commit
from support.live_server import live_server
from support.sse import chat

QUESTIONS = [
    ("Average amount by region", "SELECT region, avg(amount) FROM sales GROUP BY region"),
    ("Number of sales by region", "SELECT region, count(*) FROM sales GROUP BY region"),
    (
        "Total amount by month",
        "SELECT date_trunc('month', sold_on)::DATE, sum(amount) FROM sales GROUP BY 1",
    ),
]
"""Questions and the SQL that answers them on the CSV."""


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = settings_for(tmp_path_factory.mktemp("chat-upload"))
    assert settings.model == "local"
    with live_server(create_app(settings)) as base:
        with httpx.Client(base_url=base, timeout=60) as client:
            upload_and_commit(client, "sales")
        yield base


def expected_rows(tmp_path: Path, sql: str) -> list[tuple]:
    """The answer computed by DuckDB on the CSV itself (its missing-value markers as NULL)."""
    csv = tmp_path / "sales.csv"
    csv.write_bytes(sales_csv())
    with duckdb.connect() as con:
        con.execute(f"CREATE VIEW sales AS SELECT * FROM read_csv('{csv}', nullstr = ['NA', ''])")
        return con.execute(sql).fetchall()


def normalised(rows) -> list[tuple]:
    """Rows as comparable tuples: keys as text, numbers rounded to 9 digits, sorted."""

    def value(v):
        if isinstance(v, float) and not math.isnan(v):
            return round(v, 9)
        return v if isinstance(v, int | float) or v is None else str(v)

    return sorted((tuple(value(v) for v in row) for row in rows), key=repr)


@pytest.mark.parametrize(("question", "gold"), QUESTIONS)
def test_the_local_analyst_answers_about_an_uploaded_csv(url, tmp_path, question, gold):
    events = chat(url, question, datasets=["sales"])
    kinds = [e.event for e in events]
    assert kinds[-1] == "done", events[-1]
    assert "artifact" in kinds, [e.data for e in events if e.event == "text"]
    data = next(e.data for e in events if e.event == "data")
    artifact = next(e.data for e in events if e.event == "artifact")
    assert artifact["query_id"] == data["query_id"]
    assert "FROM sales" in data["sql"]
    expected = normalised(expected_rows(tmp_path, gold))
    assert normalised(data["rows"]) == expected

    refreshed = httpx.post(
        f"{url}/api/artifacts/{artifact['artifact_id']}/data", json={"refresh": True}, timeout=60
    )
    assert refreshed.status_code == 200, refreshed.text
    assert normalised(refreshed.json()["rows"]) == expected
