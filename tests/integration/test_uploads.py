"""Bad uploads, each refused with an `UploadError` naming the problem (real files, real DuckDB).

After each refusal nothing is left in the staging area, no dataset folder exists, and nothing
was written outside the data directory: every test runs with the working directory two levels
below the input folder, so a name like ``../../app.py`` used as a path would land in it. The
same inputs are sent through `receive_upload` too, as the HTTP layer does.
"""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pytest

from plotwise.errors import NotFoundError, UploadError, UploadTooLargeError
from plotwise.uploads import (
    commit_upload,
    discard_draft,
    inspect_upload,
    load_draft,
    receive_upload,
    remove_stale_drafts,
)
from plotwise.uploads.textcheck import MAX_LINE_BYTES
from support.uploads import (
    MIB,
    PNG,
    SIMPLE_BOOK,
    SIMPLE_CSV,
    Place,
    assert_nothing_left,
    broken_sheet,
    chunks_of,
    encrypted_flag,
    files_under,
    gz,
    lying_sizes,
    make_place,
    parquet_bytes,
    parquet_rows,
    with_member,
    workbook,
    zipped,
)

BOMB_CSV = b"n\n" + b"0\n" * (2 * MIB)
"""4 MiB of rows that compress about a thousandfold; the bomb tests allow 1 MiB."""


@pytest.fixture
def place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Place:
    return make_place(tmp_path, monkeypatch)


@dataclass(frozen=True)
class Bad:
    id: str
    name: str
    content: bytes | Callable[[], bytes]
    match: str
    error: type[UploadError] = UploadError
    max_upload_mb: int = 1024
    wire_match: str | None = None
    """What `receive_upload` says, if it stops the upload before `inspect_upload` sees it."""


