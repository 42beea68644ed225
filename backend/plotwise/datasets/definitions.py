"""Definitions of uploaded datasets: drafted at commit, edited in review, renamed with the data.

An upload is one table named like its dataset. Its definition starts as a draft
(`plotwise.semantic.draft.draft_from_columns`: roles guessed from names and types) with the
review's descriptions, and records the uploaded file's name in ``source``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import get_args

from plotwise.errors import BadRequestError
from plotwise.semantic.definition import (
    DatasetDefinition,
    MeasureDef,
    Relationship,
    Role,
    TableDef,
)
from plotwise.semantic.draft import draft_from_columns
from plotwise.sql.result import ColumnSchema

SOURCE_PREFIX = "Uploaded file "
"""How an upload's ``source`` starts; the rest is the uploaded file's name."""

ROLES: tuple[str, ...] = get_args(Role)
"""The roles a column may be given."""

DATASET_NAME = re.compile(r"[a-z][a-z0-9_]{0,62}")
"""A dataset name (also its table's name): a lower-case identifier, safe as a folder name."""


def check_dataset_name(name: str) -> str:
    """Return ``name`` if it may name a dataset.

    Raises:
        BadRequestError: It is not a lower-case identifier of at most 63 characters.

    """
    if not DATASET_NAME.fullmatch(name):
        raise BadRequestError(
            f"dataset name {name!r} is not allowed: use lower-case letters, digits and _, "
            "starting with a letter (at most 63)"
        )
    return name


def upload_definition(
    name: str,
    original_name: str,
    columns: list[ColumnSchema],
    *,
    description: str | None = None,
    descriptions: Mapping[str, str] | None = None,
) -> DatasetDefinition:
    """The draft definition of a freshly committed upload (one table named ``name``).

    Args:
        name: Dataset and table name.
        original_name: The uploaded file's name (kept in ``source``).
        columns: The table's columns with their DuckDB types.
        description: Says what the data is; replaces the draft's dataset and table text.
        descriptions: Column name -> description from the review.

    Raises:
        BadRequestError: A description names a column the table does not have.

    """
    draft = draft_from_columns(name, {name: columns})
    draft = draft.model_copy(update={"source": SOURCE_PREFIX + original_name})
    return edit_definition(
        draft,
        description=description,
        columns={column: {"description": text} for column, text in (descriptions or {}).items()},
    )


def origin_of(definition: DatasetDefinition) -> str | None:
    """The uploaded file's name recorded in an upload's definition, if any."""
    source = definition.source or ""
    return source.removeprefix(SOURCE_PREFIX) if source.startswith(SOURCE_PREFIX) else None


def edit_definition(
    definition: DatasetDefinition,
    *,
    description: str | None = None,
    columns: Mapping[str, Mapping[str, str | None]] | None = None,
) -> DatasetDefinition:
    """Apply a review's edits: the dataset description, column descriptions and roles.

    Args:
        definition: An upload's definition (its columns are looked up in every table).
        description: New text for the dataset and its default table; None keeps them.
        columns: Column name -> ``{"description": ..., "role": ...}`` (either may be missing
            or None).

    Raises:
        BadRequestError: A column is unknown, or a role is not one of `ROLES`.

    """
    tables = dict(definition.tables)
    for column, changes in (columns or {}).items():
        owner = next((t for t, table in tables.items() if column in table.columns), None)
        if owner is None:
            known = ", ".join(c for table in tables.values() for c in table.columns)
            raise BadRequestError(f"unknown column {column!r}; columns: {known}")
        update: dict[str, str] = {}
        if (text := changes.get("description")) is not None:
            update["description"] = text
        if (role := changes.get("role")) is not None:
            if role not in ROLES:
                raise BadRequestError(
                    f"role {role!r} of column {column!r} is not one of {', '.join(ROLES)}"
                )
            update["role"] = role
        table = tables[owner]
        changed = table.columns[column].model_copy(update=update)
        tables[owner] = table.model_copy(update={"columns": {**table.columns, column: changed}})
    update_def: dict[str, object] = {"tables": tables}
    if description is not None:
        update_def["description"] = description
        default = tables[definition.default_table]
        tables[definition.default_table] = default.model_copy(update={"description": description})
    return DatasetDefinition.model_validate(
        definition.model_copy(update=update_def).model_dump(by_alias=True)
    )


def rename_definition(definition: DatasetDefinition, old: str, new: str) -> DatasetDefinition:
    """The definition of dataset ``old`` under the name ``new``; its table ``old`` becomes ``new``.

    Names derived from the old name (the title, the row nouns, the ``<old>_count`` measure and
    relationships) follow.
    """

    def table_name(table: str) -> str:
        return new if table == old else table

    tables: dict[str, TableDef] = {}
    for tname, table in definition.tables.items():
        if tname != old:
            tables[tname] = table
            continue
        nouns = {_noun(old): _noun(new), old: new}
        measures: dict[str, MeasureDef] = {
            (f"{new}_count" if mname == f"{old}_count" else mname): measure
            for mname, measure in table.measures.items()
        }
        tables[new] = table.model_copy(
            update={
                "row_nouns": sorted({nouns.get(n, n) for n in table.row_nouns}),
                "measures": measures,
            }
        )
    relationships = [
        Relationship.model_validate(
            {
                "from": f"{table_name(r.from_table)}.{r.from_column}",
                "to": f"{table_name(r.to_table)}.{r.to_column}",
            }
        )
        for r in definition.relationships
    ]
    data = definition.model_copy(
        update={
            "name": new,
            "title": new if definition.title == old else definition.title,
            "default_table": table_name(definition.default_table),
            "tables": tables,
            "relationships": relationships,
        }
    ).model_dump(by_alias=True)
    return DatasetDefinition.model_validate(data)


def _noun(table: str) -> str:
    return table.removesuffix("s") if table.endswith("s") else table
