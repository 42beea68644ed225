"""Reads ``export const params = {...}`` from the tree, never by running the code.

The browser reads it the same way (``frontend/src/artifact/paramSchema.ts``): literals only.
"""

from __future__ import annotations

from tree_sitter import Node

from plotwise.artifact.validator.names import static_string
from plotwise.artifact.validator.param_fields import FieldValue, Scalar, check_param_fields
from plotwise.artifact.validator.policy_file import Policy
from plotwise.artifact.validator.report import Report
from plotwise.artifact.validator.tree import (
    child,
    cook,
    has_token,
    identifier_name,
    kids,
    text,
)

_UNWRAPPED = frozenset({"as_expression", "satisfies_expression", "parenthesized_expression"})
_LITERALS = "only strings, numbers, booleans, null and arrays of those"
_NO_VALUE = object()


def _unwrap(node: Node) -> Node:
    """Type wrappers (``{...} as const``, ``satisfies T``) and parentheses are erased."""
    while node.type in _UNWRAPPED and kids(node):
        node = kids(node)[0]
    return node


def js_number(raw: str) -> int | float | None:
    """The value of a JavaScript number literal; None for a BigInt (``10n``)."""
    digits = raw.replace("_", "")
    if digits.endswith("n"):
        return None
    prefix = digits[:2].lower()
    if prefix in ("0x", "0o", "0b"):
        return int(digits[2:], {"0x": 16, "0o": 8, "0b": 2}[prefix])
    value = float(digits)
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _describe(node: Node) -> str:
    kind = node.type
    if kind in ("identifier", "shorthand_property_identifier"):
        return f'the variable "{identifier_name(node)}"'
    if kind in ("call_expression", "new_expression"):
        return "a call"
    if kind == "spread_element":
        return "a spread"
    if kind == "template_string":
        return "a template literal with expressions"
    if kind == "object":
        return "a nested object"
    return f"an expression ({kind})"


def _scalar(node: Node) -> tuple[Scalar] | None:
    kind = node.type
    if kind == "string":
        return (static_string(node),)
    if kind == "number":
        value = js_number(text(node))
        return None if value is None else (value,)
    if kind in ("true", "false"):
        return (kind == "true",)
    if kind == "null":
        return (None,)
    if kind == "unary_expression" and text(child(node, "operator") or node) == "-":
        argument = child(node, "argument")
        while argument is not None and argument.type == "parenthesized_expression":
            argument = kids(argument)[0] if kids(argument) else None
        value = (
            js_number(text(argument))
            if argument is not None and argument.type == "number"
            else None
        )
        return None if value is None else (-value,)
    if kind == "template_string" and not any(c.type == "template_substitution" for c in kids(node)):
        return (cook(text(node)[1:-1], node, template=True),)
    return None


def _array_items(array: Node) -> list[Node | None]:
    """The elements of an array literal, None for each hole (``[1, , 2]``)."""
    items: list[Node | None] = []
    expecting = True
    for part in array.children[1:-1]:
        if part.type == "comment":
            continue
        if not part.is_named and part.type == ",":
            if expecting:
                items.append(None)
            expecting = True
        else:
            items.append(part)
            expecting = False
    return items


def _field_value(node: Node, context: str, report: Report) -> FieldValue | object:
    value = _unwrap(node)
    scalar = _scalar(value)
    if scalar is not None:
        return scalar[0]
    if value.type == "array":
        items: list[Scalar] = []
        for element in _array_items(value):
            item = _scalar(_unwrap(element)) if element is not None else None
            if item is None:
                what = _describe(element) if element is not None else "a hole"
                report(
                    element or value,
                    "viewParams",
                    f"{context}: array items must be literals ({_LITERALS}), not {what}",
                )
                return _NO_VALUE
            items.append(item[0])
        return items
    report(
        value, "viewParams", f"{context} must be a literal ({_LITERALS}), not {_describe(value)}"
    )
    return _NO_VALUE