BAD = [
    Bad(
        "ragged-short",
        "r.csv",
        b"a,b,c\n1,2,3\n4,5\n6,7,8\n",
        r"line 3 has 2 fields but the header has 3",
    ),
    Bad(
        "ragged-long",
        "r.csv",
        b"a,b\n1,2\n3,4\n5,6,7\n",
        r"line 4 has 3 fields but the header has 2",
    ),
    Bad("ragged-tsv", "r.tsv", b"a\tb\n1\t2\n3\n", r"line 3 has 1 fields but the header has 2"),
    Bad(
        "quote-unclosed",
        "q.csv",
        b'a,b\n1,2\n3,"four\n5,6\n',
        r"line 3 opens a quoted field that is never closed",
    ),
    Bad(
        "quote-text-after", "q.csv", b'a,b\n1,"two"x\n', r"line 2 has text after the closing quote"
    ),
    Bad(
        "quote-after-multiline-field",
        "q.csv",
        b'a,b\n1,"two\nlines"\n3,"x"y\n',
        r"line 4 has text after the closing quote",
    ),
    Bad(
        "mixed-encodings",
        "m.csv",
        "name,n\nMüller,1\n".encode() + "Café,2\n".encode("latin-1"),
        r"line 3 is not UTF-8 \(byte 4 of the line\) while line 2 is UTF-8: "
        r"the file mixes encodings",
    ),
    Bad(
        "mixed-encodings-latin-first",
        "m.csv",
        b"name,n\n" + "Café,2\n".encode("latin-1") + "x,3\nMüller,1\n".encode(),
        r"line 2 is not UTF-8 .* while line 4 is UTF-8",
    ),
    Bad(
        "mixed-encodings-one-line",
        "m.csv",
        b"name,n\n" + "Müller ".encode() + "Café".encode("latin-1") + b",1\n",
        r"line 2 is not UTF-8 .* on the same line",
    ),
    Bad(
        "bom-then-latin-1",
        "m.csv",
        b"\xef\xbb\xbfname,n\n" + "Café,2\n".encode("latin-1"),
        r"line 2 is not UTF-8 .* while line 1 is UTF-8",
    ),
    Bad("neither-encoding", "m.csv", b"a\nx\x81y\n", r"line 2 is neither UTF-8 nor Windows-1252"),
    Bad(
        "parquet-named-csv",
        "p.csv",
        parquet_bytes(pa.table({"a": [1]})),
        r"named '\.csv' but its content is PARQUET",
    ),
    Bad("png-named-csv", "p.csv", PNG, r"the file is a PNG image, not a table"),
    Bad("csv-named-parquet", "p.parquet", SIMPLE_CSV, r"named '\.parquet' but its content is CSV"),
    Bad("csv-named-xlsx", "p.xlsx", SIMPLE_CSV, r"named '\.xlsx' but its content is CSV"),
    Bad("xlsx-named-csv", "p.csv", SIMPLE_BOOK, r"named '\.csv' but its content is XLSX"),
    Bad(
        "json-named-ndjson", "p.ndjson", b'[{"a": 1}]', r"named '\.ndjson' but its content is JSON"
    ),
    Bad(
        "zip-named-xlsx",
        "p.xlsx",
        zipped({"a.txt": b"hello"}),
        r"zip archive, not an Excel \(\.xlsx\) workbook",
    ),
    Bad(
        "broken-zip-named-xlsx",
        "p.xlsx",
        b"PK\x03\x04" + b"\x00" * 64,
        r"zip archive, not an Excel",
    ),
    Bad(
        "xls-named-xlsx",
        "p.xlsx",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        r"an OLE2 Office file \(an old \.xls or \.doc, or a password-protected workbook\)",
    ),
    Bad("pdf-named-csv", "p.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", r"the file is a PDF document"),
    Bad("binary-named-csv", "p.csv", b"a,b\n\x00\x01\x02", r"the file is binary"),
    Bad("python-file", "../../app.py", b"import os\n", r"the extension '\.py' is not accepted"),
    Bad(
        "absolute-no-extension",
        "/etc/passwd",
        b"root:x:0:0\n",
        r"the extension none is not accepted",
    ),
    Bad(
        "nul-hidden-extension",
        "evil.csv\x00.py",
        SIMPLE_CSV,
        r"the extension '\.py' is not accepted",
    ),
    Bad(
        "traversal-gz",
        "../../app.py.gz",
        gz(b"import os\n"),
        r"the extension '\.py' is not accepted",
    ),
    Bad("empty", "e.csv", b"", r"the file is empty"),
    Bad("empty-xlsx", "e.xlsx", b"", r"the file is empty"),
    Bad("blank-lines", "e.csv", b"\n\n\n", r"no header row"),
    Bad("header-only", "h.csv", b"a,b\n", r"the file has no rows \(only a header\)"),
    Bad("empty-json-array", "e.json", b"[]", r"the file has no rows"),
    Bad("empty-gz", "e.csv.gz", gz(b""), r"the compressed file is empty"),
    Bad("empty-sheet", "e.xlsx", workbook([]), r"the sheet 'Data' is empty"),
    Bad(
        "corrupt-gz",
        "c.csv.gz",
        b"\x1f\x8b\x08\x00" + b"\xff" * 40,
        r"the compressed file 'c\.csv\.gz' cannot be read",
    ),
    Bad(
        "zip-two-files",
        "z.zip",
        zipped({"a.csv": SIMPLE_CSV, "b.csv": SIMPLE_CSV}),
        r"holds 2 files",
    ),
    Bad(
        "broken-json",
        "j.json",
        b'[{"a": 1}, {"a": ',
        r"cannot be read as JSON: .*Malformed JSON in file \"j\.json\"",
    ),
    Bad("broken-ndjson", "j.ndjson", b'{"a": 1}\n{"a": \n', r"cannot be read as NDJSON"),
    Bad("broken-parquet", "p.parquet", b"PAR1" + b"\x00" * 100, r"cannot be read as PARQUET"),
    Bad(
        "encrypted-zip",
        "e.zip",
        lambda: encrypted_flag(zipped({"a.csv": SIMPLE_CSV})),
        r"the zip archive 'e\.zip' is encrypted",
    ),
    Bad(
        "encrypted-workbook-member",
        "e.xlsx",
        lambda: encrypted_flag(SIMPLE_BOOK),
        r"the Excel workbook cannot be read: .*encrypted",
    ),
    Bad(
        "garbage-workbook",
        "g.xlsx",
        zipped({"xl/workbook.xml": b"garbage"}),
        r"the Excel workbook cannot be read: File not found '_rels/\.rels'",
    ),
    Bad(
        "broken-sheet-xml",
        "g.xlsx",
        lambda: broken_sheet(SIMPLE_BOOK),
        r"the Excel workbook cannot be read: syntax error",
    ),
    Bad(
        "gzip-bomb",
        "bomb.csv.gz",
        lambda: gz(BOMB_CSV),
        r"the compressed file expands past the upload limit of 1 MiB",
        UploadTooLargeError,
        1,
    ),
    Bad(
        "zip-bomb",
        "bomb.zip",
        lambda: zipped({"bomb.csv": BOMB_CSV}),
        r"the compressed file expands past the upload limit of 1 MiB",
        UploadTooLargeError,
        1,
    ),
    Bad(
        "xlsx-bomb",
        "bomb.xlsx",
        lambda: with_member(SIMPLE_BOOK, "xl/media/pad.bin", b"\x00" * (4 * MIB)),
        r"the Excel workbook expands past the upload limit of 1 MiB",
        UploadTooLargeError,
        1,
    ),
    Bad(
        "xlsx-bomb-lying-sizes",
        "bomb.xlsx",
        lambda: lying_sizes(
            with_member(SIMPLE_BOOK, "xl/media/pad.bin", b"\x00" * (4 * MIB)), "xl/media/pad.bin", 9
        ),
        r"the Excel workbook is corrupt: Bad CRC-32 for file 'xl/media/pad\.bin'",
        max_upload_mb=1,
    ),
    Bad(
        "zip-bomb-lying-sizes",
        "bomb.zip",
        lambda: lying_sizes(zipped({"bomb.csv": BOMB_CSV}), "bomb.csv", 9),
        r"the compressed file 'bomb\.zip' cannot be read: Bad CRC-32 for file 'bomb\.csv'",
        max_upload_mb=1,
    ),
    Bad(
        "too-large",
        "big.csv",
        lambda: b"n\n" + b"12345678\n" * (MIB // 4),
        r"the file is \d\.\d MiB, past the upload limit of 1 MiB",
        UploadTooLargeError,
        1,
        r"the upload went on past the upload limit of 1 MiB \(PLOTWISE_MAX_UPLOAD_MB\)",
    ),
    Bad(
        "line-over-limit",
        "long.csv",
        lambda: b"a\n" + b"x" * (MAX_LINE_BYTES + 1) + b"\n",
        r"line 2 is longer than 16 MiB",
    ),
]


@pytest.mark.parametrize("case", BAD, ids=[case.id for case in BAD])
def test_bad_uploads_are_refused_naming_the_problem(place: Place, case: Bad):
    content = case.content() if callable(case.content) else case.content
    path = place.write(case.name, content)
    settings = place.settings(max_upload_mb=case.max_upload_mb)
    with pytest.raises(case.error, match=case.match) as caught:
        inspect_upload(path, case.name, settings)
    assert caught.value.code == (
        "upload_too_large" if case.error is UploadTooLargeError else "bad_upload"
    )
    assert caught.value.status_code == (413 if case.error is UploadTooLargeError else 400)
    assert str(place.data) not in caught.value.message
    assert_nothing_left(place, {path})


@pytest.mark.anyio
@pytest.mark.parametrize("case", BAD, ids=[case.id for case in BAD])
async def test_bad_uploads_received_over_the_wire_leave_nothing(place: Place, case: Bad):
    content = case.content() if callable(case.content) else case.content
    settings = place.settings(max_upload_mb=case.max_upload_mb)
    with pytest.raises(case.error, match=case.wire_match or case.match):
        received = await receive_upload(chunks_of(content), case.name, settings)
        assert received.parent.parent == place.data / "uploads" / ".staging"
        inspect_upload(received, case.name, settings)
    assert_nothing_left(place, set())


@pytest.mark.anyio
async def test_a_multi_gigabyte_line_is_stopped_at_the_limit_without_reading_it_all(place: Place):
    settings = place.settings(max_upload_mb=1)
    chunk = b"x" * (64 * 1024)
    read = 0

    async def endless_line() -> AsyncIterator[bytes]:
        nonlocal read
        yield b"a\n"
        for _ in range(3 * 1024 * 16):  # 3 GiB, if it were all read
            read += 1
            yield chunk

    with pytest.raises(UploadTooLargeError, match="past the upload limit of 1 MiB"):
        await receive_upload(endless_line(), "one-line.csv", settings)
    assert read == 16  # "a\n" and 16 chunks of 64 KiB: the one that passes 1 MiB ends it
    assert_nothing_left(place, set())


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("../../app.csv", "app.csv"),
        ("/etc/cron.d/x.csv", "x.csv"),
        ("..\\..\\x.csv", "x.csv"),
        ("C:\\x.csv", "x.csv"),
        ("\x00.csv", "csv"),
        ("..", "upload"),
        ("a b;rm -rf.csv", "a_b_rm_-rf.csv"),
    ],
)
async def test_received_files_land_in_their_draft_folder_under_a_safe_name(
    place: Place, name: str, stored: str
):
    settings = place.settings()
    received = await receive_upload(chunks_of(SIMPLE_CSV * 1), name, settings)
    staging = place.data / "uploads" / ".staging"
    assert received.parent.parent == staging and received.name == stored
    assert received.read_bytes() == SIMPLE_CSV
    assert files_under(place.inbox) == set()
    assert files_under(place.data) == {received}


