"""Read one sheet of an Excel (.xlsx) workbook into Parquet, typed from the cells' own types.

An .xlsx file is a zip archive, so it can be a compressed bomb like any ``.zip``. Before the
reader (python-calamine, a Rust library) sees it, every member is expanded here through
Python's `zipfile` (which stops at each member's declared size and checks its CRC) with the
total held to ``PLOTWISE_MAX_UPLOAD_MB``, into an uncompressed copy: the reader then only ever
sees sizes that are true.

Cell types: a column whose cells are all numbers becomes ``BIGINT`` (all whole) or ``DOUBLE``;
all dates ``DATE``; dates with times ``TIMESTAMP``; times ``TIME``; booleans ``BOOLEAN``; text
``VARCHAR`` (then checked for thousands separators and formula-looking cells like any text
column). Empty cells and the null markers (``NA``, ``null``...) are NULL. A column mixing kinds
(numbers and text) is read as text and the draft says so.
"""

from __future__ import annotations

import datetime as dt
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from plotwise.errors import UploadError
from plotwise.settings import Settings
from plotwise.uploads.formats import too_large, upload_limit
from plotwise.uploads.reader import NULL_MARKERS

SHEET_FILE = ".sheet.parquet"
"""The sheet as Parquet, in the draft's folder: what inspection and commit read."""

_WORKBOOK_COPY = ".workbook.xlsx"
"""The uncompressed copy of the workbook the reader opens (removed after reading)."""

MAX_MEMBERS = 10_000
"""Most files a workbook's zip may hold (a real one holds tens)."""

BATCH_ROWS = 65_536
"""Rows converted and written to Parquet at a time."""

_CHUNK = 1 << 20
"""Bytes copied per read while expanding the workbook."""

_NULLS = frozenset(NULL_MARKERS)

_KIND_NAMES = {
    int: "number",
    float: "number",
    str: "text",
    bool: "true/false",
    dt.date: "date",
    dt.datetime: "date-time",
    dt.time: "time",
    dt.timedelta: "duration",
}
"""How the review names the kinds of cells python-calamine returns."""


@dataclass(frozen=True)
class Sheet:
    """A sheet read into Parquet."""

    path: Path
    """The Parquet file (`SHEET_FILE` in the draft's folder)."""
    name: str
    """The sheet's name in the workbook."""
    problems: list[str]
    """Notes for the review: other sheets not read, columns of mixed kinds read as text."""


@dataclass
class _Kinds:
    """The kinds of the non-empty cells of one column."""

    types: set[type] = field(default_factory=set)
    whole: bool = True
    """All numbers seen are whole and within a double's exact integers."""


def read_sheet(path: Path, folder: Path, settings: Settings, sheet: str | None = None) -> Sheet:
    """Read a sheet of the workbook at ``path`` into ``folder / SHEET_FILE``.

    Args:
        path: The .xlsx file (its zip signature already checked).
        folder: The draft's folder.
        settings: Uses ``max_upload_mb``, the most the workbook's members may expand to.
        sheet: The sheet to read; None reads the first visible worksheet.

    Returns:
        The Parquet file, the sheet's name and notes for the review.

    Raises:
        UploadError: The workbook is corrupt, has no such sheet, or the sheet is empty.
        UploadTooLargeError: The workbook expands past ``PLOTWISE_MAX_UPLOAD_MB``.

    """
    copy = folder / _WORKBOOK_COPY
    try:
        _expand_workbook(path, copy, settings)
        try:
            workbook = CalamineWorkbook.from_path(str(copy))
        except (CalamineError, OSError, ValueError) as error:
            raise UploadError(f"the Excel workbook cannot be read: {error}") from error
        try:
            name, problems = _pick_sheet(workbook, sheet)
            cells = workbook.get_sheet_by_name(name)
            target = folder / SHEET_FILE
            problems += _write_parquet(name, cells.iter_rows, target)
        except CalamineError as error:
            raise UploadError(f"the Excel workbook cannot be read: {error}") from error
        except pa.ArrowException as error:
            raise UploadError(f"the sheet {name!r} cannot be read: {error}") from error
        finally:
            workbook.close()
    finally:
        copy.unlink(missing_ok=True)
    return Sheet(path=target, name=name, problems=problems)


def _expand_workbook(path: Path, target: Path, settings: Settings) -> None:
    """Copy the workbook's members, uncompressed, into a new zip; stop past the upload limit."""
    limit = upload_limit(settings)
    total = 0
    try:
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as sink:
            members = source.infolist()
            if len(members) > MAX_MEMBERS:
                raise UploadError(f"the Excel workbook holds {len(members)} files; not a workbook")
            for info in members:
                if info.is_dir():
                    continue
                with (
                    source.open(info) as member,
                    sink.open(info.filename, "w", force_zip64=True) as out,
                ):
                    while chunk := member.read(_CHUNK):
                        total += len(chunk)
                        if total > limit:
                            raise too_large(settings, "the Excel workbook expands")
                        out.write(chunk)
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error, NotImplementedError) as error:
        raise UploadError(f"the Excel workbook is corrupt: {error}") from error
    except RuntimeError as error:  # zipfile's "File ... is encrypted, password required"
        raise UploadError(f"the Excel workbook cannot be read: {error}") from error


