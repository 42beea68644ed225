r"""Parsing a component with tree-sitter's TSX grammar, and reading its nodes as the browser does.

The browser parses with Babel, which resolves escapes (``\u0066etch`` is ``fetch``) and keeps no
node for parentheses; these helpers give tree-sitter's nodes the same meaning.
"""

from __future__ import annotations

import html.entities
import re
from collections.abc import Iterator
from dataclasses import dataclass

import tree_sitter_typescript
from tree_sitter import Language, Node, Parser, Tree

_TSX = Language(tree_sitter_typescript.language_tsx())

TYPE_ONLY = frozenset(
    {
        "type_annotation",
        "type_arguments",
        "type_parameters",
        "interface_declaration",
        "type_alias_declaration",
        "function_signature",
        "method_signature",
        "abstract_method_signature",
        "index_signature",
        "implements_clause",
        "asserts_annotation",
        "type_predicate_annotation",
        "opting_type_annotation",
        "omitting_type_annotation",
        "adding_type_annotation",
    }
)
"""Nodes that hold only TypeScript types: erased before the code runs, never checked."""

TYPE_WRAPPERS = frozenset({"as_expression", "satisfies_expression"})
"""``x as T`` and ``x satisfies T``: only the expression runs."""

FUNCTION_TYPES = frozenset(
    {
        "function_declaration",
        "function_expression",
        "generator_function_declaration",
        "generator_function",
        "arrow_function",
        "method_definition",
    }
)
"""Node types that open a function body (its own scope, directives, ``this``)."""


class SyntaxProblem(Exception):  # noqa: N818 - a problem report, raised to stop reading the node
    """Code the browser's parser refuses; ``node`` is where."""

    def __init__(self, node: Node, message: str) -> None:
        super().__init__(message)
        self.node = node
        self.message = message


def parse(source: bytes) -> Tree:
    """Parse TSX source, UTF-8 encoded (a new parser per call: none is shared between threads)."""
    return Parser(_TSX).parse(source)


def kids(node: Node) -> list[Node]:
    """The node's named children, comments left out."""
    return [c for c in node.named_children if c.type != "comment"]


def child(node: Node, field: str) -> Node | None:
    """The child in ``field``, or None."""
    return node.child_by_field_name(field)


def has_token(node: Node, token: str) -> bool:
    """True when one of the node's own unnamed tokens is ``token`` (``async``, ``*``, ``type``)."""
    return any(not c.is_named and c.type == token for c in node.children)


def text(node: Node) -> str:
    """The node's source text."""
    return node.text.decode("utf-8", "surrogatepass") if node.text is not None else ""


def strip_parens(node: Node) -> Node:
    """The expression inside parentheses: Babel has no node for them."""
    while node.type == "parenthesized_expression":
        inner = kids(node)
        if len(inner) != 1:
            return node
        node = inner[0]
    return node


@dataclass(frozen=True)
class Position:
    """A 1-based line and column (in characters), as problem messages show it."""

    line: int
    column: int

    def __str__(self) -> str:
        return f"line {self.line}:{self.column}"


def position(node: Node, source: bytes) -> Position:
    """Where ``node`` starts in ``source`` (the UTF-8 bytes that were parsed)."""
    row, column = node.start_point
    line_start = node.start_byte - column
    prefix = source[line_start : node.start_byte].decode("utf-8", "replace")
    return Position(row + 1, len(prefix) + 1)


_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v"}
_LINE_CONTINUATIONS = ("\r\n", "\n", "\r", "\u2028", "\u2029")
_ESCAPE = re.compile(
    r"\\(?:u\{(?P<cp>[0-9a-fA-F]*)\}|u(?P<u>[0-9a-fA-F]{4})|x(?P<x>[0-9a-fA-F]{2})"
    r"|(?P<digits>[0-9]+)|(?P<nl>\r\n|[\s\S]))"
)


def _combine_surrogates(value: str) -> str:
    return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def cook(raw: str, node: Node, *, template: bool = False) -> str:
    """The value of a string or template's raw text, escapes resolved as JavaScript does.

    Raises:
        SyntaxProblem: An escape that strict-mode code may not hold (octal, malformed).

    """

    def replace(match: re.Match[str]) -> str:
        if match.group("cp") is not None:
            cp = match.group("cp")
            if not cp or int(cp, 16) > 0x10FFFF:
                raise SyntaxProblem(node, "invalid Unicode escape sequence")
            return chr(int(cp, 16))
        if match.group("u") is not None:
            return chr(int(match.group("u"), 16))
        if match.group("x") is not None:
            return chr(int(match.group("x"), 16))
        if match.group("digits") is not None:
            digits = match.group("digits")
            if digits[0] != "0" or len(digits) > 1:
                kind = "template" if template else "strict mode"
                raise SyntaxProblem(node, f"octal escape sequences are not allowed in {kind} code")
            return "\0"
        escaped = match.group("nl")
        if escaped in _LINE_CONTINUATIONS:
            return ""
        if escaped in "ux":
            raise SyntaxProblem(node, "bad character escape sequence")
        return _SIMPLE_ESCAPES.get(escaped, escaped)

    if template:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    return _combine_surrogates(_ESCAPE.sub(replace, raw))


_ENTITY = re.compile(r"&(?:#x([0-9a-fA-F]+)|#([0-9]+)|([A-Za-z][A-Za-z0-9]*));")


def decode_entities(raw: str) -> str:
    """JSX attribute text: HTML character references resolved (no JavaScript escapes)."""

    def replace(match: re.Match[str]) -> str:
        hex_code, dec_code, name = match.groups()
        if hex_code or dec_code:
            code = int(hex_code, 16) if hex_code else int(dec_code)
            return chr(code) if code <= 0x10FFFF else match.group(0)
        codepoint = html.entities.name2codepoint.get(name)
        return chr(codepoint) if codepoint is not None else match.group(0)

    return _ENTITY.sub(replace, raw)


_IDENTIFIER_ESCAPE = re.compile(r"\\u\{([0-9a-fA-F]+)\}|\\u([0-9a-fA-F]{4})")


def identifier_name(node: Node) -> str:
    r"""The name an identifier node spells, with ``\u0066``-style escapes resolved."""
    raw = text(node)
    if "\\" not in raw:
        return raw
    return _IDENTIFIER_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), raw)


def walk_errors(node: Node) -> Iterator[Node]:
    """Every ERROR or MISSING node under ``node``, in source order."""
    if node.is_error or node.is_missing:
        yield node
        return
    for c in node.children:
        if c.has_error:
            yield from walk_errors(c)
