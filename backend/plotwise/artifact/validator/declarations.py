"""Declaration early errors Babel reports: duplicate names in a scope, exports of missing names.

Lexical names (``let``, ``const``, ``class``, ``enum``, imports, and functions in blocks and at
the module's top level) may be declared once per scope and may not share a name with a ``var``
hoisted through that scope, with the function's parameters or with the catch parameter.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from plotwise.artifact.validator.tree import (
    FUNCTION_TYPES,
    SyntaxProblem,
    child,
    has_token,
    identifier_name,
    kids,
)

_FUNCTION_DECLARATIONS = frozenset({"function_declaration", "generator_function_declaration"})
_CLASSES = frozenset({"class_declaration", "abstract_class_declaration", "enum_declaration"})
_TYPE_DECLARATIONS = frozenset(
    {"interface_declaration", "type_alias_declaration", "internal_module"}
)


def pattern_names(pattern: Node) -> Iterator[Node]:
    """The identifier nodes a binding pattern declares."""
    kind = pattern.type
    if kind in ("identifier", "shorthand_property_identifier_pattern"):
        yield pattern
    elif kind in ("object_pattern", "array_pattern"):
        for part in kids(pattern):
            yield from pattern_names(part)
    elif kind == "pair_pattern":
        value = child(pattern, "value")
        if value is not None:
            yield from pattern_names(value)
    elif kind in ("assignment_pattern", "object_assignment_pattern"):
        left = child(pattern, "left")
        if left is not None:
            yield from pattern_names(left)
    elif kind == "rest_pattern":
        for part in kids(pattern):
            yield from pattern_names(part)
    elif kind in ("required_parameter", "optional_parameter"):
        inner = child(pattern, "pattern")
        if inner is not None and inner.type != "this":
            yield from pattern_names(inner)


def _declarators(declaration: Node) -> Iterator[Node]:
    for declarator in kids(declaration):
        if declarator.type == "variable_declarator":
            name = child(declarator, "name")
            if name is not None:
                yield from pattern_names(name)


def _lexical(statement: Node, function_top: bool) -> Iterator[Node]:
    """Names a statement declares lexically in its block."""
    kind = statement.type
    if kind == "export_statement":
        declaration = child(statement, "declaration")
        if declaration is not None:
            yield from _lexical(declaration, function_top)
    elif kind == "lexical_declaration":
        yield from _declarators(statement)
    elif kind in _CLASSES or (kind in _FUNCTION_DECLARATIONS and not function_top):
        name = child(statement, "name")
        if name is not None:
            yield name
    elif kind == "import_statement":
        clause = next((c for c in kids(statement) if c.type == "import_clause"), None)
        yield from _import_names(clause) if clause is not None else ()


def _import_names(clause: Node) -> Iterator[Node]:
    for part in kids(clause):
        if part.type == "identifier":
            yield part
        elif part.type == "namespace_import":
            yield from (c for c in kids(part) if c.type == "identifier")
        elif part.type == "named_imports":
            for spec in kids(part):
                if spec.type == "import_specifier":
                    local = child(spec, "alias") or child(spec, "name")
                    if local is not None:
                        yield local


def _vars(node: Node) -> Iterator[Node]:
    """``var`` names declared in ``node`` and the blocks inside it, functions not entered."""
    for c in kids(node):
        if c.type in FUNCTION_TYPES or c.type in ("class_body", "class_static_block"):
            continue
        if c.type == "variable_declaration":
            yield from _declarators(c)
        elif c.type == "for_in_statement" and has_token(c, "var"):
            left = child(c, "left")
            if left is not None:
                yield from pattern_names(left)
        yield from _vars(c)


def _statements(block: Node) -> list[Node]:
    if block.type == "switch_body":
        return [s for case in kids(block) for s in case.children_by_field_name("body")]
    return kids(block)


def _type_names(statement: Node) -> Iterator[tuple[str, Node]]:
    """``(kind, name)`` of what a statement declares in type space."""
    if statement.type == "export_statement":
        declaration = child(statement, "declaration")
        if declaration is not None:
            yield from _type_names(declaration)
        return
    kind = {"type_alias_declaration": "alias", "interface_declaration": "interface"}.get(
        statement.type
    )
    if kind is None and statement.type in _CLASSES:
        kind = "enum" if statement.type == "enum_declaration" else "class"
    name = child(statement, "name") if kind is not None else None
    if kind is not None and name is not None:
        yield kind, name


def _check_types(statements: list[Node]) -> None:
    """A type alias may not share its name; an enum may not share one with an interface."""
    seen: dict[str, str] = {}
    for statement in statements:
        for kind, name_node in _type_names(statement):
            name = identifier_name(name_node)
            other = seen.get(name)
            clash = other is not None and (
                "alias" in (kind, other) or {kind, other} == {"enum", "interface"}
            )
            if clash:
                raise SyntaxProblem(name_node, f"'{name}' has already been declared")
            seen.setdefault(name, kind)


def _check_scope(block: Node, taken: dict[str, Node], function_top: bool) -> None:
    _check_types(_statements(block))
    declared = dict(taken)
    for statement in _statements(block):
        for name_node in _lexical(statement, function_top):
            name = identifier_name(name_node)
            if name in declared:
                raise SyntaxProblem(name_node, f"'{name}' has already been declared")
            declared[name] = name_node
    lexical = {k: v for k, v in declared.items() if k not in taken}
    if function_top:
        for statement in _statements(block):
            if statement.type in _FUNCTION_DECLARATIONS and child(statement, "name") is not None:
                name = identifier_name(child(statement, "name"))
                if name in lexical:
                    raise SyntaxProblem(statement, f"'{name}' has already been declared")
    for var in _vars(block):
        if identifier_name(var) in lexical:
            raise SyntaxProblem(var, f"'{identifier_name(var)}' has already been declared")


def _parameters(function: Node) -> list[Node]:
    params = child(function, "parameters") or child(function, "parameter")
    if params is None:
        return []
    if params.type == "identifier":
        return [params]
    return [name for p in kids(params) for name in pattern_names(p)]


def _check_parameters(function: Node) -> None:
    seen: set[str] = set()
    for name_node in _parameters(function):
        name = identifier_name(name_node)
        if name in seen:
            raise SyntaxProblem(name_node, f"duplicate parameter name '{name}'")
        seen.add(name)


def _taken_names(block: Node) -> tuple[dict[str, Node], bool]:
    """Names a block's own declarations may not reuse (parameters), and whether it is a body."""
    parent = block.parent
    if parent is not None and parent.type in FUNCTION_TYPES and child(parent, "body") == block:
        return {identifier_name(n): n for n in _parameters(parent)}, True
    if parent is not None and parent.type == "catch_clause" and child(parent, "body") == block:
        param = child(parent, "parameter")
        names = pattern_names(param) if param is not None else iter(())
        return {identifier_name(n): n for n in names}, False
    return {}, False


