"""Forms tree-sitter's grammar accepts but Babel refuses, checked node by node.

Strict-mode rules (``with``, legacy octals and escapes, ``delete x``), invalid assignment and
binding targets, misplaced ``import``/``export``, ``const`` without a value, and JSX forms
Babel rejects (``<a {b}>``, ``a={}``, mismatched tags, adjacent elements).
"""

from __future__ import annotations

import re

from tree_sitter import Node

from plotwise.artifact.validator.names import is_cast_member, operator
from plotwise.artifact.validator.tree import (
    SyntaxProblem,
    child,
    cook,
    has_token,
    identifier_name,
    kids,
    strip_parens,
    text,
)

_LEGACY_OCTAL = re.compile(r"0[0-9_]")
_ESCAPES = re.compile(r"\\(?:\r\n|[\s\S])")
_LINE_BREAK = re.compile(r"[\r\n]")
_WHITESPACE = re.compile(r"\s+")
_TARGET_WRAPPERS = frozenset(
    {"parenthesized_expression", "non_null_expression", "as_expression", "satisfies_expression"}
)
_TYPE_CASTS = frozenset({"as_expression", "satisfies_expression"})
_SIMPLE_TARGETS = frozenset({"identifier", "member_expression", "subscript_expression"})
_PATTERNS = frozenset({"object_pattern", "array_pattern"})
_OPERATOR_PARENTS = frozenset(
    {"binary_expression", "unary_expression", "update_expression", "await_expression"}
)
_SINGLE_STATEMENT_PARENTS = frozenset(
    {
        "if_statement",
        "else_clause",
        "while_statement",
        "do_statement",
        "for_statement",
        "for_in_statement",
        "labeled_statement",
    }
)
_DECLARATIONS = frozenset(
    {
        "lexical_declaration",
        "function_declaration",
        "generator_function_declaration",
        "class_declaration",
    }
)
_REGEX_FLAGS = re.compile(r"(?!.*(.).*\1)[dgimsuyv]*")
_IDENTIFIER_NODES = frozenset(
    {
        "identifier",
        "property_identifier",
        "shorthand_property_identifier",
        "shorthand_property_identifier_pattern",
    }
)


def _simple_target(node: Node) -> bool:
    """``x``, ``a.b`` or ``a[b]`` (not optional), inside parentheses or TypeScript wrappers."""
    while node.type in _TARGET_WRAPPERS and kids(node):
        node = kids(node)[0]
    if node.type not in _SIMPLE_TARGETS or is_cast_member(node):
        return False
    return child(node, "optional_chain") is None


def _check_target(node: Node, target: Node | None, patterns: bool) -> None:
    if target is None or _simple_target(target) or (patterns and target.type in _PATTERNS):
        return
    raise SyntaxProblem(node, "invalid left-hand side in assignment")


def _check_assignment(node: Node) -> None:
    kind = node.type
    if kind in ("assignment_expression", "augmented_assignment_expression"):
        _check_target(node, child(node, "left"), patterns=kind == "assignment_expression")
        parent = node.parent
        if parent is not None and parent.type in _OPERATOR_PARENTS:
            raise SyntaxProblem(node, "invalid left-hand side in assignment")
    elif kind == "update_expression":
        _check_target(node, child(node, "argument"), patterns=False)
    elif kind == "for_in_statement" and child(node, "kind") is None:
        _check_target(node, child(node, "left"), patterns=True)
    elif kind in ("required_parameter", "optional_parameter"):
        pattern = child(node, "pattern")
        if pattern is not None:
            _check_binding(pattern)
    elif kind == "variable_declarator" or (kind == "for_in_statement" and child(node, "kind")):
        name = child(node, "name" if kind == "variable_declarator" else "left")
        if name is not None:
            _check_binding(name)
    elif kind == "catch_clause" and child(node, "parameter") is not None:
        _check_binding(child(node, "parameter"))  # type: ignore[arg-type]


