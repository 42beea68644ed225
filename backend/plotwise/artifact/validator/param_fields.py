"""The check of one view parameter's fields, as ``frontend/src/artifact/paramSpec.ts`` does it.

A spec is a dict shaped like the browser's ``ParamSpec``: ``name``, ``label``, ``type``,
``default`` and the type's own fields (``min``/``max``/``step``, ``options``).
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from plotwise.artifact.validator.policy_file import Policy

Scalar = str | int | float | bool | None
FieldValue = Scalar | list[Scalar]

_MISSING = object()
_HEX_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def is_number(value: Any) -> bool:
    """True for JavaScript numbers (not booleans)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_hex_color(value: Any) -> bool:
    """True for a ``"#rgb"`` or ``"#rrggbb"`` colour."""
    return isinstance(value, str) and _HEX_COLOR.fullmatch(value) is not None


def is_iso_date(value: Any) -> bool:
    """True for a real calendar date ``"YYYY-MM-DD"`` (years below 100 are refused, as in JS)."""
    match = _ISO_DATE.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return False
    year, month, day = (int(part) for part in match.groups())
    try:
        date(year, month, day)
    except ValueError:
        return False
    # Date.UTC maps years 0-99 to 1900-1999, so the browser never accepts them.
    return year >= 100


def is_date_range(value: Any) -> bool:
    """True for ``["YYYY-MM-DD", "YYYY-MM-DD"]`` with start <= end."""
    return (
        isinstance(value, list)
        and len(value) == 2
        and is_iso_date(value[0])
        and is_iso_date(value[1])
        and value[0] <= value[1]
    )


def _show(value: Any) -> str:
    return "nothing" if value is _MISSING else json.dumps(value, ensure_ascii=False)


def _optional_number(fields: dict[str, FieldValue], key: str, problems: list[str]) -> Any:
    value = fields.get(key)
    if value is None or is_number(value):
        return value
    problems.append(f"{key} must be a number, got {_show(value)}")
    return None


def _number_spec(base: dict, fields: dict[str, FieldValue], problems: list[str]) -> dict | None:
    low = _optional_number(fields, "min", problems)
    high = _optional_number(fields, "max", problems)
    step = _optional_number(fields, "step", problems)
    value = fields.get("default", _MISSING)
    if step is not None and step <= 0:
        problems.append(f"step must be above 0, got {step}")
    if low is not None and high is not None and low > high:
        problems.append(f"min {low} is above max {high}")
    if not is_number(value):
        problems.append(f"default must be a number, got {_show(value)}")
        return None
    if low is not None and value < low:
        problems.append(f"default {value} is below min {low}")
    if high is not None and value > high:
        problems.append(f"default {value} is above max {high}")
    return {**base, "type": "number", "default": value, "min": low, "max": high, "step": step}


def _select_spec(base: dict, fields: dict[str, FieldValue], problems: list[str]) -> dict | None:
    options = fields.get("options", _MISSING)
    value = fields.get("default", _MISSING)
    if not isinstance(options, list) or not options:
        problems.append(
            f"options must be a non-empty array of strings or numbers, got {_show(options)}"
        )
        return None
    if not all(isinstance(o, str) or is_number(o) for o in options):
        problems.append(f"options must hold only strings or numbers, got {_show(options)}")
        return None
    if not (isinstance(value, str) or is_number(value)) or value not in options:
        problems.append(f"default must be one of the options, got {_show(value)}")
        return None
    return {**base, "type": "select", "default": value, "options": options}


_SCALAR_CHECKS = {
    "boolean": (lambda v: isinstance(v, bool), "true or false"),
    "color": (is_hex_color, 'a hex colour such as "#4f46e5"'),
    "text": (lambda v: isinstance(v, str), "a string"),
    "date": (is_iso_date, 'a "YYYY-MM-DD" date'),
    "daterange": (is_date_range, '["YYYY-MM-DD", "YYYY-MM-DD"] with start ≤ end'),
}


def check_param_fields(
    name: str, fields: dict[str, FieldValue], policy: Policy
) -> tuple[dict | None, list[str]]:
    """Check one parameter's fields.

    Returns:
        The spec (None when it cannot be used) and the problems, each naming the field.

    """
    problems: list[str] = []
    kind = fields.get("type", _MISSING)
    if not isinstance(kind, str) or kind not in policy.param_types:
        types = ", ".join(policy.param_types)
        return None, [f"type must be one of {types}; got {_show(kind)}"]
    allowed = (*policy.common_fields, *policy.param_types[kind])
    problems.extend(
        f'unknown field "{key}" for type {kind} (allowed: {", ".join(allowed)})'
        for key in fields
        if key not in allowed
    )
    label = fields.get("label")
    if label is not None and not isinstance(label, str):
        problems.append(f"label must be a string, got {_show(label)}")
    if "default" not in fields:
        return None, [*problems, "default is missing"]
    base = {"name": name, "label": label if isinstance(label, str) else None}
    if kind == "number":
        spec = _number_spec(base, fields, problems)
    elif kind == "select":
        spec = _select_spec(base, fields, problems)
    else:
        check, wanted = _SCALAR_CHECKS[kind]
        value = fields["default"]
        spec = {**base, "type": kind, "default": value} if check(value) else None
        if spec is None:
            problems.append(f"default must be {wanted}, got {_show(value)}")
    return (spec if not problems else None), problems
