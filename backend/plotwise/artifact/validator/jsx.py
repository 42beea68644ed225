"""The elements and attributes a component may render.

The browser applies the same rules (``frontend/src/artifact/jsxRules.ts``).
"""

from __future__ import annotations

import re

from tree_sitter import Node

from plotwise.artifact.validator.names import member_name, static_string, string_value, unwrap
from plotwise.artifact.validator.policy_file import Policy
from plotwise.artifact.validator.report import Report
from plotwise.artifact.validator.tree import child, identifier_name, kids, text

_URL_EDGES = re.compile(r"^[\x00-\x20]+|[\x00-\x20]+$")
_URL_DROPPED = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"[a-z][a-z0-9+.\-]*(?=:)")
_PROTOCOL_RELATIVE = re.compile(r"[/\\]{2}")


def leaves_sandbox(value: str, policy: Policy) -> bool:
    """True when a URL (or a srcset list of them) would load from elsewhere or run script."""
    for candidate in value.split(","):
        url = _URL_EDGES.sub("", _URL_DROPPED.sub("", candidate)).lower()
        if _PROTOCOL_RELATIVE.match(url):
            return True
        scheme = _SCHEME.match(url)
        if scheme is not None and scheme.group(0) not in policy.allowed_url_schemes:
            return True
    return False


def check_element(element: Node, policy: Policy, report: Report) -> None:
    """An intrinsic element (``<script>``) the policy forbids; lowercase-first names are tags."""
    name = child(element, "name")
    if name is None or name.type != "identifier":
        return
    tag = identifier_name(name)
    if tag[:1].islower() and tag[:1].isascii() and tag.lower() in policy.forbidden_elements:
        report(name, "jsxElement", f"the element <{tag}> is not allowed")


def check_create_element(call: Node, policy: Policy, report: Report) -> None:
    """``createElement("script")``, React's or the DOM's: the same element by another route."""
    function = child(call, "function")
    arguments = child(call, "arguments")
    if function is None or arguments is None or arguments.type != "arguments":
        return
    callee = unwrap(function)
    name = identifier_name(callee) if callee.type == "identifier" else member_name(callee)
    first = next(iter(kids(arguments)), None)
    if name != "createElement" or first is None:
        return
    tag = static_string(first)
    if tag is not None and tag.lower() in policy.forbidden_elements:
        report(call, "jsxElement", f'createElement("{tag}") is not allowed')


def _attribute_string(value: Node | None) -> str | None:
    if value is None:
        return None
    if value.type == "string":
        return string_value(value)
    if value.type == "jsx_expression":
        inner = kids(value)
        return static_string(inner[0]) if len(inner) == 1 else None
    return None


def check_attribute(attribute: Node, policy: Policy, report: Report) -> None:
    """Forbidden attributes, event handlers given code as a string, URLs leaving the sandbox."""
    parts = kids(attribute)
    if not parts or parts[0].type not in ("property_identifier", "jsx_namespace_name"):
        return
    name_node = parts[0]
    if name_node.type == "jsx_namespace_name":
        name = ":".join(identifier_name(n) for n in kids(name_node))
    else:
        name = text(name_node)
    key = name.lower()
    if key in policy.forbidden_attributes:
        report(attribute, "jsxAttribute", f'the attribute "{name}" is not allowed')
        return
    value = _attribute_string(parts[1] if len(parts) > 1 else None)
    if value is None:
        return
    if key.startswith(policy.handler_prefix):
        report(attribute, "jsxAttribute", f'the event handler "{name}" must be a function')
    elif key in policy.url_attributes and leaves_sandbox(value, policy):
        report(attribute, "jsxUrl", f'"{name}" may not point outside the sandbox ({value[:80]!r})')


def check_object_key(key: Node, policy: Policy, report: Report) -> None:
    """An object literal key that passes HTML into the page (``{ dangerouslySetInnerHTML }``)."""
    if key.type == "computed_property_name":
        inner = kids(key)
        name = static_string(inner[0]) if len(inner) == 1 else None
    elif key.type == "string":
        name = string_value(key)
    elif key.type in ("property_identifier", "shorthand_property_identifier"):
        name = identifier_name(key)
    else:
        name = None
    if name is not None and name.lower() in policy.forbidden_keys:
        report(key, "forbiddenKey", f'the key "{name}" is not allowed (it passes HTML to the page)')