def _jsx_name(element: Node, tag: str) -> str:
    found = child(element, tag)
    name = child(found, "name") if found is not None else None
    return _WHITESPACE.sub("", text(name)) if name is not None else ""


def _check_jsx(node: Node) -> None:
    kind = node.type
    parent = node.parent
    if kind == "jsx_element" and _jsx_name(node, "open_tag") != _jsx_name(node, "close_tag"):
        raise SyntaxProblem(node, "the JSX closing tag does not match its opening tag")
    if kind == "jsx_expression" and parent is not None:
        inner = kids(node)
        if parent.type in ("jsx_opening_element", "jsx_self_closing_element"):
            if not inner or inner[0].type != "spread_element":
                raise SyntaxProblem(node, "a JSX attribute needs a name (or ... to spread)")
        elif parent.type == "jsx_attribute" and not inner:
            raise SyntaxProblem(node, "JSX attributes must be given a non-empty expression")
    if kind == "jsx_self_closing_element" and child(node, "name") is None:
        raise SyntaxProblem(node, "a JSX element needs a name")
    if kind == "instantiation_expression" and node.named_children[0].type.startswith("jsx_"):
        raise SyntaxProblem(node, "adjacent JSX elements must be wrapped in an enclosing tag")


def _check_escapes(node: Node) -> None:
    parent = node.parent
    if node.type == "string" and parent is not None and parent.type == "jsx_attribute":
        return
    if node.type == "string" and _LINE_BREAK.search(_ESCAPES.sub("", text(node))):
        raise SyntaxProblem(node, "unterminated string constant (a line break inside quotes)")
    if node.type == "template_string" and parent is not None and parent.type == "call_expression":
        return
    template = node.type == "template_string"
    for part in node.children:
        if part.type == "escape_sequence":
            cook(text(part), part, template=template)


def _check_commas(node: Node) -> None:
    """``{ , a }`` and ``{ a,, b }``: objects have no holes (arrays do)."""
    after_separator = True
    for part in node.children[1:-1]:
        if part.type == "comment":
            continue
        if part.type == ",":
            if after_separator:
                raise SyntaxProblem(part, "unexpected ','")
            after_separator = True
        else:
            after_separator = False


def _check_arrow(node: Node) -> None:
    """No line break may come between an arrow function's parameters and its ``=>``."""
    arrow = next((c for c in node.children if c.type == "=>"), None)
    before = arrow.prev_sibling if arrow is not None else None
    if arrow is not None and before is not None:
        gap = node.text[before.end_byte - node.start_byte : arrow.start_byte - node.start_byte]
        if b"\n" in gap or b"\r" in gap:
            raise SyntaxProblem(arrow, "no line break is allowed before '=>'")


def _check_binding(pattern: Node) -> None:
    """A declared name or destructuring pattern: ``const [a.b] = x`` binds nothing."""
    kind = pattern.type
    if kind in ("identifier", "shorthand_property_identifier_pattern", "this"):
        return
    if kind in ("object_pattern", "array_pattern", "rest_pattern"):
        for part in kids(pattern):
            _check_binding(part)
    elif kind == "pair_pattern":
        value = child(pattern, "value")
        if value is not None:
            _check_binding(value)
    elif kind in ("assignment_pattern", "object_assignment_pattern"):
        left = child(pattern, "left")
        if left is not None:
            _check_binding(left)
    else:
        raise SyntaxProblem(pattern, "invalid binding pattern")


def _valid_identifier(name: str) -> bool:
    """An identifier as JavaScript spells one (``$`` allowed), for names written with escapes."""
    if not name:
        return False
    head, tail = name[0], name[1:]
    if not (head in "$_" or head.isidentifier()):
        return False
    return all(c in "$\u200c\u200d" or ("a" + c).isidentifier() for c in tail)


def _in_module_body(node: Node) -> bool:
    parent = node.parent
    if parent is None or parent.type == "program":
        return True
    grandparent = parent.parent
    return (
        parent.type == "statement_block"
        and grandparent is not None
        and grandparent.type
        in (
            "internal_module",
            "module",
        )
    )


