"""Multipart uploads streamed into a draft folder: bodies encoded by a real HTTP client (httpx).

The body arrives in small pieces (boundaries split across chunks), as from a socket.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from plotwise.errors import UploadError, UploadTooLargeError
from plotwise.uploads import commit_upload, inspect_upload, receive_form_upload
from support.uploads import MIB, Place, assert_nothing_left, chunks_of, make_place, parquet_rows

pytestmark = pytest.mark.anyio

CSV = b"city,day\nParis,2024-01-05\nLyon,NA\n"


@pytest.fixture
def place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Place:
    return make_place(tmp_path, monkeypatch)


def form(files: list[tuple[str, tuple[str, bytes, str]]], **fields: str) -> tuple[bytes, str]:
    """A multipart body and its Content-Type, as httpx sends them."""
    request = httpx.Request("POST", "http://127.0.0.1/api/datasets", files=files, data=fields)
    return request.read(), request.headers["content-type"]


async def test_the_file_field_is_streamed_into_a_draft_folder_and_inspected(place: Place):
    settings = place.settings()
    body, content_type = form(
        [("file", ("../../Ventes été.csv", CSV, "text/csv"))], note="x" * 10_000
    )
    path, name = await receive_form_upload(chunks_of(body, size=7), content_type, settings)
    assert name == "../../Ventes été.csv"
    assert path.parent.parent == place.data / "uploads" / ".staging"
    assert (path.name, path.read_bytes()) == ("Ventes_ete.csv", CSV)
    draft = inspect_upload(path, name, settings)
    assert (draft.table_name, draft.staging, draft.row_count) == ("ventes_ete", path.parent, 2)
    assert [(c.name, c.type, c.null_count) for c in draft.columns] == [
        ("city", "VARCHAR", 0),
        ("day", "DATE", 1),
    ]
    target = commit_upload(draft, "ventes", settings)
    assert len(parquet_rows(target)) == 2
    assert not path.parent.exists()


async def test_an_endless_file_is_stopped_at_the_limit(place: Place):
    settings = place.settings(max_upload_mb=1)
    head, content_type = form([("file", ("big.csv", b"", "text/csv"))])
    opening = head[: head.index(b"\r\n\r\n", head.index(b"filename")) + 4]
    read = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal read
        yield opening + b"a\n"
        for _ in range(3 * 1024 * 16):  # 3 GiB of one line, if it were all read
            read += 1
            yield b"x" * (64 * 1024)

    with pytest.raises(UploadTooLargeError, match="past the upload limit of 1 MiB"):
        await receive_form_upload(endless(), content_type, settings)
    assert read == 16  # the chunk that passes 1 MiB of file ends it
    assert_nothing_left(place, set())


@pytest.mark.parametrize(
    ("files", "fields", "content_type", "match", "error"),
    [
        ([], {"note": "no file"}, None, r"send the file as multipart/form-data", UploadError),
        (
            [("other", ("a.csv", CSV, "text/csv"))],
            {},
            None,
            r"the form has no file in the field 'file'",
            UploadError,
        ),
        (
            [("file", ("a.csv", CSV, "text/csv")), ("file", ("b.csv", CSV, "text/csv"))],
            {},
            None,
            r"more than one file",
            UploadError,
        ),
        (
            [("file", ("e.csv", b"", "text/csv"))],
            {},
            None,
            r"the file is empty",
            UploadError,
        ),
        (
            [("file", ("a.csv", CSV, "text/csv"))],
            {},
            "application/json",
            r"multipart/form-data",
            UploadError,
        ),
        (
            [("file", ("a.csv", CSV, "text/csv"))],
            {},
            "multipart/form-data",
            r"multipart/form-data",
            UploadError,
        ),
        (
            [("file", ("a.csv", b"x" * (2 * MIB), "text/csv"))],
            {},
            None,
            r"the upload went on past the upload limit of 1 MiB",
            UploadTooLargeError,
        ),
        (
            [("other", ("a.csv", b"", "text/csv"))],
            {"note": "y" * (2 * MIB + 1)},
            None,
            r"the request went on past",
            UploadTooLargeError,
        ),
    ],
    ids=[
        "urlencoded",
        "other-field",
        "two-files",
        "empty",
        "json",
        "no-boundary",
        "too-large",
        "big-field",
    ],
)
async def test_bad_forms_are_refused_and_leave_nothing(
    place: Place, files: list, fields: dict, content_type: str | None, match: str, error: type
):
    body, sent_type = form(files, **fields) if files or fields else (b"", "multipart/form-data")
    with pytest.raises(error, match=match):
        await receive_form_upload(
            chunks_of(body), content_type or sent_type, place.settings(max_upload_mb=1)
        )
    assert_nothing_left(place, set())


async def test_a_body_cut_off_inside_the_file_is_refused(place: Place):
    body, content_type = form([("file", ("a.csv", CSV * 100, "text/csv"))])
    with pytest.raises(UploadError, match="cut off before the file ended"):
        await receive_form_upload(chunks_of(body[: len(body) // 2]), content_type, place.settings())
    assert_nothing_left(place, set())


async def test_a_malformed_body_is_refused(place: Place):
    _, content_type = form([("file", ("a.csv", CSV, "text/csv"))])
    boundary = content_type.split("boundary=")[1].encode()
    body = (
        b"--"
        + boundary
        + b'\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n'
        + b"X" * 9000
    )
    with pytest.raises(UploadError, match="malformed"):
        await receive_form_upload(chunks_of(body), content_type, place.settings())
    assert_nothing_left(place, set())
