"""Good uploads of every format read for review and committed as Parquet of the reviewed types.

Real files and a real DuckDB: missing-value markers, dates, thousands separators, TSV, Parquet,
JSON, NDJSON, Excel and compressed files; type overrides at commit, and overrides that are
refused naming the column.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest

from plotwise.errors import ConflictError, UploadError
from plotwise.uploads import commit_upload, inspect_upload, load_draft
from support.uploads import (
    PAYLOAD,
    SIMPLE_BOOK,
    SIMPLE_CSV,
    Place,
    assert_nothing_left_but,
    files_under,
    gz,
    kinds,
    make_place,
    parquet_bytes,
    parquet_rows,
    parquet_types,
    workbook,
    zipped,
)


@pytest.fixture
def place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Place:
    return make_place(tmp_path, monkeypatch)


MESSY_CSV = b"""id,city,qty,price,day,seen_at,note,code
1,Paris,"1,234","1,234.50",2024-01-05,2024-01-05 10:00:00,NA,00123
2,,56,7.25,2024-02-01,,null,00456
3,NA,"2,000",NA,,2024-03-01 12:30:00,,00789
4,null,7,"12,000.00",2024-03-09,2024-03-09 08:00:00,N/A,01000
"""


def test_a_messy_csv_is_typed_for_review_and_committed_as_parquet(place: Place):
    path = place.write("Messy Sales.csv", MESSY_CSV)
    settings = place.settings()
    draft = inspect_upload(path, "Messy Sales.csv", settings)
    assert (draft.format, draft.table_name, draft.row_count, draft.encoding) == (
        "csv",
        "messy_sales",
        4,
        "utf-8",
    )
    assert kinds(draft) == [
        ("id", "BIGINT", 0),
        ("city", "VARCHAR", 3),
        ("qty", "BIGINT", 0),
        ("price", "DOUBLE", 1),
        ("day", "DATE", 1),
        ("seen_at", "TIMESTAMP", 1),
        ("note", "VARCHAR", 4),
        ("code", "VARCHAR", 0),
    ]
    assert [c.name for c in draft.columns if c.thousands] == ["qty", "price"]
    assert draft.columns[2].examples == [1234, 56, 2000]
    assert draft.columns[4].examples == ["2024-01-05", "2024-02-01", "2024-03-09"]
    assert draft.preview[0] == [
        1,
        "Paris",
        1234,
        1234.5,
        "2024-01-05",
        "2024-01-05T10:00:00",
        None,
        "00123",
    ]
    assert draft.preview[2] == [3, None, 2000, None, None, "2024-03-01T12:30:00", None, "00789"]
    assert draft.problems == ["column 'note' is empty in every row"]

    target = commit_upload(draft, "sales", settings)
    assert parquet_types(target) == [(c.name, c.type) for c in draft.columns]
    assert parquet_rows(target)[0] == (
        1,
        "Paris",
        1234,
        1234.5,
        dt.date(2024, 1, 5),
        dt.datetime(2024, 1, 5, 10, 0),
        None,
        "00123",
    )
    assert files_under(place.data / "uploads") == {target}
    assert files_under(place.inbox) == {path}


def test_type_overrides_are_applied_at_commit(place: Place):
    settings = place.settings()
    draft = inspect_upload(place.write("m.csv", MESSY_CSV), "m.csv", settings)
    overrides = {
        "id": "varchar",
        "qty": "DOUBLE",
        "code": "INTEGER",
        "day": "TIMESTAMP",
        "price": "decimal(10, 2)",
    }
    target = commit_upload(draft, "sales", settings, dataset="shop", overrides=overrides)
    assert target == place.data / "uploads" / "shop" / "sales.parquet"
    types = dict(parquet_types(target))
    assert (types["id"], types["qty"], types["code"], types["day"], types["price"]) == (
        "VARCHAR",
        "DOUBLE",
        "INTEGER",
        "TIMESTAMP",
        "DECIMAL(10,2)",
    )
    first = parquet_rows(target)[0]
    assert (first[0], first[2], first[3], first[4], first[7]) == (
        "1",
        1234.0,
        Decimal("1234.50"),
        dt.datetime(2024, 1, 5),
        123,
    )


@pytest.mark.parametrize(
    ("overrides", "match"),
    [
        ({"nope": "VARCHAR"}, r"the override names column 'nope', which the file does not have"),
        ({"city": "BLOB"}, r"the override type 'BLOB' of column 'city' is not allowed"),
        (
            {"city": "VARCHAR); DROP TABLE x; --"},
            r"the override type .* of column 'city' is not allowed",
        ),
        ({"city": "INTEGER"}, r"column 'city' cannot be INTEGER: the value 'Paris' does not fit"),
        ({"day": "INTEGER"}, r"column 'day' cannot be INTEGER: the value '2024-01-05' does not"),
        ({"qty": "TINYINT"}, r"column 'qty' cannot be TINYINT: the value '1234' does not fit"),
        (
            {"price": "BIGINT", "id": "DATE"},
            r"column 'id' cannot be DATE: the value '1' does not fit",
        ),
    ],
)
def test_bad_overrides_are_refused_naming_the_column_and_leave_nothing(
    place: Place, overrides: dict[str, str], match: str
):
    settings = place.settings()
    path = place.write("m.csv", MESSY_CSV)
    draft = inspect_upload(path, "m.csv", settings)
    with pytest.raises(UploadError, match=match):
        commit_upload(draft, "sales", settings, overrides=overrides)
    assert not (place.data / "uploads" / "sales").exists()
    # The draft stays for another try, which can then succeed.
    assert load_draft(draft.draft_id, settings) == draft
    commit_upload(draft, "sales", settings)
    assert_nothing_left_but(place, {path}, place.data / "uploads" / "sales" / "sales.parquet")


@pytest.mark.parametrize(
    ("table", "dataset", "match"),
    [
        ("Sales", None, "table name 'Sales'"),
        ("sales", "../x", "dataset name '../x'"),
        ("1x", None, "table name '1x'"),
    ],
)
def test_bad_names_are_refused_at_commit(place: Place, table: str, dataset: str | None, match: str):
    settings = place.settings()
    draft = inspect_upload(place.write("s.csv", SIMPLE_CSV), "s.csv", settings)
    with pytest.raises(UploadError, match=match):
        commit_upload(draft, table, settings, dataset=dataset)
    assert sorted(p.name for p in (place.data / "uploads").iterdir()) == [".staging"]


def test_a_second_table_of_the_same_name_is_a_conflict(place: Place):
    settings = place.settings()
    first = inspect_upload(place.write("s.csv", SIMPLE_CSV), "s.csv", settings)
    target = commit_upload(first, "sales", settings)
    second = inspect_upload(place.write("t.csv", b"a\n9\n"), "t.csv", settings)
    with pytest.raises(ConflictError, match="already has a table 'sales'"):
        commit_upload(second, "sales", settings)
    assert parquet_rows(target) == [(1, "x"), (2, "y")]


# (file name, content, format, [(column, type, nulls)], first preview row)
GOOD = [
    (
        "names.csv",
        b'"we""ird",select,,A,a,"x y"\n1,2,3,4,5,6\n',
        "csv",
        [(name, "BIGINT", 0) for name in ['we"ird', "select", "column2", "A", "a_1", "x y"]],
        [1, 2, 3, 4, 5, 6],
    ),
    (
        "tabs.tsv",
        b"a\tb\tc\n1\tx y\t2024-01-05\n2\tNA\t\n",
        "tsv",
        [("a", "BIGINT", 0), ("b", "VARCHAR", 1), ("c", "DATE", 1)],
        [1, "x y", "2024-01-05"],
    ),
    ("tabs.csv", b"a\tb\n1\t1,5\n", "tsv", [("a", "BIGINT", 0), ("b", "VARCHAR", 0)], [1, "1,5"]),
    ("crlf.csv", b"a,b\r\n1,2\r\n", "csv", [("a", "BIGINT", 0), ("b", "BIGINT", 0)], [1, 2]),
    (
        "bom.csv",
        b"\xef\xbb\xbfa,b\n1,\xc3\xa9\n",
        "csv",
        [("a", "BIGINT", 0), ("b", "VARCHAR", 0)],
        [1, "é"],
    ),
    (
        "quoted.csv",
        b'a,b\n1,"x, ""y""\nz"\n',
        "csv",
        [("a", "BIGINT", 0), ("b", "VARCHAR", 0)],
        [1, 'x, "y"\nz'],
    ),
    ("us-dates.csv", b"d\n05/01/2024\n12/31/2024\n", "csv", [("d", "DATE", 0)], ["2024-05-01"]),
    (
        "typed.parquet",
        parquet_bytes(
            pa.table(
                {
                    "n": [1, None],
                    "s": ["x", "y"],
                    "d": [dt.date(2024, 1, 5), None],
                    "t": pa.array([dt.datetime(2024, 1, 5, 1)] * 2, pa.timestamp("us")),
                }
            )
        ),
        "parquet",
        [("n", "BIGINT", 1), ("s", "VARCHAR", 0), ("d", "DATE", 1), ("t", "TIMESTAMP", 0)],
        [1, "x", "2024-01-05", "2024-01-05T01:00:00"],
    ),
    (
        "array.json",
        json.dumps(
            [{"a": 1, "b": "x", "d": "2024-01-05"}, {"a": 2, "b": None, "d": "2024-02-01"}]
        ).encode(),
        "json",
        [("a", "BIGINT", 0), ("b", "VARCHAR", 1), ("d", "DATE", 0)],
        [1, "x", "2024-01-05"],
    ),
    (
        "lines.ndjson",
        b'{"a": 1, "b": "x"}\n{"a": 2.5}\n',
        "ndjson",
        [("a", "DOUBLE", 0), ("b", "VARCHAR", 1)],
        [1.0, "x"],
    ),
    ("lines.jsonl", b'{"a": 1}\n{"a": 2}\n', "ndjson", [("a", "BIGINT", 0)], [1]),
    ("lines.json", b'{"a": 1}\n{"a": 2}\n', "ndjson", [("a", "BIGINT", 0)], [1]),
    ("packed.csv.gz", gz(b"a,b\n1,2\n"), "csv", [("a", "BIGINT", 0), ("b", "BIGINT", 0)], [1, 2]),
    (
        "packed.zip",
        zipped({"dir/inner.tsv": b"a\tb\n1\t2\n"}),
        "tsv",
        [("a", "BIGINT", 0), ("b", "BIGINT", 0)],
        [1, 2],
    ),
    ("book.xlsx.gz", gz(SIMPLE_BOOK), "xlsx", [("a", "BIGINT", 0), ("b", "VARCHAR", 0)], [1, "x"]),
]


@pytest.mark.parametrize(
    ("name", "content", "file_format", "columns", "first"), GOOD, ids=[g[0] for g in GOOD]
)
def test_good_uploads_are_read_and_committed_with_the_reviewed_types(
    place: Place, name: str, content: bytes, file_format: str, columns: list, first: list
):
    settings = place.settings()
    path = place.write(name, content)
    draft = inspect_upload(path, name, settings)
    assert draft.format == file_format
    assert kinds(draft) == [tuple(c) for c in columns]
    assert draft.preview[0] == first
    target = commit_upload(draft, draft.table_name, settings)
    assert parquet_types(target) == [(c.name, c.type) for c in draft.columns]
    assert_nothing_left_but(place, {path}, target)


def test_a_windows_1252_csv_is_read_with_the_named_fallback(place: Place):
    content = "name,price\nCafé crème,€3\n“Quoted”,5\n".encode("cp1252")
    settings = place.settings()
    draft = inspect_upload(place.write("w.csv", content), "w.csv", settings)
    assert draft.encoding == "cp1252"
    assert draft.preview == [["Café crème", "€3"], ["“Quoted”", "5"]]
    assert any("not UTF-8; it was read as Windows-1252 (cp1252)" in p for p in draft.problems)
    target = commit_upload(draft, "prices", settings)
    assert parquet_rows(target) == [("Café crème", "€3"), ("“Quoted”", "5")]


def test_an_excel_workbook_is_read_with_its_cell_types(place: Place):
    rows = [
        ["id", "when", "at", "amount", "ok", "label", "count", "mixed", None],
        [
            1,
            dt.date(2024, 1, 5),
            dt.datetime(2024, 1, 5, 10, 30),
            1.5,
            True,
            PAYLOAD,
            "1,234",
            1,
            "x",
        ],
        [2, dt.date(2024, 2, 1), dt.datetime(2024, 2, 1, 8, 0), 2, False, "NA", "56", "two", None],
        [3, None, None, None, None, "@SUM(1)", "", None, None],
    ]
    settings = place.settings()
    path = place.write("Book.xlsx", workbook(rows, extra_sheets=1, text_cells=True))
    draft = inspect_upload(path, "Book.xlsx", settings)
    assert (draft.format, draft.sheet, draft.table_name, draft.row_count) == (
        "xlsx",
        "Data",
        "book",
        3,
    )
    assert kinds(draft) == [
        ("id", "BIGINT", 0),
        ("when", "DATE", 1),
        ("at", "TIMESTAMP", 1),
        ("amount", "DOUBLE", 1),
        ("ok", "BOOLEAN", 1),
        ("label", "VARCHAR", 1),
        ("count", "BIGINT", 1),
        ("mixed", "VARCHAR", 1),
        ("column9", "VARCHAR", 2),
    ]
    assert draft.columns[5].formula_cells == 2 and draft.columns[6].thousands
    assert draft.preview[0] == [
        1,
        "2024-01-05",
        "2024-01-05T10:30:00",
        1.5,
        True,
        PAYLOAD,
        1234,
        "1",
        "x",
    ]
    assert draft.problems[:2] == [
        "the workbook has 2 sheets; read the first, 'Data' (not ['Other1'])",
        "column 'mixed' mixes number and text cells in the workbook; it was read as text "
        "(a type can be chosen at review)",
    ]
    assert any(
        "'label' has 2 cells that start like a spreadsheet formula" in p for p in draft.problems
    )
    target = commit_upload(draft, "book", settings)
    assert parquet_types(target) == [(c.name, c.type) for c in draft.columns]
    assert parquet_rows(target)[1][:3] == (2, dt.date(2024, 2, 1), dt.datetime(2024, 2, 1, 8, 0))
    assert_nothing_left_but(place, {path}, target)


def test_another_sheet_can_be_chosen_and_a_missing_one_is_named(place: Place):
    settings = place.settings()
    path = place.write("b.xlsx", workbook([["a"], [1]], extra_sheets=2))
    draft = inspect_upload(path, "b.xlsx", settings, sheet="Other2")
    assert (draft.sheet, kinds(draft), draft.problems, draft.preview) == (
        "Other2",
        [("x", "BIGINT", 0)],
        [],
        [[2]],
    )
    with pytest.raises(
        UploadError,
        match=r"the workbook has no sheet 'Nope'; its sheets: \['Data', 'Other1', 'Other2'\]",
    ):
        inspect_upload(path, "b.xlsx", settings, sheet="Nope")


def test_formula_looking_cells_are_flagged_for_review(place: Place):
    content = f"who,amount\n{PAYLOAD},1\n+1+2,2\n-3+4,3\n@SUM(A1),4\nplain,5\n"
    settings = place.settings()
    draft = inspect_upload(place.write("f.csv", content.encode()), "f.csv", settings)
    assert [(c.name, c.formula_cells) for c in draft.columns] == [("who", 4), ("amount", 0)]
    assert draft.columns[0].examples[0] == PAYLOAD
    assert draft.problems == [
        "column 'who' has 4 cells that start like a spreadsheet formula (=, +, -, @, tab, CR, LF);"
        " they are kept as text and escaped with a leading ' in CSV exports"
    ]
    # Kept as data in the table: escaping belongs to CSV exports (see test_upload_formulas).
    target = commit_upload(draft, "f", settings)
    assert parquet_rows(target)[0] == (PAYLOAD, 1)


def test_a_negative_thousands_column_is_a_number_not_a_formula(place: Place):
    draft = inspect_upload(place.write("n.csv", b'n\n"-1,234"\n5\n'), "n.csv", place.settings())
    [column] = draft.columns
    assert (column.type, column.thousands, column.formula_cells, draft.problems) == (
        "BIGINT",
        True,
        0,
        [],
    )
