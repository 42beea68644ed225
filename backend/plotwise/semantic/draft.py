"""Draft dataset definitions for tables that have none, guessed from the catalog's schema.

A draft is a starting point for the semantic layer of new data: every column gets a role from
its type and name (dates and ``year``/``month``... are times, names ending in ``_id`` or ``key``
are identifiers, text is a dimension, numbers are measures), its name in words as a synonym,
and a description that says it is a draft. The analyst then edits descriptions and synonyms.
"""

from __future__ import annotations

import re

import yaml

from plotwise.data.catalog import Catalog
from plotwise.errors import DatasetError
from plotwise.semantic.definition import (
    ColumnDef,
    DatasetDefinition,
    MeasureDef,
    Role,
    TableDef,
)
from plotwise.sql.result import NUMERIC_TYPES, ColumnSchema

TIME_NAMES = frozenset({"year", "quarter", "month", "week", "day", "hour", "minute"})


def guess_role(name: str, sql_type: str) -> Role:
    """The role a column most likely plays, from its name and DuckDB type."""
    kind = sql_type.upper()
    if kind.startswith(("DATE", "TIMESTAMP", "TIME")) or name.lower() in TIME_NAMES:
        return "time"
    if re.search(r"(^id$|_id$|key$)", name.lower()):
        return "identifier"
    if kind.startswith(NUMERIC_TYPES):
        return "measure"
    return "dimension"


def draft_definition(catalog: Catalog, name: str, tables: list[str]) -> DatasetDefinition:
    """Draft a definition of ``tables`` (registered in ``catalog``) as dataset ``name``.

    Raises:
        DatasetError: No table was given.
        NotFoundError: A table is not in the catalog.

    """
    if not tables:
        raise DatasetError("name at least one table to draft a definition for")
    return draft_from_columns(name, {table: catalog.table_columns(table) for table in tables})


def draft_from_columns(name: str, tables: dict[str, list[ColumnSchema]]) -> DatasetDefinition:
    """Draft a definition of dataset ``name`` from each table's columns (DuckDB type names).

    The first table is the default one.

    Raises:
        DatasetError: No table was given.

    """
    if not tables:
        raise DatasetError("name at least one table to draft a definition for")
    table_defs = {}
    for table, table_columns in tables.items():
        columns = {
            column.name: ColumnDef(
                type=column.type,
                role=guess_role(column.name, column.type),
                description=f"{column.name.replace('_', ' ')} (draft: describe this column)",
                synonyms=[column.name.replace("_", " ").lower()],
            )
            for column in table_columns
        }
        noun = table.removesuffix("s") if table.endswith("s") else table
        table_defs[table] = TableDef(
            description=f"The {table} table (draft: say what one row is).",
            row_nouns=sorted({noun, table}),
            columns=columns,
            measures={
                f"{table}_count": MeasureDef(
                    expr="count(*)", description=f"Number of {table} rows.", synonyms=[]
                )
            },
        )
    names = list(tables)
    return DatasetDefinition(
        name=name,
        title=name,
        description=f"Draft definition of {', '.join(names)}: review every description.",
        default_table=names[0],
        tables=table_defs,
    )


def to_yaml(definition: DatasetDefinition) -> str:
    """The definition in the YAML file format of ``docs/dataset-definitions.md``."""
    data = definition.model_dump(mode="json", by_alias=True, exclude_none=True)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
