"""Upload file names are untrusted text: never a path, always a safe name."""

from __future__ import annotations

import pytest

from plotwise.errors import UploadError
from plotwise.uploads.names import base_name, check_name, safe_file_name, suggest_name

# (uploaded name, base name, staged file name, suggested table name)
NAMES = [
    ("sales.csv", "sales.csv", "sales.csv", "sales"),
    ("../../app.py", "app.py", "app.py", "app"),
    ("/etc/passwd", "passwd", "passwd", "passwd"),
    ("..\\..\\Windows\\evil.csv", "evil.csv", "evil.csv", "evil"),
    ("C:\\Users\\me\\Sales 2024.CSV.gz", "Sales 2024.CSV.gz", "Sales_2024.CSV.gz", "sales_2024"),
    ("a\x00b.csv", "ab.csv", "ab.csv", "ab"),
    ("..", "", "upload", "upload"),
    ("../", "", "upload", "upload"),
    ("", "", "upload", "upload"),
    ("....csv", "....csv", "csv", "csv"),
    (".hidden.csv", ".hidden.csv", "hidden.csv", "hidden"),
    ("2024 report.xlsx", "2024 report.xlsx", "2024_report.xlsx", "t_2024_report"),
    ("_x.csv", "_x.csv", "_x.csv", "x"),
    ("données été.csv", "données été.csv", "donnees_ete.csv", "donnees_ete"),
    ("表.csv", "表.csv", "_.csv", "upload"),
    ("a\nb\r.csv", "ab.csv", "ab.csv", "ab"),
    ("x" * 300 + ".csv.gz", "x" * 300 + ".csv.gz", "x" * 113 + ".csv.gz", "x" * 63),
]


@pytest.mark.parametrize(("uploaded", "base", "staged", "table"), NAMES)
def test_upload_names_are_sanitised(uploaded: str, base: str, staged: str, table: str):
    assert base_name(uploaded) == base
    assert safe_file_name(uploaded) == staged
    assert suggest_name(uploaded) == table
    assert "/" not in staged and "\\" not in staged and not staged.startswith(".")
    assert len(staged) <= 120
    assert check_name(table, "table") == table


@pytest.mark.parametrize("name", ["sales", "a", "t_2024", "a" * 63, "x_1_y"])
def test_valid_table_names(name: str):
    assert check_name(name, "table") == name


@pytest.mark.parametrize(
    "name",
    ["", "Sales", "1abc", "_x", "a-b", "a b", "../x", "a" * 64, "x;drop", "é", "a\x00"],
)
def test_invalid_table_names_are_refused_naming_them(name: str):
    with pytest.raises(UploadError, match="dataset name .* is not allowed"):
        check_name(name, "dataset")
