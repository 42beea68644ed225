"""Named query parameters (``$origin``): their declared specs, and binding values to them.

Values are always bound by the engine (DuckDB prepared parameters), never interpolated into the
SQL text. A spec is declared beside the SQL (the ``params`` argument of ``run_sql``); the
browser's sidebar shows one control per spec and sends values back to re-run the query.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, model_validator

from plotwise.errors import BadRequestError

QueryParamType = Literal["text", "number", "date", "select", "boolean"]
Scalar = str | int | float | bool

_NAME = r"^[A-Za-z_][A-Za-z0-9_]{0,62}$"


class QueryParamSpec(BaseModel):
    """A declared query parameter: ``$name`` in the SQL, with its type and default value."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=_NAME)
    """Name used in the SQL as ``$name``."""
    type: QueryParamType
    """``text``, ``number``, ``date`` (``YYYY-MM-DD``), ``select`` or ``boolean``."""
    default: Scalar
    """Value used until the analyst changes it; must fit ``type``."""
    label: str | None = Field(default=None, max_length=80)
    """Label of the sidebar control; the name when omitted."""
    options: list[str | int | float] | None = Field(default=None, max_length=1000)
    """Allowed values of a ``select``."""
    min: float | None = None
    """Smallest allowed ``number``."""
    max: float | None = None
    """Largest allowed ``number``."""
    step: float | None = Field(default=None, gt=0)
    """Step of a ``number`` control."""

    @model_validator(mode="after")
    def _default_fits(self) -> QueryParamSpec:
        if self.type == "select" and not self.options:
            raise ValueError(f"select parameter {self.name!r} needs non-empty options")
        if self.type != "select" and self.options is not None:
            raise ValueError(f"only select parameters take options ({self.name!r})")
        coerce_value(self, self.default)
        return self


def coerce_value(spec: QueryParamSpec, value: JsonValue) -> Scalar:
    """Check ``value`` against ``spec`` and return it in the type DuckDB binds.

    Returns:
        The value, JSON-safe: numbers, booleans, ISO ``YYYY-MM-DD`` strings for dates (see
        `engine_values` for how they are bound), strings for text and select.

    Raises:
        BadRequestError: The value does not fit; the message names the parameter.

    """
    name = spec.name
    if spec.type == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise BadRequestError(f"parameter {name!r} must be a number, got {value!r}")
        if spec.min is not None and value < spec.min or spec.max is not None and value > spec.max:
            raise BadRequestError(
                f"parameter {name!r} must be between {spec.min:g} and {spec.max:g}, got {value!r}"
                if spec.min is not None and spec.max is not None
                else f"parameter {name!r} is out of range: {value!r}"
            )
        return value
    if spec.type == "boolean":
        if not isinstance(value, bool):
            raise BadRequestError(f"parameter {name!r} must be true or false, got {value!r}")
        return value
    if spec.type == "date":
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise BadRequestError(f"parameter {name!r} must be a date YYYY-MM-DD, got {value!r}")
        try:
            date.fromisoformat(value)
        except ValueError as exc:
            raise BadRequestError(f"parameter {name!r} is not a real date: {value!r}") from exc
        return value
    if spec.type == "select":
        if value not in (spec.options or []) or isinstance(value, bool):
            raise BadRequestError(f"parameter {name!r} must be one of its options, got {value!r}")
        return value  # type: ignore[return-value]
    if not isinstance(value, str) or len(value) > 1000:
        raise BadRequestError(f"parameter {name!r} must be text (at most 1000 characters)")
    return value


def bind_values(
    specs: list[QueryParamSpec], values: dict[str, JsonValue] | None = None
) -> dict[str, Scalar]:
    """Resolve the values to bind: given ones checked against their specs, defaults for the rest.

    Raises:
        BadRequestError: A value names no declared parameter, or does not fit its spec.

    """
    values = values or {}
    by_name = {s.name: s for s in specs}
    if len(by_name) != len(specs):
        raise BadRequestError("a query parameter is declared twice")
    unknown = sorted(set(values) - set(by_name))
    if unknown:
        known = ", ".join(by_name) or "none"
        raise BadRequestError(f"unknown query parameter {unknown[0]!r}; declared: {known}")
    return {
        s.name: coerce_value(s, values[s.name]) if s.name in values else s.default for s in specs
    }


def engine_values(specs: list[QueryParamSpec], bound: dict[str, Scalar]) -> dict[str, object]:
    """Values as DuckDB should bind them: ``date`` parameters as `datetime.date`, others as is."""
    types = {s.name: s.type for s in specs}
    return {
        name: date.fromisoformat(value)
        if types.get(name) == "date" and isinstance(value, str)
        else value
        for name, value in bound.items()
    }
