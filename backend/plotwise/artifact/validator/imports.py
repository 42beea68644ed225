"""Which modules and names a component may import, and how a module binding may be used.

The browser applies the same rules (``frontend/src/artifact/importRules.ts``).
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from plotwise.artifact.validator.names import (
    is_member_object,
    is_only_tested,
    member_name,
    static_string,
    usage,
)
from plotwise.artifact.validator.policy_file import ModulePolicy, Policy
from plotwise.artifact.validator.report import Report
from plotwise.artifact.validator.tree import child, has_token, identifier_name, kids


@dataclass(frozen=True)
class Binding:
    """A default or namespace import (or the runtime's implicit one) of a listed module."""

    module: str
    names: frozenset[str]


def source_name(statement: Node) -> str | None:
    """The module an import or export statement names (``from "x"``), or None."""
    source = child(statement, "source")
    return static_string(source) if source is not None else None


def _clause(statement: Node) -> Node | None:
    return next((c for c in kids(statement) if c.type == "import_clause"), None)


def module_bindings(root: Node, policy: Policy) -> dict[str, Binding]:
    """The bindings whose uses `check_binding_use` checks, by local name."""
    bindings = {
        m.implicit: Binding(name, m.names)
        for name, m in policy.modules.items()
        if m.implicit is not None and m.names is not None
    }
    for statement in kids(root):
        module = policy.modules.get(source_name(statement) or "")
        clause = _clause(statement) if statement.type == "import_statement" else None
        if module is None or module.names is None or clause is None:
            continue
        for part in kids(clause):
            local = part if part.type == "identifier" else None
            if part.type == "namespace_import":
                local = next((c for c in kids(part) if c.type == "identifier"), None)
            if local is not None:
                bindings[identifier_name(local)] = Binding(module.name, module.names)
    return bindings


def _check_specifiers(clause: Node, module: ModulePolicy, report: Report) -> None:
    for part in kids(clause):
        if part.type == "identifier" and not module.default:
            report(part, "importName", f'"{module.name}" has no default import here')
        elif part.type == "namespace_import" and not module.namespace:
            report(part, "importName", f'"import * as" is not allowed for "{module.name}"')
        elif part.type == "named_imports":
            for spec in kids(part):
                name_node = child(spec, "name")
                if spec.type != "import_specifier" or has_token(spec, "type") or name_node is None:
                    continue
                name = (
                    static_string(name_node)
                    if name_node.type == "string"
                    else identifier_name(name_node)
                )
                if name == "default":
                    if not module.default:
                        report(spec, "importName", f'"{module.name}" has no default import here')
                elif module.names is not None and name not in module.names:
                    report(spec, "importName", f'"{name}" may not be imported from "{module.name}"')


def check_import(statement: Node, policy: Policy, report: Report) -> None:
    """The module is allowed, and so is every name imported from it (type-only ones excepted)."""
    if child(statement, "source") is None:
        report(statement, "requireImport", "require-style imports are not allowed; use import")
        return
    name = source_name(statement) or ""
    module = policy.modules.get(name)
    if module is None:
        allowed = ", ".join(policy.modules)
        report(
            statement, "importModule", f'import from "{name}" is not allowed (allowed: {allowed})'
        )
        return
    clause = _clause(statement)
    if clause is not None and not has_token(statement, "type"):
        _check_specifiers(clause, module, report)


def check_binding_use(
    node: Node, name: str, ancestors: list[Node], bindings: dict[str, Binding], report: Report
) -> None:
    """A default or namespace import may only be used as ``X.name`` with ``name`` on its list."""
    binding = bindings.get(name)
    if binding is None or any(a.type == "import_statement" for a in ancestors):
        return
    if is_only_tested(node, ancestors):
        return
    if not is_member_object(node, ancestors):
        report(node, "moduleBinding", f'"{name}" may only be used as {name}.name')
        return
    member = usage(node, ancestors)[1]
    read = member_name(member) if member is not None else None
    if read is None:
        report(node, "moduleBinding", f'computed access on "{name}" is not allowed')
    elif read not in binding.names:
        report(node, "moduleBinding", f'"{name}.{read}" may not be used from "{binding.module}"')
