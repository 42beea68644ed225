"""What a component module may export: one default function component, and ``params``.

The browser applies the same rules (``frontend/src/artifact/exportRules.ts``).
"""

from __future__ import annotations

from tree_sitter import Node

from plotwise.artifact.validator.names import static_string
from plotwise.artifact.validator.policy_file import Policy
from plotwise.artifact.validator.report import Report
from plotwise.artifact.validator.tree import child, has_token, identifier_name, kids, strip_parens

_FUNCTIONS = frozenset(
    {
        "function_declaration",
        "function_expression",
        "arrow_function",
        "generator_function_declaration",
        "generator_function",
    }
)
_TYPE_DECLARATIONS = frozenset({"interface_declaration", "type_alias_declaration"})


def _declaration_of(statement: Node) -> Node:
    """A plain statement, or the declaration a non-default ``export`` wraps."""
    if statement.type == "export_statement" and not has_token(statement, "default"):
        return child(statement, "declaration") or statement
    return statement


def _top_level_bindings(root: Node) -> dict[str, Node]:
    """What each top-level name is bound to, for ``export default Name``."""
    bindings: dict[str, Node] = {}
    for statement in kids(root):
        declaration = _declaration_of(statement)
        kind = declaration.type
        name = child(declaration, "name")
        if kind in ("function_declaration", "generator_function_declaration", "class_declaration"):
            if name is not None:
                bindings[identifier_name(name)] = declaration
        elif kind in ("lexical_declaration", "variable_declaration"):
            for declarator in kids(declaration):
                target, value = child(declarator, "name"), child(declarator, "value")
                if target is not None and target.type == "identifier" and value is not None:
                    bindings[identifier_name(target)] = strip_parens(value)
    return bindings


def _check_component(value: Node, bindings: dict[str, Node], report: Report) -> None:
    value = strip_parens(value)
    target = bindings.get(identifier_name(value)) if value.type == "identifier" else value
    if target is None or target.type not in _FUNCTIONS:
        report(value, "defaultExport", "the default export must be a function component")
        return
    if has_token(target, "async") or target.type.startswith("generator_"):
        report(value, "defaultExport", "the default export must not be async or a generator")


def _specifier_name(spec: Node, field: str) -> str | None:
    found = child(spec, field)
    if found is None:
        return None
    return static_string(found) if found.type == "string" else identifier_name(found)


def check_default_export(root: Node, report: Report) -> None:
    """Exactly one default export, and it is a plain function component defined in this file."""
    bindings = _top_level_bindings(root)
    defaults: list[Node] = []
    for statement in kids(root):
        if statement.type != "export_statement":
            continue
        if has_token(statement, "default"):
            defaults.append(statement)
            value = child(statement, "declaration") or child(statement, "value")
            if value is not None:
                _check_component(value, bindings, report)
            continue
        for spec in _specifiers(statement):
            exported = _specifier_name(spec, "alias") or _specifier_name(spec, "name")
            if exported != "default":
                continue
            defaults.append(spec)
            local = child(spec, "name")
            if child(statement, "source") is not None or local is None:
                report(spec, "defaultExport", "the default export must be defined in this file")
            else:
                _check_component(local, bindings, report)
        namespace = next((c for c in kids(statement) if c.type == "namespace_export"), None)
        name = next(iter(kids(namespace)), None) if namespace is not None else None
        if namespace is not None and name is not None:
            exported = static_string(name) if name.type == "string" else identifier_name(name)
            if exported == "default":
                defaults.append(namespace)
                report(
                    namespace, "defaultExport", "the default export must be defined in this file"
                )
    if not defaults:
        report(root, "defaultExport", "no default export: write export default function Artifact")
    for extra in defaults[1:]:
        report(extra, "defaultExport", "more than one default export (exactly one is allowed)")


def _specifiers(statement: Node) -> list[Node]:
    return [s for c in kids(statement) if c.type == "export_clause" for s in kids(c)]


def check_named_exports(root: Node, policy: Policy, report: Report) -> None:
    """Named exports: only ``export const params`` (view parameters) and erased type exports."""
    allowed = policy.named_exports
    for statement in kids(root):
        if statement.type != "export_statement" or has_token(statement, "default"):
            continue
        if has_token(statement, "type"):
            continue
        declaration = child(statement, "declaration")
        if declaration is not None and declaration.type in (
            "lexical_declaration",
            "variable_declaration",
        ):
            for declarator in kids(declaration):
                name = child(declarator, "name")
                if (
                    name is None
                    or name.type != "identifier"
                    or identifier_name(name) not in allowed
                ):
                    report(declarator, "namedExport", "named export is not allowed")
        elif declaration is not None and declaration.type not in _TYPE_DECLARATIONS:
            if declaration.type != "ambient_declaration":
                report(declaration, "namedExport", "named export is not allowed")
        if has_token(statement, "*"):
            report(statement, "namedExport", '"export * from" is not allowed')
        for spec in _specifiers(statement):
            exported = _specifier_name(spec, "alias") or _specifier_name(spec, "name")
            if exported != "default" and not has_token(spec, "type"):
                report(spec, "namedExport", f'named export "{exported}" is not allowed')