def _pick_sheet(workbook: CalamineWorkbook, wanted: str | None) -> tuple[str, list[str]]:
    """The sheet to read, and a note when the workbook has others."""
    names = list(workbook.sheet_names)
    if wanted is not None:
        if wanted not in names:
            raise UploadError(f"the workbook has no sheet {wanted!r}; its sheets: {names}")
        return wanted, []
    worksheets = [
        meta.name
        for meta in workbook.sheets_metadata
        if meta.typ == SheetTypeEnum.WorkSheet and meta.visible == SheetVisibleEnum.Visible
    ]
    if not worksheets:
        raise UploadError("the workbook has no visible worksheet")
    chosen = worksheets[0]
    others = [name for name in names if name != chosen]
    notes = (
        [f"the workbook has {len(names)} sheets; read the first, {chosen!r} (not {others})"]
        if others
        else []
    )
    return chosen, notes


def _write_parquet(
    name: str, rows: Callable[[], Iterator[list[object]]], target: Path
) -> list[str]:
    """Write the sheet's rows (the first is the header) to Parquet; return notes for review.

    ``rows`` is the sheet's ``iter_rows``, called twice: once to learn each column's kinds,
    once to convert.
    """
    header_row = next(rows(), None)
    if header_row is None or all(_cell(value) is None for value in header_row):
        raise UploadError(f"the sheet {name!r} is empty (its first row must be the header)")
    names = _column_names(header_row)
    kinds = [_Kinds() for _ in names]
    for row in _body(rows()):
        for value, kind in zip(row, kinds, strict=False):
            _note_kind(_cell(value), kind)
    types = [_arrow_type(kind) for kind in kinds]
    schema = pa.schema([pa.field(column, kind) for column, kind in zip(names, types, strict=True)])
    with pq.ParquetWriter(target, schema) as writer:
        for batch in _batches(_body(rows()), types):
            writer.write_batch(pa.RecordBatch.from_arrays(batch, schema=schema))
    return [
        f"column {column!r} mixes {' and '.join(sorted({_KIND_NAMES[t] for t in kind.types}))}"
        " cells in the workbook; it was read as text (a type can be chosen at review)"
        for column, kind in zip(names, kinds, strict=True)
        if len(kind.types) > 1 and _arrow_type(kind) == pa.string()
    ]


def _body(rows: Iterable[list[object]]) -> Iterator[list[object]]:
    """The rows after the header."""
    iterator = iter(rows)
    next(iterator, None)
    return iterator


def _column_names(header: list[object]) -> list[str]:
    """Header cells as unique names; an empty one becomes ``column<n>``."""
    names: list[str] = []
    for index, value in enumerate(header, start=1):
        cell = _cell(value)
        base = _text(cell).strip() if cell is not None else f"column{index}"
        name, suffix = base, 2
        # DuckDB matches column names without regard to case: "A" and "a" would clash.
        while name.lower() in (taken.lower() for taken in names):
            name, suffix = f"{base}_{suffix}", suffix + 1
        names.append(name)
    return names


def _cell(value: object) -> object:
    """A cell's value, with empty text and the null markers as None."""
    if isinstance(value, str) and value.strip() in _NULLS:
        return None
    return value


def _note_kind(value: object, kind: _Kinds) -> None:
    """Add a cell to what is known of its column."""
    if value is None:
        return
    kind.types.add(type(value))
    if type(value) is float and not (value.is_integer() and abs(value) <= 2**53):
        kind.whole = False
    if type(value) is int and abs(value) >= 2**63:
        kind.whole = False


def _arrow_type(kind: _Kinds) -> pa.DataType:
    """The Arrow type of a column from the kinds of its cells (text when they are mixed)."""
    types = kind.types
    if types <= {int, float} and types:
        return pa.int64() if kind.whole else pa.float64()
    if types <= {dt.date, dt.datetime} and types:
        return pa.date32() if types == {dt.date} else pa.timestamp("us")
    single = {bool: pa.bool_(), dt.time: pa.time64("us"), dt.timedelta: pa.duration("us")}
    if len(types) == 1 and next(iter(types)) in single:
        return single[next(iter(types))]
    return pa.string()


def _batches(rows: Iterator[list[object]], types: list[pa.DataType]) -> Iterator[list[pa.Array]]:
    """Columns of `BATCH_ROWS` rows at a time, as Arrow arrays of ``types``."""
    while True:
        columns: list[list[object]] = [[] for _ in types]
        for _, row in zip(range(BATCH_ROWS), rows, strict=False):
            for index, column in enumerate(columns):
                column.append(_cell(row[index]) if index < len(row) else None)
        if not columns[0]:
            return
        yield [_array(values, kind) for values, kind in zip(columns, types, strict=True)]


def _array(values: list[object], kind: pa.DataType) -> pa.Array:
    """One column's values as an Arrow array of its type."""
    if kind == pa.string():
        return pa.array([None if v is None else _text(v) for v in values], pa.string())
    if kind == pa.int64():
        return pa.array([None if v is None else int(v) for v in values], kind)
    if pa.types.is_timestamp(kind):
        values = [dt.datetime.combine(v, dt.time()) if type(v) is dt.date else v for v in values]
    return pa.array(values, kind)


def _text(value: object) -> str:
    """A cell as text: whole numbers without ``.0``, dates and times in ISO 8601."""
    if type(value) is float and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
