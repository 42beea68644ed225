"""The server's component validator: the policy file's rules over tree-sitter's TSX tree.

It applies the same rules as the browser's validator (``frontend/src/artifact/validation.ts``) to
the same policy file, so both give every component the same verdict; the shared vectors in
``fixtures/validation/`` hold them to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from plotwise.artifact.validator.exports import check_default_export, check_named_exports
from plotwise.artifact.validator.imports import module_bindings
from plotwise.artifact.validator.params import collect_param_schema
from plotwise.artifact.validator.policy_file import Policy, load_policy
from plotwise.artifact.validator.repair import parse_like_babel
from plotwise.artifact.validator.report import Collector, Problem
from plotwise.artifact.validator.rules import Rules
from plotwise.artifact.validator.strict import check_strict
from plotwise.artifact.validator.tree import (
    TYPE_ONLY,
    TYPE_WRAPPERS,
    SyntaxProblem,
    kids,
    position,
    text,
    walk_errors,
)

IMPLEMENTED_RULES = frozenset(
    {
        "size",
        "syntax",
        "importModule",
        "importName",
        "moduleBinding",
        "dynamicImport",
        "importMeta",
        "requireImport",
        "this",
        "forbiddenGlobal",
        "forbiddenMember",
        "forbiddenString",
        "forbiddenKey",
        "globalObject",
        "navigation",
        "stringTimer",
        "taggedTemplate",
        "jsxElement",
        "jsxAttribute",
        "jsxUrl",
        "defaultExport",
        "namedExport",
        "viewParams",
    }
)
"""Every rule this validator applies; the policy file lists the same ids (a test checks)."""


@dataclass(frozen=True)
class Verdict:
    """The outcome of validating one component."""

    problems: tuple[Problem, ...]
    """Why it is refused; empty when it passes."""
    params: tuple[dict, ...] | None
    """Its view parameter schema (``export const params``), None when that is invalid."""

    @property
    def ok(self) -> bool:
        """True when the component passes the policy."""
        return not self.problems

    @property
    def rules(self) -> frozenset[str]:
        """The rules that refused it."""
        return frozenset(p.rule for p in self.problems)


def _utf16_length(code: str) -> int:
    """Length as JavaScript counts it (UTF-16 code units), so the limit is the browser's."""
    return len(code.encode("utf-16-le", "surrogatepass")) // 2


def _syntax_error(root: Node) -> SyntaxProblem | None:
    for error in walk_errors(root):
        if error.is_missing:
            return SyntaxProblem(error, f'missing "{error.type}"')
        return SyntaxProblem(error, f"unexpected {text(error)[:40]!r}")
    return None


def _walk(node: Node, ancestors: list[Node], rules: Rules) -> None:
    kind = node.type
    if kind in TYPE_ONLY or kind == "comment" or kind == "jsx_closing_element" or node.is_error:
        return
    rules.check(node, ancestors)
    children = kids(node)[:1] if kind in TYPE_WRAPPERS else node.named_children
    ancestors.append(node)
    for c in children:
        _walk(c, ancestors, rules)
    ancestors.pop()


def _refused(rule: str, message: str) -> Verdict:
    return Verdict((Problem(rule, message),), None)


def validate(code: str, policy: Policy | None = None) -> Verdict:
    """Check a generated component against the validation policy, without running it.

    Args:
        code: The component's TSX source.
        policy: The policy to apply; the package's ``component_policy.json`` by default.

    Returns:
        The verdict: problems name the rule and the line (``line L:C: ...``).

    """
    policy = policy or load_policy()
    length = _utf16_length(code)
    if length > policy.max_code_length:
        return _refused(
            "size",
            f"the component is too long ({length} characters, at most {policy.max_code_length})",
        )
    source = code.encode("utf-8", "surrogatepass")
    tree = parse_like_babel(source)
    try:
        problem = _syntax_error(tree.root_node) if tree.root_node.has_error else None
        if problem is None:
            check_strict(tree.root_node)
    except SyntaxProblem as found:
        problem = found
    except RecursionError:
        return _refused("syntax", "Syntax error: the code is nested too deeply to check")
    if problem is not None:
        return _refused(
            "syntax", f"Syntax error at {position(problem.node, source)}: {problem.message}"
        )
    report = Collector(source)
    rules = Rules(policy, module_bindings(tree.root_node, policy), report)
    try:
        _walk(tree.root_node, [], rules)
        check_default_export(tree.root_node, report)
        check_named_exports(tree.root_node, policy, report)
        schema = collect_param_schema(tree.root_node, policy, report)
    except RecursionError:
        return _refused("syntax", "Syntax error: the code is nested too deeply to check")
    params_ok = not any(p.rule == "viewParams" for p in report.problems)
    return Verdict(tuple(report.problems), tuple(schema) if params_ok else None)