def check_form(node: Node) -> None:
    """Raise when ``node`` is a form Babel refuses.

    Raises:
        SyntaxProblem: The node breaks a strict-mode, module or JSX rule Babel enforces.

    """
    kind = node.type
    if kind == "with_statement":
        raise SyntaxProblem(node, "'with' is not allowed in strict mode (a component is a module)")
    if kind == "decorator":
        raise SyntaxProblem(node, "decorators are not supported")
    if kind == "number" and _LEGACY_OCTAL.match(text(node)):
        raise SyntaxProblem(node, "legacy octal literals are not allowed in strict mode")
    if kind in ("string", "template_string"):
        _check_escapes(node)
    if (
        kind in _IDENTIFIER_NODES
        and "\\" in text(node)
        and not _valid_identifier(identifier_name(node))
    ):
        raise SyntaxProblem(node, "invalid Unicode escape in a name")
    if kind == "unary_expression" and operator(node) == "delete":
        argument = child(node, "argument")
        if argument is not None and strip_parens(argument).type == "identifier":
            raise SyntaxProblem(node, "deleting a variable is not allowed in strict mode")
    if kind == "binary_expression" and operator(node) == "**":
        left = child(node, "left")
        if left is not None and left.type in ("unary_expression", "await_expression"):
            raise SyntaxProblem(node, "wrap the left side of ** in parentheses")
    if kind == "public_field_definition" and has_token(node, "accessor"):
        raise SyntaxProblem(node, "'accessor' fields are not supported")
    if kind in ("import_statement", "export_statement") and not _in_module_body(node):
        raise SyntaxProblem(node, "'import' and 'export' may only appear at the top level")
    if kind == "lexical_declaration" and child(node, "kind") is not None:
        in_ambient = node.parent is not None and node.parent.type == "ambient_declaration"
        if text(child(node, "kind")) == "const" and not in_ambient:  # type: ignore[arg-type]
            for declarator in kids(node):
                if declarator.type == "variable_declarator" and child(declarator, "value") is None:
                    raise SyntaxProblem(declarator, "missing initializer in const declaration")
    if (
        kind in _DECLARATIONS
        and node.parent is not None
        and node.parent.type in _SINGLE_STATEMENT_PARENTS
    ):
        if not (node.parent.type == "for_statement" and child(node.parent, "body") != node):
            raise SyntaxProblem(
                node, "a declaration cannot be the single statement of if, else or a loop"
            )
    if kind == "regex_flags" and not _REGEX_FLAGS.fullmatch(text(node)):
        raise SyntaxProblem(node, "invalid regular expression flags")
    if kind == "regex_flags" and "u" in text(node) and "v" in text(node):
        raise SyntaxProblem(node, "invalid regular expression flags")
    if kind == "comment" and text(node).startswith("/*") and not text(node).endswith("*/"):
        raise SyntaxProblem(node, "unterminated comment")
    if kind in ("object", "object_pattern", "arguments"):
        _check_commas(node)
    if kind == "arrow_function":
        _check_arrow(node)
    if kind in ("member_expression", "subscript_expression", "call_expression"):
        target = child(node, "function" if kind == "call_expression" else "object")
        if (
            target is not None
            and target.type == "instantiation_expression"
            and kind != "call_expression"
        ):
            raise SyntaxProblem(node, "invalid property access after an instantiation expression")
        if kind == "call_expression" and target is not None and target.type in _TYPE_CASTS:
            raise SyntaxProblem(node, "wrap an 'as' or 'satisfies' expression in parentheses")
    if kind == "new_expression":
        constructor = child(node, "constructor")
        if constructor is not None and constructor.type == "arrow_function":
            raise SyntaxProblem(node, "missing semicolon")
    if kind == "switch_body" and sum(c.type == "switch_default" for c in node.children) > 1:
        raise SyntaxProblem(node, "multiple default clauses")
    _check_assignment(node)
    _check_jsx(node)
