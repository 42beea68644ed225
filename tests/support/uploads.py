"""Shared helpers of the upload tests: a test's folders, leftover checks, file builders."""

from __future__ import annotations

import gzip
import io
import struct
import zipfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from plotwise.settings import Settings
from plotwise.uploads import UploadDraft

MIB = 1 << 20
PAYLOAD = "=cmd|' /C calc'!A0"


@dataclass(frozen=True)
class Place:
    """A test's folders: the inputs, the data directory, and their common parent."""

    root: Path
    inbox: Path
    data: Path

    def settings(self, **overrides: object) -> Settings:
        return Settings(data_dir=self.data, **overrides)

    def write(self, name: str, content: bytes) -> Path:
        # Saved under a neutral name: only the name given to inspect_upload may matter.
        folder = self.inbox / "files"
        folder.mkdir(exist_ok=True)
        path = folder / f"input{len(list(folder.iterdir())) + 1}"
        path.write_bytes(content)
        return path


def make_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Place:
    """Folders for one test; the working directory is ``in/a/b``, so ``../../x`` is in ``in``."""
    inbox, data = tmp_path / "in", tmp_path / "data"
    (inbox / "a" / "b").mkdir(parents=True)
    monkeypatch.chdir(inbox / "a" / "b")
    return Place(tmp_path, inbox, data)


def files_under(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*") if path.is_file()} if folder.exists() else set()


def assert_nothing_left(place: Place, inputs: set[Path]) -> None:
    """No dataset folder, an empty staging area, no file outside the data directory."""
    assert sorted(p.name for p in place.root.iterdir()) in (["data", "in"], ["in"])
    assert files_under(place.inbox) == inputs
    uploads = place.data / "uploads"
    if uploads.exists():
        assert sorted(p.name for p in uploads.iterdir()) in ([], [".staging"])
    assert files_under(uploads) == set()
    assert files_under(place.data / "duckdb_tmp") == set()


def parquet_types(path: Path) -> list[tuple[str, str]]:
    connection = duckdb.connect()
    try:
        return [
            (r[0], r[1]) for r in connection.sql(f"DESCRIBE FROM read_parquet('{path}')").fetchall()
        ]
    finally:
        connection.close()


def parquet_rows(path: Path) -> list[tuple]:
    connection = duckdb.connect()
    try:
        return connection.sql(f"FROM read_parquet('{path}')").fetchall()
    finally:
        connection.close()


def kinds(draft: UploadDraft) -> list[tuple[str, str, int]]:
    return [(c.name, c.type, c.null_count) for c in draft.columns]


def assert_nothing_left_but(place: Place, inputs: set[Path], table: Path) -> None:
    assert files_under(place.inbox) == inputs
    assert files_under(place.data / "uploads") == {table}


async def chunks_of(content: bytes, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    for start in range(0, len(content), size):
        yield content[start : start + size]


# --- file builders --------------------------------------------------------------------------


def gz(content: bytes) -> bytes:
    return gzip.compress(content, compresslevel=9)


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def parquet_bytes(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def workbook(rows: list[list[object]], *, extra_sheets: int = 0, text_cells: bool = False) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    for row in rows:
        sheet.append(row)
    if text_cells:  # openpyxl would store "=..." as a formula; make every text cell plain text
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    for index in range(extra_sheets):
        other = book.create_sheet(f"Other{index + 1}")
        other.append(["x"])
        other.append([index + 1])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_member(archive: bytes, name: str, content: bytes) -> bytes:
    buffer = io.BytesIO(archive)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        book.writestr(name, content)
    return buffer.getvalue()


BOMB_CSV = b"n\n" + b"0\n" * (2 * MIB)
"""4 MiB of rows that compress about a thousandfold; the bomb tests allow 1 MiB."""

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
SIMPLE_CSV = b"a,b\n1,x\n2,y\n"
SIMPLE_BOOK = workbook([["a", "b"], [1, "x"]])


def lying_sizes(archive: bytes, member: str, declared: int) -> bytes:
    """``archive`` with ``member``'s uncompressed size declared as ``declared`` bytes (a bomb
    that hides its size from readers that trust the headers)."""
    data = bytearray(archive)
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        offset = opened.getinfo(member).header_offset
    struct.pack_into("<I", data, offset + 22, declared)  # the local file header
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) >= 0:  # the central directory entries
        length = struct.unpack_from("<H", data, start + 28)[0]
        if data[start + 46 : start + 46 + length].decode() == member:
            struct.pack_into("<I", data, start + 24, declared)
        start += 4
    return bytes(data)


def broken_sheet(book: bytes) -> bytes:
    """``book`` with its first sheet's XML cut in half."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(book)) as source, zipfile.ZipFile(buffer, "w") as copy:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            copy.writestr(info, data)
    return buffer.getvalue()


def encrypted_flag(archive: bytes) -> bytes:
    """``archive`` with every member marked as encrypted (general purpose flag bit 0)."""
    data = bytearray(archive)
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            data[start + flags_at] |= 1
            start += 4
    return bytes(data)
