"""Syntax Babel (the browser's parser) accepts but tree-sitter's TSX grammar does not.

Babel reads ``>``, ``}`` and a stray ``&`` inside JSX children as text (``<p>a > b</p>``) and
allows whitespace inside ``/ >`` and ``< /``. Tree-sitter marks these as errors. When a parse has
errors, each such character is replaced by a space (or the whitespace moved after the tag's
slash), keeping every offset, and the code is parsed again. The replaced characters are JSX text
or layout, which no rule reads, so the verdict is the one for the code as Babel reads it.
"""

from __future__ import annotations

import re

from tree_sitter import Node, Tree

from plotwise.artifact.validator.tree import parse

MAX_REPAIRS = 32
"""Most characters repaired in one component; past that it stays a syntax error."""

_TEXT_CHARS = frozenset(b">}&")
_WHITESPACE = frozenset(b" \t\r\n")
_SPACED_SLASH = re.compile(rb"/([ \t\r\n]+)>|<([ \t\r\n]+)/")


_ENTITY = re.compile(rb"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def _child_content_end(node: Node) -> int | None:
    """Where JSX children text may continue after ``node``, or None when it is not JSX content."""
    kind = node.type
    parent = node.parent
    if kind in ("jsx_text", "html_character_reference", "jsx_opening_element"):
        return node.end_byte
    if parent is not None and parent.type == "jsx_element":
        if kind in ("jsx_expression", "jsx_self_closing_element", "jsx_element"):
            return node.end_byte
    return None


def _text_repair(tree: Tree, source: bytes) -> int | None:
    """The offset of a ``>``, ``}`` or stray ``&`` in JSX children, if there is one."""
    stack = [tree.root_node]
    found: list[int] = []
    while stack:
        node = stack.pop()
        end = _child_content_end(node)
        while end is not None and end < len(source) and source[end] in _WHITESPACE:
            end += 1
        if end is not None and end < len(source) and source[end] in _TEXT_CHARS:
            if source[end] != ord("&") or _ENTITY.match(source, end) is None:
                found.append(end)
        stack.extend(node.children)
    return min(found) if found else None


def _close_slashes(source: bytes) -> bytes:
    """``/ >`` becomes ``/>`` and ``< /`` becomes ``</``, the whitespace moved after them."""

    def squeeze(match: re.Match[bytes]) -> bytes:
        found = match.group(0)
        return found[:1] + found[-1:] + b" " * (len(found) - 2)

    return _SPACED_SLASH.sub(squeeze, source)


def parse_like_babel(source: bytes) -> Tree:
    """Parse TSX, repairing the syntax above.

    Returns:
        The repaired code's tree when the repairs leave no error; otherwise the original tree,
        whose errors are then reported where the code has them.

    """
    original = parse(source)
    if not original.root_node.has_error:
        return original
    tree = original
    closed = _close_slashes(source)
    if closed != source:
        source, tree = closed, parse(closed)
    for _ in range(MAX_REPAIRS):
        if not tree.root_node.has_error:
            return tree
        offset = _text_repair(tree, source)
        if offset is None:
            break
        source = source[:offset] + b" " + source[offset + 1 :]
        tree = parse(source)
    return tree if not tree.root_node.has_error else original
