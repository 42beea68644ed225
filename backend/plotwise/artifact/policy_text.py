"""The validation policy in words, for the component contract the model reads."""

from __future__ import annotations

from plotwise.artifact.validator import load_policy

_MODULE_NOTES = {
    "react": "hooks and helpers",
    "recharts": "charts and their parts",
    "lucide-react": "icons",
}


def _names(names: frozenset[str] | None) -> str:
    return (
        "any name" if names is None else ", ".join(f"`{n}`" for n in sorted(names, key=str.lower))
    )


def policy_placeholders() -> dict[str, str]:
    """Text for the contract's ``{allowed_imports}``, ``{forbidden_globals}`` and the like."""
    policy = load_policy()
    imports = "\n".join(
        f"- `{name}` ({_MODULE_NOTES.get(name, 'exports')}"
        f"{'' if module.namespace or module.default else ', named imports only'}): "
        f"{_names(module.names)}"
        for name, module in policy.modules.items()
    )
    return {
        "allowed_imports": imports,
        "forbidden_globals": _names(policy.forbidden_globals),
        "forbidden_members": _names(policy.forbidden_members - policy.forbidden_globals),
        "forbidden_elements": ", ".join(f"`<{e}>`" for e in sorted(policy.forbidden_elements)),
        "max_code_length": f"{policy.max_code_length:,}",
    }
