"""Typed dependencies of one agent run."""

from __future__ import annotations

from dataclasses import dataclass

from plotwise.data.catalog import Catalog
from plotwise.semantic.definition import DatasetDefinition
from plotwise.settings import Settings


@dataclass
class TurnDeps:
    """What the tools of one turn need: the engine, the dataset's definition and the limits."""

    catalog: Catalog
    definition: DatasetDefinition
    settings: Settings
