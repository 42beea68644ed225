"""The result cache: small results in memory for a few minutes, large ones as Arrow files.

Keys cover everything that decides a result: the SQL, the bound parameter values, the data
version and the row cap, so a change in the data is a new key, never a stale hit. Small results
(at most ``large_rows`` rows) expire after ``ttl_s``; large ones are kept as Arrow IPC stream
files under the data directory (a query worker's spool file, renamed) until an explicit refresh
replaces them.

Results kept as Arrow tables (`ArrowResult`, for the browser's Arrow answers) have entries of
their own beside the JSON-row ones (`get_table`, `put_table`): converting between the two would
be the per-row work the Arrow path exists to avoid.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections import OrderedDict
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
from pydantic import BaseModel, JsonValue

from plotwise.sql.arrow_result import ArrowResult
from plotwise.sql.handoff import map_stream, remove_file
from plotwise.sql.result import QueryResult

MAX_MEMORY_ENTRIES = 256
"""Small results kept in memory at most (least recently used dropped first)."""

MAX_FILES = 32
"""Large results kept on disk at most (oldest dropped first)."""

TABLE_SUFFIX = "-t"
"""Appended to the key of an `ArrowResult` entry, so it never answers a JSON-row lookup."""


class CacheInfo(BaseModel):
    """How a result relates to the cache: its ``key``, whether it was a ``hit``, and its expiry."""

    key: str
    hit: bool
    stored_at: datetime
    expires_at: datetime | None
    """None for large results, kept until an explicit refresh."""


def cache_key(sql: str, params: dict[str, JsonValue], data_version: str, max_rows: int) -> str:
    """Return the cache key of a query run: 24 hex digits of SHA-256 over its inputs."""
    material = json.dumps([sql, sorted(params.items()), data_version, max_rows], default=str)
    return hashlib.sha256(material.encode()).hexdigest()[:24]


class ResultCache:
    """Thread-safe cache of query results (see the module docstring for the policy)."""

    def __init__(self, folder: Path, *, ttl_s: float, large_rows: int) -> None:
        self.folder = folder
        self.ttl = timedelta(seconds=ttl_s)
        self.large_rows = large_rows
        self._memory: OrderedDict[str, tuple[QueryResult | ArrowResult, CacheInfo]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[QueryResult, CacheInfo] | None:
        """Return the cached result and its info (``hit`` True), or None when absent/expired."""
        entry = self._get_memory(key)
        if entry is not None and isinstance(entry[0], QueryResult):
            return entry[0], entry[1]
        return self._read_file(key)

    def get_table(self, key: str) -> tuple[ArrowResult, CacheInfo] | None:
        """As `get`, for results stored with `put_table`."""
        entry = self._get_memory(key + TABLE_SUFFIX)
        if entry is not None and isinstance(entry[0], ArrowResult):
            return entry[0], entry[1]
        return self._read_table_file(key + TABLE_SUFFIX)

    def answer(self, key: str, query_id: str) -> CachedResult | None:
        """The cached result under ``key``, renamed ``query_id``, or None when absent/expired."""
        hit = self.get(key)
        if hit is None:
            return None
        result, info = hit
        return CachedResult(
            **result.model_copy(update={"query_id": query_id}).model_dump(), cache=info
        )

    def answer_table(self, key: str, query_id: str) -> tuple[ArrowResult, CacheInfo] | None:
        """As `answer`, for results stored with `put_table`."""
        hit = self.get_table(key)
        if hit is None:
            return None
        answer, info = hit
        return replace(answer, result=answer.result.model_copy(update={"query_id": query_id})), info

    def keep(self, key: str, result: QueryResult) -> CachedResult:
        """Store a fresh result under ``key`` (see `put`) and return it with its cache info."""
        return CachedResult(**result.model_dump(), cache=self.put(key, result))

    def put(self, key: str, result: QueryResult) -> CacheInfo:
        """Store a fresh result under ``key`` and return its info (``hit`` False)."""
        now = datetime.now(UTC)
        if result.row_count > self.large_rows:
            info = CacheInfo(key=key, hit=False, stored_at=now, expires_at=None)
            self._write_file(key, result, info)
            return info
        return self._put_memory(key, result, key)

    def put_table(self, key: str, answer: ArrowResult) -> CacheInfo:
        """As `put`, for a result kept as an Arrow table; its table is stored as it is.

        A large result is stored by a background thread, so `get_table` misses until it is done:
        a worker's spool file is adopted (renamed into the cache, nothing copied), other tables
        are written (~10 ms per 100k flights rows). A small result's spool file is removed.
        """
        now = datetime.now(UTC)
        if answer.result.row_count > self.large_rows:
            info = CacheInfo(key=key, hit=False, stored_at=now, expires_at=None)
            # Replacing an older file frees its pages (~5 ms per 9.5 MB): not in the request.
            threading.Thread(
                target=self._store_table_file, args=(key + TABLE_SUFFIX, answer, info), daemon=True
            ).start()
            return info
        remove_file(answer.spool)
        return self._put_memory(key + TABLE_SUFFIX, replace(answer, spool=None), key)

    def _get_memory(self, slot: str) -> tuple[QueryResult | ArrowResult, CacheInfo] | None:
        now = datetime.now(UTC)
        with self._lock:
            entry = self._memory.get(slot)
            if entry is None:
                return None
            value, info = entry
            if info.expires_at is not None and info.expires_at <= now:
                del self._memory[slot]
                return None
            self._memory.move_to_end(slot)
            return value, info.model_copy(update={"hit": True})

    def _put_memory(self, slot: str, value: QueryResult | ArrowResult, key: str) -> CacheInfo:
        now = datetime.now(UTC)
        info = CacheInfo(key=key, hit=False, stored_at=now, expires_at=now + self.ttl)
        with self._lock:
            self._memory[slot] = (value, info)
            self._memory.move_to_end(slot)
            while len(self._memory) > MAX_MEMORY_ENTRIES:
                self._memory.popitem(last=False)
        return info

    def _paths(self, key: str) -> tuple[Path, Path]:
        return self.folder / f"{key}.arrow", self.folder / f"{key}.json"

    def _write_file(self, key: str, result: QueryResult, info: CacheInfo) -> None:
        names = [f"c{i}" for i in range(len(result.columns))]
        table = pa.table({n: [row[i] for row in result.rows] for i, n in enumerate(names)})
        self._write_table_file(key, table, result, info)

    def _write_table_file(
        self, key: str, table: pa.Table, result: QueryResult, info: CacheInfo
    ) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp_rows = self._paths(key)[0].with_suffix(_temporary_suffix(".arrow"))
        with pa.OSFile(str(tmp_rows), "wb") as sink, pa.ipc.new_stream(sink, table.schema) as w:
            w.write_table(table)
        self._commit(key, tmp_rows, result, info)

    def _store_table_file(self, key: str, answer: ArrowResult, info: CacheInfo) -> None:
        """Adopt the answer's spool file, or write its table when there is none (or it fails)."""
        if answer.spool is not None:
            try:
                self._commit(key, answer.spool, answer.result, info)
                return
            except OSError:
                remove_file(answer.spool)
        self._write_table_file(key, answer.table, answer.result, info)

    def _commit(self, key: str, rows_file: Path, result: QueryResult, info: CacheInfo) -> None:
        """Move a finished rows file (an Arrow IPC stream) into place, then its metadata."""
        rows_path, meta_path = self._paths(key)
        meta = {
            "result": result.model_dump(mode="json", exclude={"rows"}),
            "info": info.model_dump(mode="json"),
        }
        tmp_meta = meta_path.with_suffix(_temporary_suffix(".json"))
        tmp_meta.write_text(json.dumps(meta), encoding="utf-8")
        # Rows first, metadata last: a reader never sees metadata without its rows.
        os.replace(rows_file, rows_path)
        os.replace(tmp_meta, meta_path)
        self._prune_files()

    def _read_file(self, key: str) -> tuple[QueryResult, CacheInfo] | None:
        stored = self._read_table_file(key)
        if stored is None:
            return None
        answer, info = stored
        rows = [list(row.values()) for row in answer.table.to_pylist()]
        return answer.result.model_copy(update={"rows": rows}), info

    def _read_table_file(self, key: str) -> tuple[ArrowResult, CacheInfo] | None:
        rows_path, meta_path = self._paths(key)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            mapped = map_stream(rows_path)
        except (FileNotFoundError, ValueError, pa.ArrowInvalid):
            return None
        result = QueryResult.model_validate({**meta["result"], "rows": []})
        info = CacheInfo.model_validate(meta["info"]).model_copy(update={"hit": True})
        return ArrowResult(result=result, table=mapped.table, stream=mapped.stream), info

    def _prune_files(self) -> None:
        metas = sorted(self.folder.glob("*.json"), key=_mtime)
        for meta in metas[: max(0, len(metas) - MAX_FILES)]:
            meta.unlink(missing_ok=True)
            meta.with_suffix(".arrow").unlink(missing_ok=True)


def _temporary_suffix(suffix: str) -> str:
    """A unique temporary suffix: two writers of one key must not write into each other's file."""
    return f"{suffix}.{os.getpid()}.{threading.get_ident()}.tmp"


def _mtime(path: Path) -> float:
    """Modification time of ``path``; 0 when another writer's prune removed it meanwhile."""
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


class CachedResult(QueryResult):
    """A query result with how it relates to the cache."""

    cache: CacheInfo
