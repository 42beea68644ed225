"""Uploaded datasets in tests: a messy CSV (missing values, dates) and the calls that upload it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx

from plotwise.settings import Settings

REGIONS = ("north", "south", "east", "west")


def sales_csv(rows: int = 60) -> bytes:
    """A CSV of ``rows`` sales: ``NA`` and empty amounts, missing dates, ISO dates."""
    lines = ["sale_id,region,amount,sold_on"]
    for i in range(1, rows + 1):
        amount = "NA" if i % 7 == 0 else ("" if i % 11 == 0 else f"{(i * 37) % 500 / 4:.2f}")
        day = "" if i % 13 == 0 else f"2024-{(i % 12) + 1:02d}-{(i % 27) + 1:02d}"
        lines.append(f"{i},{REGIONS[i % 4]},{amount},{day}")
    return ("\n".join(lines) + "\n").encode()


def settings_for(data_dir: Path, **overrides: Any) -> Settings:
    """Settings over a data directory of their own: penguins bundled, one query worker, no
    per-client limits (the tests send many requests from one address)."""
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "datasets": ["penguins"],
        "sql_workers": 1,
        "query_timeout_s": 30,
        "chat_rate_per_minute": 0,
        "upload_rate_per_minute": 0,
        "max_turns_per_client": 0,
    }
    return Settings(**{**values, **overrides})


async def chunks(data: bytes, size: int = 4096) -> AsyncIterator[bytes]:
    """``data`` as a request body arriving in pieces."""
    for start in range(0, len(data), size):
        yield data[start : start + size]


def form(data: bytes, filename: str) -> tuple[AsyncIterator[bytes], str]:
    """A ``multipart/form-data`` body holding ``data`` as field ``file``, as the browser sends it.

    Returns:
        The body as it arrives, and its ``Content-Type`` (with the boundary).

    """
    request = httpx.Request(
        "POST", "http://127.0.0.1/api/datasets", files={"file": (filename, data, "text/csv")}
    )
    return chunks(request.read()), request.headers["content-type"]


def upload(client: httpx.Client, data: bytes, filename: str = "sales.csv") -> httpx.Response:
    """POST a file to ``/api/datasets`` as the browser does (multipart field ``file``)."""
    return client.post("/api/datasets", files={"file": (filename, data, "text/csv")})


def upload_and_commit(
    client: httpx.Client, name: str, data: bytes | None = None, **commit: Any
) -> dict[str, Any]:
    """Upload ``data`` (the sales CSV by default) and commit it as dataset ``name``."""
    response = upload(client, sales_csv() if data is None else data)
    assert response.status_code == 201, response.text
    draft_id = response.json()["draft_id"]
    committed = client.post(
        f"/api/datasets/drafts/{draft_id}/commit", json={"name": name, **commit}
    )
    assert committed.status_code == 201, committed.text
    return committed.json()


def error_of(response: httpx.Response, status: int, code: str) -> str:
    """Assert the one JSON error shape with ``status`` and ``code``; return its message."""
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) == {"code", "message", "stage", "recoverable", "trace_id"}
    assert error["code"] == code, error
    return error["message"]
