"""Early errors: code tree-sitter's grammar accepts but Babel (the browser's parser) refuses.

A component is an ES module, so it is strict-mode code: reserved words as names, ``return``
outside functions, ``await`` outside async functions, jumps outside loops, duplicate
declarations (declarations.py) and the forms in forms.py are syntax errors there. Reporting them
as syntax errors keeps the server's verdict the browser's. Rarer early errors (getter arity,
``new.target`` placement, private names, a few Babel quirks) are not emulated: Babel still
refuses those in the browser, before anything runs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from tree_sitter import Node

from plotwise.artifact.validator.declarations import check_declarations
from plotwise.artifact.validator.forms import check_form
from plotwise.artifact.validator.tree import (
    FUNCTION_TYPES,
    SyntaxProblem,
    child,
    has_token,
    identifier_name,
)

_NO_AWAIT_SCOPES = frozenset({"class_static_block", "public_field_definition"})
_LOOPS = frozenset({"for_statement", "for_in_statement", "while_statement", "do_statement"})
_RESERVED = frozenset(
    "break case catch class const continue debugger default delete do else enum export extends "
    "false finally for function if import in instanceof new null return super switch this throw "
    "true try typeof var void while with implements interface let package private protected "
    "public static yield await".split()
)
_NAME_NODES = frozenset(
    {
        "identifier",
        "shorthand_property_identifier",
        "shorthand_property_identifier_pattern",
        "statement_identifier",
    }
)
_ANY_NAME_PARENTS = frozenset(
    {
        "jsx_opening_element",
        "jsx_closing_element",
        "jsx_self_closing_element",
        "jsx_namespace_name",
        "import_specifier",
        "export_specifier",
    }
)
"""Where any name is fine, keywords too: JSX names, ``import { default as x }``."""


@dataclass(frozen=True)
class _Context:
    function: Node | None = None
    """The nearest enclosing function (or class field / static block), None at the top level."""
    in_loop: bool = False
    in_switch: bool = False
    labels: frozenset[str] = frozenset()


def _async(function: Node | None) -> bool:
    return function is None or (function.type in FUNCTION_TYPES and has_token(function, "async"))


def _generator(function: Node | None) -> bool:
    if function is None:
        return False
    return function.type.startswith("generator_") or (
        function.type == "method_definition" and has_token(function, "*")
    )


def _any_name_allowed(node: Node) -> bool:
    parent = node.parent
    while parent is not None and parent.type in ("member_expression", "nested_identifier"):
        parent = parent.parent
    return parent is not None and parent.type in _ANY_NAME_PARENTS


def _check_node(node: Node, context: _Context) -> None:
    check_form(node)
    kind = node.type
    if kind in _NAME_NODES and identifier_name(node) in _RESERVED and not _any_name_allowed(node):
        raise SyntaxProblem(node, f"unexpected reserved word '{identifier_name(node)}'")
    if kind == "return_statement" and context.function is None:
        raise SyntaxProblem(node, "'return' outside of a function")
    awaits = kind == "await_expression" or (kind == "for_in_statement" and has_token(node, "await"))
    if awaits and (context.function is not None and context.function.type in _NO_AWAIT_SCOPES):
        raise SyntaxProblem(node, "'await' is not allowed here")
    if awaits and not _async(context.function):
        raise SyntaxProblem(node, "'await' is only allowed in async functions")
    if kind == "yield_expression" and not _generator(context.function):
        raise SyntaxProblem(node, "'yield' is only allowed in generator functions")
    _check_jumps(node, context)


def _check_jumps(node: Node, context: _Context) -> None:
    kind = node.type
    if kind not in ("break_statement", "continue_statement", "labeled_statement"):
        return
    label = child(node, "label")
    name = identifier_name(label) if label is not None else None
    if kind == "labeled_statement":
        if name in context.labels:
            raise SyntaxProblem(node, f"label '{name}' is already declared")
    elif name is not None:
        if name not in context.labels:
            raise SyntaxProblem(node, f"undefined label '{name}'")
    elif not (context.in_loop or (kind == "break_statement" and context.in_switch)):
        raise SyntaxProblem(node, f"'{kind.split('_')[0]}' outside of a loop")


def _enter(node: Node, context: _Context) -> _Context:
    kind = node.type
    if kind in FUNCTION_TYPES or kind in _NO_AWAIT_SCOPES:
        return _Context(function=node)
    if kind in _LOOPS:
        return replace(context, in_loop=True)
    if kind == "switch_statement":
        return replace(context, in_switch=True)
    if kind == "labeled_statement":
        label = child(node, "label")
        if label is not None:
            return replace(context, labels=context.labels | {identifier_name(label)})
    return context


def _visit(node: Node, context: _Context) -> None:
    _check_node(node, context)
    inner = _enter(node, context)
    for c in node.children:
        if c.type == "comment":
            check_form(c)
        elif c.is_named:
            _visit(c, inner)


def check_strict(root: Node) -> None:
    """Raise the first early error in a parsed module, in the order a reader meets them.

    Raises:
        SyntaxProblem: The code breaks a strict-mode or module rule Babel enforces.

    """
    _visit(root, _Context())
    check_declarations(root)
