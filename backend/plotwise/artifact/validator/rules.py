"""The node-by-node rules of the validation policy.

Forbidden globals, members and strings, global objects, navigation, timers, ``this``, dynamic
imports, tagged templates and the JSX rules, as ``frontend/src/artifact/validation.ts`` applies
them in the browser.
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from plotwise.artifact.validator import jsx
from plotwise.artifact.validator.imports import (
    Binding,
    check_binding_use,
    check_import,
    source_name,
)
from plotwise.artifact.validator.names import (
    MEMBER_TYPES,
    is_cast_member,
    is_member_object,
    is_only_tested,
    member_name,
    operator,
    static_string,
    unwrap,
    usage,
    variable_name,
)
from plotwise.artifact.validator.policy_file import Policy
from plotwise.artifact.validator.report import Report
from plotwise.artifact.validator.tree import child, identifier_name, kids

_FUNCTION_VALUES = frozenset({"arrow_function", "function_expression"})
_MODULE_NAME_PARENTS = frozenset({"import_statement", "export_statement", "export_specifier"})
_WRITES = {
    "assignment_expression": "left",
    "augmented_assignment_expression": "left",
    "update_expression": "argument",
    "for_in_statement": "left",
}


@dataclass(frozen=True)
class Rules:
    """The rules for one component: the policy and the component's module bindings."""

    policy: Policy
    bindings: dict[str, Binding]
    report: Report

    def is_global_object(self, node: Node) -> bool:
        """``window``, ``self``, ... and fixed-name members of them named so (``window.self``)."""
        value = unwrap(node)
        if value.type == "identifier":
            return identifier_name(value) in self.policy.global_objects
        name = member_name(value)
        obj = child(value, "object")
        return name in self.policy.global_objects and obj is not None and self.is_global_object(obj)

    def check(self, node: Node, ancestors: list[Node]) -> None:
        """Apply every node rule to ``node`` (its ancestors listed parent last)."""
        variable = variable_name(node, ancestors)
        if variable is not None:
            self._variable(node, variable, ancestors)
        kind = node.type
        handler = _HANDLERS.get(kind)
        if handler is not None:
            handler(self, node, ancestors)

    def _variable(self, node: Node, name: str, ancestors: list[Node]) -> None:
        if name in self.policy.forbidden_globals:
            self.report(node, "forbiddenGlobal", f'"{name}" is not allowed (forbidden global)')
        if name in self.policy.global_objects:
            self._global_object_use(node, name, ancestors)
        if name in self.policy.timers:
            self._timer_use(node, name, ancestors)
        check_binding_use(node, name, ancestors, self.bindings, self.report)

    def _global_object_use(self, node: Node, name: str, ancestors: list[Node]) -> None:
        if not is_member_object(node, ancestors) and not is_only_tested(node, ancestors):
            self.report(node, "globalObject", f'"{name}" may only be read as {name}.name')

    def _timer_use(self, node: Node, name: str, ancestors: list[Node]) -> None:
        current, parent = usage(node, ancestors)
        called = parent is not None and parent.type == "call_expression"
        called = called and child(parent, "function") == current
        arguments = child(parent, "arguments") if called and parent is not None else None
        first = next(iter(kids(arguments)), None) if arguments is not None else None
        is_call = arguments is not None and arguments.type == "arguments"
        if not (is_call and first is not None and unwrap(first).type in _FUNCTION_VALUES):
            self.report(node, "stringTimer", f"{name} may only be called with an inline function")

    def _member(self, node: Node, ancestors: list[Node]) -> None:
        if is_cast_member(node):
            return
        name = member_name(node)
        prop = child(node, "property") or child(node, "index") or node
        if name is not None and name in self.policy.forbidden_members:
            self.report(
                prop, "forbiddenMember", f'member "{name}" is not allowed (forbidden member)'
            )
        elif name is None and node.type == "subscript_expression":
            obj = child(node, "object")
            if obj is not None and self.is_global_object(obj):
                self.report(node, "globalObject", "computed access on a global object")
        if name is not None and name in self.policy.timers:
            self._timer_use(node, name, ancestors)
        if name is not None and name in self.policy.global_objects and self.is_global_object(node):
            self._global_object_use(node, name, ancestors)

    def _string(self, node: Node, ancestors: list[Node]) -> None:
        if node.type == "binary_expression" and operator(node) != "+":
            return
        value = static_string(node, ancestors)
        if value is None or value not in self.policy.forbidden_strings:
            return
        parent = ancestors[-1] if ancestors else None
        if parent is not None and parent.type in _MODULE_NAME_PARENTS:
            return
        if parent is not None and parent.type == "subscript_expression":
            if child(parent, "index") == node:
                return
        self.report(node, "forbiddenString", f'the string "{value}" is not allowed')

    def _pattern_key(self, node: Node, ancestors: list[Node]) -> None:
        """Destructuring reads properties: ``const { fetch: f } = window`` is a member access."""
        key = child(node, "key") if node.type == "pair_pattern" else node
        if key is None or key.type not in (
            "property_identifier",
            "string",
            "computed_property_name",
            "shorthand_property_identifier_pattern",
        ):
            return
        if key.type == "computed_property_name":
            inner = kids(key)
            name = static_string(inner[0]) if len(inner) == 1 else None
        elif key.type == "string":
            name = static_string(key)
        else:
            name = identifier_name(key)
        if name is not None and name in self.policy.forbidden_members:
            self.report(key, "forbiddenMember", f'member "{name}" is not allowed (destructured)')

    def _object_key(self, node: Node, ancestors: list[Node]) -> None:
        key = node if node.type == "shorthand_property_identifier" else child(node, "key")
        if node.type == "method_definition":
            key = child(node, "name")
        if key is not None and ancestors and ancestors[-1].type == "object":
            jsx.check_object_key(key, self.policy, self.report)

    def _write(self, node: Node, ancestors: list[Node]) -> None:
        target = child(node, _WRITES[node.type])
        if node.type == "for_in_statement" and (child(node, "kind") is not None):
            return
        if target is not None and any(self._navigates(t) for t in _assigned(target)):
            self.report(node, "navigation", "writing to location (navigation) is not allowed")

    def _delete(self, node: Node, ancestors: list[Node]) -> None:
        if operator(node) == "delete":
            argument = child(node, "argument")
            if argument is not None and self._navigates(argument):
                self.report(node, "navigation", "writing to location (navigation) is not allowed")

    def _navigates(self, node: Node) -> bool:
        value = unwrap(node)
        if value.type == "identifier":
            return identifier_name(value) == self.policy.navigation_target
        if value.type in MEMBER_TYPES:
            obj = child(value, "object")
            name = member_name(value)
            return name == self.policy.navigation_target or (
                obj is not None and self._navigates(obj)
            )
        return False

    def _call(self, node: Node, ancestors: list[Node]) -> None:
        function = child(node, "function")
        arguments = child(node, "arguments")
        if function is None:
            return
        if function.type == "import":
            self.report(node, "dynamicImport", "dynamic import() is not allowed")
        if arguments is not None and arguments.type == "template_string":
            self.report(node, "taggedTemplate", "tagged templates are not allowed")
        jsx.check_create_element(node, self.policy, self.report)
        callee = unwrap(function)
        obj = child(callee, "object") if callee.type in MEMBER_TYPES else None
        if obj is not None and self._navigates(obj):
            method = member_name(callee)
            if method in self.policy.navigation_methods:
                self.report(node, "navigation", f"location.{method}() (navigation) is not allowed")


