"""What names and strings a piece of the tree stands for, as the validation rules see them.

The browser's validator reads Babel's AST the same way (``frontend/src/artifact/astNames.ts``):
keep the two in step. ``ancestors`` lists a node's ancestors, the parent last.
"""

from __future__ import annotations

from tree_sitter import Node

from plotwise.artifact.validator.tree import (
    FUNCTION_TYPES,
    TYPE_WRAPPERS,
    child,
    cook,
    decode_entities,
    identifier_name,
    kids,
    text,
)

WRAPPERS = frozenset({"parenthesized_expression", "non_null_expression", *TYPE_WRAPPERS})
"""``(x)``, ``x!``, ``x as T``, ``x satisfies T``: nothing changes at run time."""

MEMBER_TYPES = frozenset({"member_expression", "subscript_expression"})


def is_cast_member(node: Node) -> bool:
    """``x as T.y``: Babel reads ``.y`` as part of the type, so this is a cast, not a member."""
    if node.type not in MEMBER_TYPES:
        return False
    obj = child(node, "object")
    return obj is not None and obj.type in TYPE_WRAPPERS


def _is_wrapper(node: Node) -> bool:
    return node.type in WRAPPERS or is_cast_member(node)


def unwrap(node: Node) -> Node:
    """The expression inside any wrappers."""
    while _is_wrapper(node):
        inner = kids(child(node, "object") or node) if is_cast_member(node) else kids(node)
        if not inner:
            return node
        node = inner[0]
    return node


def usage(node: Node, ancestors: list[Node]) -> tuple[Node, Node | None]:
    """``(child, parent)``: climbing out of wrappers, the node whose parent decides the use."""
    current, index = node, len(ancestors) - 1
    while index >= 0 and _is_wrapper(ancestors[index]):
        current, index = ancestors[index], index - 1
    return current, ancestors[index] if index >= 0 else None


def _is_directive(node: Node, ancestors: list[Node]) -> bool:
    """A string statement at the start of the program or a function body (Babel's Directive)."""
    if len(ancestors) < 2 or ancestors[-1].type != "expression_statement":
        return False
    statement, body = ancestors[-1], ancestors[-2]
    if len(kids(statement)) != 1:
        return False
    if body.type == "statement_block":
        if len(ancestors) < 3 or ancestors[-3].type not in FUNCTION_TYPES:
            return False
    elif body.type != "program":
        return False
    for sibling in kids(body):
        if sibling == statement:
            return True
        inner = kids(sibling) if sibling.type == "expression_statement" else []
        if len(inner) != 1 or inner[0].type != "string":
            return False
    return False


def string_value(node: Node, ancestors: list[Node] | None = None) -> str:
    """The value of a ``string`` node: escapes resolved, entities in JSX attributes, raw directives.

    Raises:
        SyntaxProblem: An escape strict-mode code may not hold.

    """
    raw = text(node)[1:-1]
    parent = ancestors[-1] if ancestors else node.parent
    if parent is not None and parent.type == "jsx_attribute":
        return decode_entities(raw)
    if ancestors is not None and _is_directive(node, ancestors):
        return raw
    return cook(raw, node)


def static_string(node: Node, ancestors: list[Node] | None = None) -> str | None:
    """The value of a string fixed in the source ("a", `a`, "a" + "b"), else None."""
    value = unwrap(node)
    if value.type == "string":
        return string_value(value, ancestors if value == node else None)
    if value.type == "template_string":
        if any(c.type == "template_substitution" for c in value.named_children):
            return None
        return cook(text(value)[1:-1], value, template=True)
    if value.type == "binary_expression" and _operator(value) == "+":
        left, right = child(value, "left"), child(value, "right")
        if left is None or right is None:
            return None
        left_value = static_string(left)
        right_value = static_string(right) if left_value is not None else None
        return None if right_value is None or left_value is None else left_value + right_value
    return None


def _operator(node: Node) -> str | None:
    found = child(node, "operator")
    return text(found) if found is not None else None


def operator(node: Node) -> str | None:
    """The operator of a binary, unary, update or augmented assignment expression."""
    return _operator(node)


def member_name(node: Node) -> str | None:
    """The name a member access reads when it is fixed (``a.b``, ``a["b"]``), else None."""
    if node.type == "member_expression":
        prop = child(node, "property")
        if prop is None or prop.type == "private_property_identifier":
            return None
        return identifier_name(prop)
    if node.type == "subscript_expression":
        index = child(node, "index")
        return static_string(index) if index is not None else None
    return None


def is_member_object(node: Node, ancestors: list[Node]) -> bool:
    """True when ``node`` is the object of a member access, after wrappers."""
    current, parent = usage(node, ancestors)
    return parent is not None and parent.type in MEMBER_TYPES and child(parent, "object") == current


def is_only_tested(node: Node, ancestors: list[Node]) -> bool:
    """True when the value is only tested, never kept: ``typeof node``, ``"x" in node``."""
    current, parent = usage(node, ancestors)
    if parent is None:
        return False
    if parent.type == "unary_expression":
        return _operator(parent) == "typeof"
    return (
        parent.type == "binary_expression"
        and _operator(parent) == "in"
        and child(parent, "right") == current
    )


_NOT_VARIABLE_PARENTS = frozenset({"jsx_namespace_name", "jsx_closing_element"})


def variable_name(node: Node, ancestors: list[Node]) -> str | None:
    """The variable a name node reads or declares, or None for properties, labels, attributes.

    Matches Babel: identifiers in expressions, declarations and patterns, JSX element names,
    shorthand properties, class names and private names (``#fetch`` counts as ``fetch``).
    """
    kind = node.type
    parent = ancestors[-1] if ancestors else None
    if kind in ("shorthand_property_identifier", "shorthand_property_identifier_pattern"):
        return identifier_name(node)
    if kind == "private_property_identifier":
        return identifier_name(node)[1:]
    if kind == "type_identifier":
        is_class_name = parent is not None and parent.type in (
            "class_declaration",
            "class",
            "abstract_class_declaration",
        )
        return identifier_name(node) if is_class_name and child(parent, "name") == node else None
    if kind != "identifier":
        return None
    if parent is None:
        return identifier_name(node)
    if parent.type in _NOT_VARIABLE_PARENTS:
        return None
    if parent.type == "import_specifier" and child(parent, "alias") is not None:
        return identifier_name(node) if child(parent, "alias") == node else None
    if parent.type == "export_specifier" and child(parent, "alias") == node:
        return None
    return identifier_name(node)
