"""The server's component validator: tree-sitter's TSX parser and the shared policy file.

``validate(code)`` gives the verdict the browser's validator gives (``frontend/src/artifact/
validation.ts``): both read ``plotwise/artifact/component_policy.json`` and apply the same rules
(docs/validation-policy.md).
"""

from plotwise.artifact.validator.check import IMPLEMENTED_RULES, Verdict, validate
from plotwise.artifact.validator.policy_file import POLICY_FILE, Policy, load_policy
from plotwise.artifact.validator.report import Problem

__all__ = [
    "IMPLEMENTED_RULES",
    "POLICY_FILE",
    "Policy",
    "Problem",
    "Verdict",
    "load_policy",
    "validate",
]