@pytest.mark.anyio
async def test_a_received_upload_is_inspected_in_its_own_folder_and_committed(place: Place):
    settings = place.settings()
    received = await receive_upload(chunks_of(b"a,b\n1,x\n2,y\n"), "../../Sales.csv", settings)
    draft = inspect_upload(received, "../../Sales.csv", settings)
    assert draft.staging == received.parent and draft.draft_id == received.parent.name
    assert (draft.original_name, draft.table_name, draft.size_bytes) == ("Sales.csv", "sales", 12)
    assert load_draft(draft.draft_id, settings) == draft
    target = commit_upload(load_draft(draft.draft_id, settings), "sales", settings)
    assert target == place.data / "uploads" / "sales" / "sales.parquet"
    assert parquet_rows(target) == [(1, "x"), (2, "y")]
    assert not received.parent.exists()
    with pytest.raises(NotFoundError):
        load_draft(draft.draft_id, settings)


@pytest.mark.anyio
async def test_drafts_can_be_discarded_and_unknown_ids_are_not_found(place: Place):
    settings = place.settings()
    received = await receive_upload(chunks_of(SIMPLE_CSV), "s.csv", settings)
    draft = inspect_upload(received, "s.csv", settings)
    discard_draft(draft.draft_id, settings)
    assert not draft.staging.exists()
    for bad_id in [draft.draft_id, "../../etc", "0" * 31, "", "A" * 32]:
        with pytest.raises(NotFoundError):
            discard_draft(bad_id, settings)
    assert_nothing_left(place, set())


@pytest.mark.anyio
async def test_stale_drafts_are_removed(place: Place):
    settings = place.settings()
    old = await receive_upload(chunks_of(SIMPLE_CSV), "old.csv", settings)
    fresh = await receive_upload(chunks_of(SIMPLE_CSV), "new.csv", settings)
    for path in (old, old.parent):
        os.utime(path, (time.time() - 7200, time.time() - 7200))
    assert len(remove_stale_drafts(settings, older_than_s=3600)) == 1
    assert not old.parent.exists() and fresh.is_file()