def _top_level_names(root: Node) -> set[str]:
    """Every name declared at the top level: values, types and imports."""
    names = {identifier_name(n) for n in _vars(root)}
    for statement in kids(root):
        target = child(statement, "declaration") if statement.type == "export_statement" else None
        target = target or statement
        names.update(identifier_name(n) for n in _lexical(target, False))
        if target.type in _FUNCTION_DECLARATIONS or target.type in _TYPE_DECLARATIONS:
            found = child(target, "name")
            if found is not None:
                names.add(identifier_name(found))
    return names


def check_declarations(root: Node) -> None:
    """Raise the first duplicate declaration, or export of an undeclared name, in a module.

    Raises:
        SyntaxProblem: A name is declared twice in one scope, or ``export { x }`` names nothing.

    """
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in FUNCTION_TYPES:
            _check_parameters(node)
        if node.type in ("program", "statement_block", "switch_body"):
            taken, function_top = _taken_names(node)
            _check_scope(node, taken, function_top)
        stack.extend(reversed(kids(node)))
    declared = _top_level_names(root)
    for statement in kids(root):
        if statement.type != "export_statement" or child(statement, "source") is not None:
            continue
        for clause in (c for c in kids(statement) if c.type == "export_clause"):
            for spec in kids(clause):
                local = child(spec, "name")
                if local is not None and local.type == "identifier":
                    if identifier_name(local) not in declared:
                        name = identifier_name(local)
                        raise SyntaxProblem(local, f"export '{name}' is not defined")