def _key(prop: Node) -> str | None:
    if prop.type == "shorthand_property_identifier":
        return identifier_name(prop)
    key = child(prop, "key")
    if key is None:
        return None
    if key.type == "property_identifier":
        return identifier_name(key)
    return static_string(key) if key.type == "string" else None


def _properties(node: Node, context: str, report: Report) -> list[tuple[str, Node, Node]] | None:
    """``(key, property, value)`` of an object literal, reporting what is not a plain property."""
    obj = _unwrap(node)
    if obj.type != "object":
        report(obj, "viewParams", f"{context} must be an object literal, not {_describe(obj)}")
        return None
    pairs: list[tuple[str, Node, Node]] = []
    seen: set[str] = set()
    broken = False
    for prop in kids(obj):
        if prop.type not in ("pair", "shorthand_property_identifier"):
            what = "spreads are" if prop.type == "spread_element" else "methods are"
            report(prop, "viewParams", f"{context}: {what} not allowed")
            broken = True
            continue
        key = _key(prop)
        key_node = child(prop, "key") or prop
        if key is None:
            report(key_node, "viewParams", f"{context}: computed or numeric keys are not allowed")
            broken = True
        elif key in seen:
            report(key_node, "viewParams", f'{context}: "{key}" is declared twice')
            broken = True
        else:
            seen.add(key)
            pairs.append((key, prop, child(prop, "value") or prop))
    return None if broken else pairs


def _read_spec(name: str, node: Node, policy: Policy, report: Report) -> dict | None:
    context = f'view parameter "{name}"'
    pairs = _properties(node, context, report)
    if pairs is None:
        return None
    fields: dict[str, FieldValue] = {}
    broken = False
    for key, _prop, value_node in pairs:
        value = _field_value(value_node, f'{context}: field "{key}"', report)
        if value is _NO_VALUE:
            broken = True
        else:
            fields[key] = value  # type: ignore[assignment]
    if broken:
        return None
    spec, problems = check_param_fields(name, fields, policy)
    for problem in problems:
        report(node, "viewParams", f"{context}: {problem}")
    return spec


def _initializer(root: Node, policy: Policy, report: Report) -> Node | None:
    """The value of ``export const params = ...``, or None when the component declares none."""
    for statement in kids(root):
        if statement.type != "export_statement" or has_token(statement, "default"):
            continue
        declaration = child(statement, "declaration")
        if declaration is not None and declaration.type == "ambient_declaration":
            declaration = next(iter(kids(declaration)), None)
        if declaration is None or declaration.type not in (
            "lexical_declaration",
            "variable_declaration",
        ):
            continue
        kind_node = child(declaration, "kind")
        kind = text(kind_node) if kind_node is not None else "var"
        for declarator in kids(declaration):
            name = child(declarator, "name")
            if (
                name is None
                or name.type != "identifier"
                or identifier_name(name) != policy.params_export
            ):
                continue
            if kind != "const":
                report(
                    declaration,
                    "viewParams",
                    f'view parameters must be declared with "export const params", not "{kind}"',
                )
            value = child(declarator, "value")
            if value is None:
                report(
                    declarator,
                    "viewParams",
                    '"export const params" needs a value: an object literal',
                )
            return value
    return None


def collect_param_schema(root: Node, policy: Policy, report: Report) -> list[dict]:
    """The view parameter schema of a parsed component, reporting every problem found."""
    init = _initializer(root, policy, report)
    if init is None:
        return []
    pairs = _properties(init, '"export const params"', report)
    if pairs is None:
        return []
    if len(pairs) > policy.max_params:
        report(
            init,
            "viewParams",
            f"too many view parameters ({len(pairs)}, at most {policy.max_params})",
        )
    schema: list[dict] = []
    for name, prop, value in pairs:
        key_node = child(prop, "key") or prop
        if policy.param_name.fullmatch(name) is None:
            report(
                key_node,
                "viewParams",
                f'view parameter name "{name}" must be letters, digits and underscores',
            )
        elif name in policy.reserved_param_names:
            report(key_node, "viewParams", f'view parameter name "{name}" is reserved')
        else:
            spec = _read_spec(name, value, policy, report)
            if spec is not None:
                schema.append(spec)
    return schema
