import time
from datetime import UTC, datetime

import pyarrow as pa

from plotwise.sql.arrow_result import ArrowResult
from plotwise.sql.cache import ResultCache, cache_key
from plotwise.sql.result import ColumnSchema, QueryResult


def result(rows):
    return QueryResult(
        query_id="q1",
        sql="SELECT 1",
        columns=[ColumnSchema(name="a", type="VARCHAR"), ColumnSchema(name="n", type="BIGINT")],
        rows=rows,
        row_count=len(rows),
        truncated=False,
        elapsed_ms=1.0,
        fetched_at=datetime.now(UTC),
        data_version="v1",
    )


def test_keys_change_with_every_input():
    base = cache_key("SELECT 1", {"a": 1}, "v1", 1000)
    assert base == cache_key("SELECT 1", {"a": 1}, "v1", 1000)
    others = {
        cache_key("SELECT 2", {"a": 1}, "v1", 1000),
        cache_key("SELECT 1", {"a": 2}, "v1", 1000),
        cache_key("SELECT 1", {"a": 1}, "v2", 1000),
        cache_key("SELECT 1", {"a": 1}, "v1", 10),
    }
    assert base not in others and len(others) == 4


def test_small_results_hit_until_they_expire(tmp_path):
    cache = ResultCache(tmp_path, ttl_s=0.2, large_rows=100)
    info = cache.put("k", result([["x", 1]]))
    assert not info.hit and info.expires_at is not None
    cached, hit_info = cache.get("k")
    assert hit_info.hit and cached.rows == [["x", 1]]
    time.sleep(0.3)
    assert cache.get("k") is None
    assert not list(tmp_path.iterdir()), "small results stay in memory"


def test_large_results_are_arrow_files_kept_until_replaced(tmp_path):
    rows = [[f"r{i}", i] for i in range(50)] + [[None, None]]
    info = ResultCache(tmp_path, ttl_s=0.01, large_rows=10).put("big", result(rows))
    assert info.expires_at is None
    assert (tmp_path / "big.arrow").is_file()
    time.sleep(0.05)
    reopened = ResultCache(tmp_path, ttl_s=0.01, large_rows=10)
    cached, hit_info = reopened.get("big")
    assert hit_info.hit and cached.rows == rows and cached.row_count == 51


def test_missing_keys_miss(tmp_path):
    assert ResultCache(tmp_path, ttl_s=10, large_rows=10).get("nope") is None


def arrow_result(n):
    table = pa.table({"a": pa.array([f"r{i}" for i in range(n)]), "n": pa.array(range(n))})
    meta = result([]).model_copy(update={"row_count": n})
    return ArrowResult(result=meta, table=table)


def test_arrow_results_have_entries_of_their_own(tmp_path):
    cache = ResultCache(tmp_path, ttl_s=10, large_rows=100)
    answer = arrow_result(3)
    info = cache.put_table("k", answer)
    assert info.key == "k" and not info.hit
    assert cache.get("k") is None, "a JSON-row lookup never gets an Arrow entry"
    cached, hit_info = cache.get_table("k")
    assert hit_info.hit and cached.table.equals(answer.table)


def test_large_arrow_results_are_written_as_they_are(tmp_path):
    answer = arrow_result(500)
    ResultCache(tmp_path, ttl_s=10, large_rows=100).put_table("big", answer)
    reopened = ResultCache(tmp_path, ttl_s=10, large_rows=100)
    deadline = time.monotonic() + 5
    while (hit := reopened.get_table("big")) is None and time.monotonic() < deadline:
        time.sleep(0.01)  # written by a background thread
    assert hit is not None
    cached, info = hit
    assert info.hit and cached.table.equals(answer.table) and cached.result.row_count == 500
    assert not list(tmp_path.glob("*.tmp")), "temporary files are renamed or removed"
