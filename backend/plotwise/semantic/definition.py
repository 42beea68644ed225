"""Dataset definition files (YAML) and their typed model.

The format is documented in ``docs/dataset-definitions.md``; the bundled example is
``fixtures/datasets/nycflights13.yaml``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from plotwise.errors import DatasetError

Role = Literal["measure", "dimension", "time", "identifier"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ColumnDef(_Strict):
    """A physical column of a table."""

    type: str
    """DuckDB type name, e.g. ``INTEGER`` or ``TIMESTAMP``."""
    role: Role
    """How analysts use it: aggregated (measure), grouped by (dimension, time) or looked up."""
    description: str
    unit: str | None = None
    """Unit of the values, e.g. ``minutes`` or ``miles``."""
    synonyms: list[str] = Field(default_factory=list)
    """Words analysts use for the column, lower case."""


class DimensionDef(_Strict):
    """A derived dimension: an SQL expression over one table's columns, grouped by like a column."""

    expr: str
    role: Literal["dimension", "time"] = "dimension"
    description: str
    synonyms: list[str] = Field(default_factory=list)


class MeasureDef(_Strict):
    """A named aggregate, e.g. ``flights`` = ``count(*)``."""

    expr: str
    description: str
    synonyms: list[str] = Field(default_factory=list)


class TableDef(_Strict):
    """One table of the dataset, registered in the catalog under its key."""

    description: str
    row_nouns: list[str] = Field(default_factory=list)
    """What one row is called (``flight``, ``flights``), used to read "how many flights"."""
    columns: dict[str, ColumnDef]
    dimensions: dict[str, DimensionDef] = Field(default_factory=dict)
    measures: dict[str, MeasureDef] = Field(default_factory=dict)


class Relationship(_Strict):
    """A many-to-one join from ``from_`` (``table.column``) to ``to`` (``table.column``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_: str = Field(alias="from")
    to: str

    @property
    def from_table(self) -> str:
        """Table on the many side."""
        return self.from_.split(".", 1)[0]

    @property
    def from_column(self) -> str:
        """Join column on the many side."""
        return self.from_.split(".", 1)[1]

    @property
    def to_table(self) -> str:
        """Table on the one side."""
        return self.to.split(".", 1)[0]

    @property
    def to_column(self) -> str:
        """Join column on the one side."""
        return self.to.split(".", 1)[1]


class DatasetDefinition(_Strict):
    """A whole dataset: its tables and how they join."""

    name: str
    title: str
    description: str
    source: str | None = None
    default_table: str
    """Table that "how many" questions count when they name no other."""
    tables: dict[str, TableDef]
    relationships: list[Relationship] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_references(self) -> DatasetDefinition:
        if self.default_table not in self.tables:
            raise ValueError(f"default_table {self.default_table!r} is not a table")
        for rel in self.relationships:
            for table, column in ((rel.from_table, rel.from_column), (rel.to_table, rel.to_column)):
                if table not in self.tables or column not in self.tables[table].columns:
                    raise ValueError(f"relationship names unknown column {table}.{column}")
        return self


def load_definition(path: Path) -> DatasetDefinition:
    """Load and validate one dataset definition file.

    Args:
        path: A YAML file in the format of ``docs/dataset-definitions.md``.

    Returns:
        The validated definition.

    Raises:
        DatasetError: The file is missing, not YAML, or does not match the format; the message
            names the file and the offending field.

    """
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return DatasetDefinition.model_validate(raw)
    except FileNotFoundError as exc:
        raise DatasetError(f"dataset definition {path} does not exist") from exc
    except yaml.YAMLError as exc:
        raise DatasetError(f"dataset definition {path} is not valid YAML: {exc}") from exc
    except ValidationError as exc:
        raise DatasetError(f"dataset definition {path} is invalid: {exc}") from exc


def load_definitions(folder: Path) -> dict[str, DatasetDefinition]:
    """Load every ``*.yaml`` definition in a folder, keyed by dataset name.

    Raises:
        DatasetError: A file is invalid, or two files define the same dataset name.

    """
    definitions: dict[str, DatasetDefinition] = {}
    for path in sorted(folder.glob("*.yaml")):
        definition = load_definition(path)
        if definition.name in definitions:
            raise DatasetError(f"dataset {definition.name!r} is defined twice (again in {path})")
        definitions[definition.name] = definition
    return definitions