def _assigned(node: Node) -> list[Node]:
    """What an assignment writes: the target, or each target inside a destructuring pattern."""
    kind = node.type
    if kind in ("array_pattern", "array", "object_pattern", "object"):
        return [t for part in kids(node) for t in _assigned(part)]
    if kind in ("pair_pattern", "pair"):
        value = child(node, "value")
        return _assigned(value) if value is not None else []
    if kind in ("assignment_pattern", "object_assignment_pattern"):
        left = child(node, "left")
        return _assigned(left) if left is not None else []
    if kind in ("rest_pattern", "spread_element"):
        return [t for part in kids(node) for t in _assigned(part)]
    return [node]


def _import_statement(rules: Rules, node: Node, ancestors: list[Node]) -> None:
    check_import(node, rules.policy, rules.report)


def _export_statement(rules: Rules, node: Node, ancestors: list[Node]) -> None:
    if child(node, "source") is not None and source_name(node) not in rules.policy.modules:
        rules.report(node, "importModule", f'import from "{source_name(node)}" is not allowed')
    if any(not c.is_named and c.type == "=" for c in node.children):
        rules.report(node, "requireImport", "export = is not allowed; use export default")


def _this(rules: Rules, node: Node, ancestors: list[Node]) -> None:
    parent = ancestors[-1] if ancestors else None
    if parent is None or parent.type not in ("required_parameter", "optional_parameter"):
        rules.report(node, "this", '"this" is not allowed (it can reach the global object)')


def _meta(rules: Rules, node: Node, ancestors: list[Node]) -> None:
    if node.children and node.children[0].type == "import":
        rules.report(node, "importMeta", "import.meta is not allowed")


def _jsx_element(rules: Rules, node: Node, ancestors: list[Node]) -> None:
    jsx.check_element(node, rules.policy, rules.report)


def _jsx_attribute(rules: Rules, node: Node, ancestors: list[Node]) -> None:
    jsx.check_attribute(node, rules.policy, rules.report)


def _import_alias(rules: Rules, node: Node, ancestors: list[Node]) -> None:
    rules.report(node, "requireImport", "import x = ... is not allowed; use import")


_HANDLERS = {
    "import_statement": _import_statement,
    "import_alias": _import_alias,
    "export_statement": _export_statement,
    "meta_property": _meta,
    "this": _this,
    "member_expression": Rules._member,
    "subscript_expression": Rules._member,
    "pair_pattern": Rules._pattern_key,
    "shorthand_property_identifier_pattern": Rules._pattern_key,
    "pair": Rules._object_key,
    "method_definition": Rules._object_key,
    "shorthand_property_identifier": Rules._object_key,
    "string": Rules._string,
    "template_string": Rules._string,
    "binary_expression": Rules._string,
    "assignment_expression": Rules._write,
    "augmented_assignment_expression": Rules._write,
    "update_expression": Rules._write,
    "for_in_statement": Rules._write,
    "unary_expression": Rules._delete,
    "call_expression": Rules._call,
    "jsx_opening_element": _jsx_element,
    "jsx_self_closing_element": _jsx_element,
    "jsx_attribute": _jsx_attribute,
}
"""The rules that look at each node type (besides the variable checks every name gets)."""
