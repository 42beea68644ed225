"""The component validation policy's data, read from ``component_policy.json``.

The browser's validator (``frontend/src/artifact/policy.ts``) reads the same file and derives the
same lists; the rules themselves live in this package's other modules.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

POLICY_FILE = Path(__file__).resolve().parent.parent / "component_policy.json"
"""The one policy file (shipped inside the package)."""


@dataclass(frozen=True)
class ModulePolicy:
    """What a component may import from one module (see the policy file's ``modules``)."""

    name: str
    default: bool
    namespace: bool
    implicit: str | None
    names: frozenset[str] | None
    """Named imports allowed; None allows any name."""


@dataclass(frozen=True)
class Policy:
    """The policy file, with the lists the rules use derived as the browser derives them."""

    rules: frozenset[str]
    max_code_length: int
    modules: dict[str, ModulePolicy]
    forbidden_globals: frozenset[str]
    forbidden_members: frozenset[str]
    forbidden_strings: frozenset[str]
    forbidden_keys: frozenset[str]
    """Lower-cased: object keys compare case-insensitively."""
    global_objects: frozenset[str]
    navigation_target: str
    navigation_methods: frozenset[str]
    timers: frozenset[str]
    forbidden_elements: frozenset[str]
    forbidden_attributes: frozenset[str]
    handler_prefix: str
    url_attributes: frozenset[str]
    allowed_url_schemes: frozenset[str]
    named_exports: tuple[str, ...]
    params_export: str
    max_params: int
    param_name: re.Pattern[str]
    reserved_param_names: frozenset[str]
    common_fields: tuple[str, ...]
    param_types: dict[str, tuple[str, ...]]


def _lower(names: list[str]) -> frozenset[str]:
    return frozenset(name.lower() for name in names)


def _module(name: str, raw: dict[str, Any]) -> ModulePolicy:
    names = raw["names"]
    return ModulePolicy(
        name=name,
        default=raw["default"],
        namespace=raw["namespace"],
        implicit=raw.get("implicit"),
        names=None if names is None else frozenset(names),
    )


def policy_from(raw: dict[str, Any]) -> Policy:
    """Build a `Policy` from the parsed policy file.

    Raises:
        KeyError: A section or field the validators need is missing.

    """
    globals_ = raw["forbiddenGlobals"]["names"]
    members = raw["forbiddenMembers"]
    member_names = [g for g in globals_ if g not in members["exceptGlobals"]] + members["names"]
    except_strings = set(raw["forbiddenStrings"]["exceptMembers"])
    jsx = raw["jsx"]
    params = raw["viewParams"]
    return Policy(
        rules=frozenset(key for key in raw["rules"] if key != "description"),
        max_code_length=raw["maxCodeLength"]["value"],
        modules={name: _module(name, m) for name, m in raw["modules"]["allowed"].items()},
        forbidden_globals=frozenset(globals_),
        forbidden_members=frozenset(member_names),
        forbidden_strings=frozenset(m for m in member_names if m not in except_strings),
        forbidden_keys=_lower(raw["forbiddenKeys"]["names"]),
        global_objects=frozenset(raw["globalObjects"]["names"]),
        navigation_target=raw["navigation"]["target"],
        navigation_methods=frozenset(raw["navigation"]["methods"]),
        timers=frozenset(raw["timers"]["names"]),
        forbidden_elements=_lower(jsx["forbiddenElements"]),
        forbidden_attributes=_lower(jsx["forbiddenAttributes"]),
        handler_prefix=jsx["eventHandlerPrefix"].lower(),
        url_attributes=_lower(jsx["urlAttributes"]),
        allowed_url_schemes=frozenset(jsx["allowedUrlSchemes"]),
        named_exports=tuple(raw["component"]["namedExports"]),
        params_export=params["exportName"],
        max_params=params["maxParams"],
        param_name=re.compile(params["namePattern"]),
        reserved_param_names=frozenset(params["reservedNames"]),
        common_fields=tuple(params["commonFields"]),
        param_types={name: tuple(fields) for name, fields in params["types"].items()},
    )


@cache
def load_policy(path: Path = POLICY_FILE) -> Policy:
    """Return the policy read from ``path`` (read once per path).

    Raises:
        OSError: The file cannot be read.
        ValueError: It is not JSON.
        KeyError: A section the validators need is missing.

    """
    return policy_from(json.loads(path.read_text(encoding="utf-8")))
