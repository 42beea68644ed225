"""``/api/datasets`` over real HTTP: list, detail, streamed upload, review, rename, edit, delete.

A real server over a data directory of its own (penguins bundled, uploads added by the tests);
every error answers the one JSON error shape.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import httpx
import pytest

from plotwise.app import create_app
from plotwise.datasets.registry import DEFINITION_FILE
from plotwise.semantic.definition import load_definition
from plotwise.settings import Settings
from support.datasets import error_of, sales_csv, settings_for, upload, upload_and_commit
from support.live_server import live_server

COMPONENT = "export default function A({ data }) {\n  return <div>{data.length}</div>;\n}\n"


@pytest.fixture(scope="module")
def api_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return settings_for(tmp_path_factory.mktemp("datasets-api"))


@pytest.fixture(scope="module")
def client(api_settings: Settings) -> Iterator[httpx.Client]:
    with live_server(create_app(api_settings)) as url:
        with httpx.Client(base_url=url, timeout=60) as http:
            yield http


def uploads(settings: Settings) -> Path:
    return settings.resolved_data_dir() / "uploads"


def staging(settings: Settings) -> list[str]:
    folder = uploads(settings) / ".staging"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_the_list_starts_with_the_bundled_default(client):
    items = client.get("/api/datasets").json()["items"]
    penguins = items[0]
    assert penguins["name"] == "penguins" and penguins["is_default"]
    assert (penguins["kind"], penguins["engine"]) == ("bundled", "duckdb")
    assert penguins["tables"] == [{"name": "penguins", "row_count": 344, "column_count": 8}]
    assert penguins["created_at"] is None and penguins["origin"] is None


def test_an_upload_is_reviewed_then_committed_with_statistics(client, api_settings, tmp_path):
    data = sales_csv()
    response = upload(client, data, "../../Shop Sales.csv")
    assert response.status_code == 201, response.text
    draft = response.json()
    assert draft["original_name"] == "Shop Sales.csv" and draft["table_name"] == "shop_sales"
    assert (draft["format"], draft["row_count"], draft["size_bytes"]) == ("csv", 60, len(data))
    kinds = {c["name"]: (c["type"], c["role"]) for c in draft["columns"]}
    assert kinds == {
        "sale_id": ("BIGINT", "identifier"),
        "region": ("VARCHAR", "dimension"),
        "amount": ("DOUBLE", "measure"),
        "sold_on": ("DATE", "time"),
    }
    assert draft["draft_id"] in staging(api_settings)

    committed = client.post(
        f"/api/datasets/drafts/{draft['draft_id']}/commit",
        json={
            "name": "shop_sales",
            "description": "Shop sales of 2024.",
            "descriptions": {"amount": "Sale amount in EUR"},
        },
    )
    assert committed.status_code == 201, committed.text
    detail = committed.json()
    assert (detail["kind"], detail["origin"]) == ("upload", "Shop Sales.csv")
    assert detail["templates"] == []
    assert detail["description"] == "Shop sales of 2024." and detail["created_at"]
    assert draft["draft_id"] not in staging(api_settings)
    [table] = detail["tables"]
    assert (table["name"], table["row_count"], table["column_count"]) == ("shop_sales", 60, 4)
    assert len(table["preview"]["rows"]) == 20
    assert table["preview"]["columns"] == ["sale_id", "region", "amount", "sold_on"]

    csv = tmp_path / "sales.csv"
    csv.write_bytes(data)
    with duckdb.connect() as con:
        expected = con.execute(
            "SELECT count(*) - count(amount), min(amount), max(amount), "
            "count(*) - count(sold_on), min(sold_on)::VARCHAR, max(sold_on)::VARCHAR, "
            "count(DISTINCT region) "
            f"FROM read_csv('{csv}', nullstr = ['NA', ''])"
        ).fetchone()
    columns = {c["name"]: c for c in table["columns"]}
    amount, sold_on, region = columns["amount"], columns["sold_on"], columns["region"]
    assert (amount["null_count"], amount["min"], amount["max"]) == expected[:3]
    assert (sold_on["null_count"], sold_on["min"], sold_on["max"]) == expected[3:6]
    assert region["distinct_count"] == expected[6] and region["null_count"] == 0
    assert amount["description"] == "Sale amount in EUR" and amount["role"] == "measure"

    listed = {d["name"]: d for d in client.get("/api/datasets").json()["items"]}
    assert listed["shop_sales"]["tables"][0]["row_count"] == 60
    assert client.get("/api/config").json()["datasets"][-1] == "shop_sales"


def test_a_draft_can_be_discarded_once(client, api_settings):
    draft_id = upload(client, sales_csv()).json()["draft_id"]
    assert client.delete(f"/api/datasets/drafts/{draft_id}").status_code == 204
    assert draft_id not in staging(api_settings)
    error_of(client.delete(f"/api/datasets/drafts/{draft_id}"), 404, "not_found")
    message = error_of(
        client.post(f"/api/datasets/drafts/{draft_id}/commit", json={"name": "gone"}),
        404,
        "not_found",
    )
    assert "upload the file again" in message


@pytest.mark.parametrize(
    ("body", "status", "code", "words"),
    [
        ({"name": "Bad Name"}, 400, "bad_request", "not allowed"),
        ({"name": "penguins"}, 409, "conflict", "already exists"),
        ({"name": "ok_name", "descriptions": {"nope": "x"}}, 400, "bad_request", "nope"),
        ({"name": "ok_name", "overrides": {"amount": "TEXT; DROP"}}, 400, "bad_upload", "TEXT"),
    ],
)
def test_a_refused_commit_keeps_the_draft(client, api_settings, body, status, code, words):
    before = client.get("/api/datasets").json()["items"]
    draft_id = upload(client, sales_csv()).json()["draft_id"]
    message = error_of(
        client.post(f"/api/datasets/drafts/{draft_id}/commit", json=body), status, code
    )
    assert words in message
    assert draft_id in staging(api_settings)
    assert client.get("/api/datasets").json()["items"] == before
    assert not (uploads(api_settings) / "ok_name").exists()
    client.delete(f"/api/datasets/drafts/{draft_id}")


def test_bad_uploads_get_the_one_error_shape(client, api_settings):
    before = staging(api_settings)
    assert "empty" in error_of(upload(client, b""), 400, "bad_upload")
    error_of(upload(client, b"\x00\x01binary", "x.csv"), 400, "bad_upload")
    assert "extension" in error_of(upload(client, b"a,b\n1,2\n", "x.exe"), 400, "bad_upload")
    not_form = client.post("/api/datasets", content=b"a,b\n", headers={"content-type": "text/csv"})
    assert "multipart/form-data" in error_of(not_form, 400, "bad_upload")
    no_file = client.post("/api/datasets", files={"other": (None, "x")})
    assert "file" in error_of(no_file, 400, "bad_upload")
    assert staging(api_settings) == before


def test_an_upload_past_the_limit_is_refused_while_it_streams(api_settings):
    small = api_settings.model_copy(update={"max_upload_mb": 1})
    row = b"1,north,12.50,2024-01-02\n"

    def body() -> Iterator[bytes]:
        yield b'--b0undary\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n'
        yield b"Content-Type: text/csv\r\n\r\nsale_id,region,amount,sold_on\n"
        for _ in range(64):  # 64 x 40,000 rows: about 3 MiB, three times the limit
            yield row * 40_000
        yield b"\r\n--b0undary--\r\n"

    with live_server(create_app(small)) as url:
        response = httpx.post(
            f"{url}/api/datasets",
            content=body(),
            headers={"content-type": "multipart/form-data; boundary=b0undary"},
            timeout=60,
        )
        message = error_of(response, 413, "upload_too_large")
        assert "1 MiB" in message and "PLOTWISE_MAX_UPLOAD_MB" in message
        assert staging(small) == []
        ok = upload(httpx.Client(base_url=url, timeout=60), sales_csv())
        assert ok.status_code == 201


def test_bundled_datasets_cannot_change_and_unknown_ones_are_404(client):
    assert "ships with Plotwise" in error_of(
        client.patch("/api/datasets/penguins", json={"name": "birds"}), 409, "conflict"
    )
    assert "ships with Plotwise" in error_of(
        client.delete("/api/datasets/penguins?confirm=true"), 409, "conflict"
    )
    error_of(client.get("/api/datasets/nope"), 404, "not_found")
    error_of(client.delete("/api/datasets/nope"), 404, "not_found")
    error_of(client.patch("/api/datasets/nope", json={"description": "x"}), 404, "not_found")
    error_of(client.patch("/api/datasets/penguins", json={}), 400, "bad_request")


def test_edit_changes_the_definition_on_disk_and_for_the_agent(client, api_settings):
    upload_and_commit(client, "edited")
    response = client.patch(
        "/api/datasets/edited",
        json={
            "description": "Edited sales.",
            "columns": {"sale_id": {"role": "dimension", "description": "Receipt number"}},
        },
    )
    assert response.status_code == 200, response.text
    columns = {c["name"]: c for c in response.json()["tables"][0]["columns"]}
    assert (columns["sale_id"]["role"], columns["sale_id"]["description"]) == (
        "dimension",
        "Receipt number",
    )
    stored = load_definition(uploads(api_settings) / "edited" / DEFINITION_FILE)
    assert stored.description == "Edited sales."
    assert stored.tables["edited"].columns["sale_id"].role == "dimension"
    bad_role = client.patch("/api/datasets/edited", json={"columns": {"sale_id": {"role": "boss"}}})
    assert "boss" in error_of(bad_role, 400, "bad_request")
    error_of(
        client.patch("/api/datasets/edited", json={"columns": {"nope": {"role": "measure"}}}),
        400,
        "bad_request",
    )


def test_rename_then_delete_with_a_dependent_template(client, api_settings):
    upload_and_commit(client, "before")
    renamed = client.patch("/api/datasets/before", json={"name": "after"})
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "after" and renamed.json()["tables"][0]["name"] == "after"
    names = {d["name"] for d in client.get("/api/datasets").json()["items"]}
    assert "after" in names and "before" not in names
    error_of(client.patch("/api/datasets/after", json={"name": "penguins"}), 409, "conflict")

    template = {
        "format": "plotwise.template",
        "schema_version": 1,
        "exported_at": "2026-11-21T09:00:00Z",
        "template": {
            "name": "Sales by region",
            "description": "",
            "prompt": "Sales by region",
            "sql": "SELECT region, count(*) AS n FROM after GROUP BY region",
            "param_specs": [],
            "query_params": {},
            "view_params": {},
            "engine": "duckdb",
            "code": COMPONENT,
            "language": "tsx",
            "dataset": "after",
        },
    }
    created = client.post("/api/templates/import", json=template)
    assert created.status_code == 201, created.text
    template_id = created.json()["id"]
    detail = client.get("/api/datasets/after").json()
    assert detail["templates"] == [{"id": template_id, "name": "Sales by region"}]
    opened = client.post(f"/api/templates/{template_id}/open")
    assert opened.status_code == 200, opened.text
    assert sum(row[1] for row in opened.json()["data"]["rows"]) == 60

    refused = error_of(client.delete("/api/datasets/after"), 409, "conflict")
    assert "Sales by region" in refused and template_id in refused and "confirm=true" in refused
    assert "Sales by region" in error_of(
        client.patch("/api/datasets/after", json={"name": "later"}), 409, "conflict"
    )
    assert client.delete("/api/datasets/after?confirm=true").status_code == 204
    assert "after" not in {d["name"] for d in client.get("/api/datasets").json()["items"]}
    gone = client.post(f"/api/templates/{template_id}/open")
    assert "no longer exists" in error_of(gone, 404, "not_found")
